"""Forms of the pages outside the console: the partner's decision (approve with an optional note,
reject with a reason), the expert's visit log and completion report, and the fiscal-year choice of the
partner's totals (the member's confirmation and rating is the member area's: portal.forms_my). Dates and times accept full-width digits
(２０２６－１０－０１, １０：００)."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ouentai.core.fields import FreeTextField
from ouentai.core.forms import AccessibleFormMixin
from ouentai.network.choices import REPORT_FIELDS
from ouentai.network.models import DispatchScheme

DATE_FORMAT = "%Y-%m-%d"
TIME_FORMAT = "%H:%M"


def _narrow(value: Any) -> Any:
    """Full-width digits and punctuation to ASCII (only for dates and times: no names pass here)."""
    return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value


class _DateField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT)
    default_error_messages = {"invalid": _("日付は 2026-10-01 の形で入力してください。")}

    def to_python(self, value: Any) -> Any:
        return super().to_python(_narrow(value))


class _TimeField(forms.TimeField):
    widget = forms.TimeInput(attrs={"type": "time"}, format=TIME_FORMAT)
    default_error_messages = {"invalid": _("時刻は 10:00 の形で入力してください。")}

    def to_python(self, value: Any) -> Any:
        return super().to_python(_narrow(value))


# --- partner -----------------------------------------------------------------------------------------


class ApproveForm(AccessibleFormMixin, forms.Form):
    note = FreeTextField(
        label=_("承認のメモ"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("事務局と専門家に伝えたいことがあれば入力してください。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="approve", label_suffix="", **kwargs)


class RejectForm(AccessibleFormMixin, forms.Form):
    note = FreeTextField(
        label=_("却下の理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("事務局に伝わります。どうすれば申請できるかも書いてください。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="reject", label_suffix="", **kwargs)
        self.fields["note"].error_messages["required"] = _("却下の理由を入力してください。")


class FiscalYearForm(AccessibleFormMixin, forms.Form):
    """The fiscal year of the totals; an unknown year falls back to the first choice."""

    year = forms.TypedChoiceField(label=_("年度"), coerce=int)

    def __init__(self, data: Any, *, years: list[tuple[int, str]]) -> None:
        super().__init__(data, label_suffix="")
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = years


# --- expert ------------------------------------------------------------------------------------------


class VisitForm(AccessibleFormMixin, forms.Form):
    visited_on = _DateField(label=_("訪問日"))
    starts_at = _TimeField(label=_("開始"))
    ends_at = _TimeField(label=_("終了"))
    summary = FreeTextField(label=_("実施内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    next_steps = FreeTextField(
        label=_("次回までの課題"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="visit", label_suffix="", **kwargs)


class ReportForm(AccessibleFormMixin, forms.Form):
    """One text area per report field (choices.REPORT_FIELDS); those the scheme requires are marked
    必須 and say so when left empty."""

    def __init__(self, *args: Any, scheme: DispatchScheme, **kwargs: Any) -> None:
        super().__init__(*args, prefix="report", label_suffix="", **kwargs)
        required = set(scheme.report_fields or ["summary"])
        for key, label in REPORT_FIELDS.items():
            field = FreeTextField(
                label=label,
                required=key in required,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            field.error_messages["required"] = _(
                "「%(label)s」を入力してください（この制度の報告書の必須項目です）。"
            ) % {"label": label}
            self.fields[key] = field
