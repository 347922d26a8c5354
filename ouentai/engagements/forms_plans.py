"""Forms of the plan document (計画書): its sections as text areas, and the choice of two versions to
compare."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ouentai.core.forms import AccessibleFormMixin
from ouentai.core.jp import normalize_single_line, normalize_text
from ouentai.engagements.choices import PLAN_SECTIONS
from ouentai.engagements.models import Engagement, PlanVersion

SECTION_HELP = {
    "current_state": _("事業の概要、業務とITの使い方のいま、困っていること。"),
    "challenges": _("経営の課題を、企業の言葉で。"),
    "strategy": _("課題を解決して、どのような会社になるか。"),
    "it_strategy": _("経営戦略を実現するために、ITで何をするか。"),
    "target_processes": _("ITを使った後の業務の流れ（受注から請求まで、など）。"),
    "systems": _("導入・調達するシステムやサービス、選び方。"),
    "schedule": _("いつ、何をするか。1行に1項目で書くと比較しやすくなります。"),
    "budget": _("費用の見込みと、使う補助金など。"),
    "risks": _("うまくいかない場合の要因と、その対策。"),
}


def _text(value: str) -> str:
    # Browsers send CRLF from text areas: keep one line ending so that versions compare line by line.
    return normalize_text(value.replace("\r\n", "\n").replace("\r", "\n"))


class PlanForm(AccessibleFormMixin, forms.Form):
    """The plan's title, its sections (any may stay empty, but not all) and what changed in this version."""

    title = forms.CharField(label=_("計画書の表題"), max_length=200)
    change_note = forms.CharField(
        label=_("この版の変更点"),
        max_length=300,
        required=False,
        help_text=_("版の一覧と比較の画面に表示されます。例：スケジュールを見直し、予算を追加"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sections: dict[str, forms.Field] = {}
        for key, label in PLAN_SECTIONS:
            sections[key] = forms.CharField(
                label=label,
                required=False,
                max_length=20000,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=SECTION_HELP.get(key, ""),
            )
        # Order: title, the sections, then the change note (the last thing one writes).
        note = self.fields.pop("change_note")
        self.fields.update(sections)
        self.fields["change_note"] = note

    @staticmethod
    def initial_for(engagement: Engagement, latest: PlanVersion | None) -> dict[str, str]:
        """The latest version's text; for the first version, the challenges and strategy already written
        on the engagement."""
        if latest is not None:
            return {
                "title": latest.title,
                **{key: latest.sections.get(key, "") for key, _label in PLAN_SECTIONS},
            }
        return {
            "title": str(_("%(company)s IT経営計画書")) % {"company": engagement.company.name},
            "challenges": engagement.challenges,
            "strategy": engagement.strategy,
        }

    def clean_title(self) -> str:
        return normalize_single_line(self.cleaned_data["title"] or "")

    def clean_change_note(self) -> str:
        return normalize_single_line(self.cleaned_data.get("change_note") or "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for key, _label in PLAN_SECTIONS:
            if key in cleaned:
                cleaned[key] = _text(cleaned[key] or "")
        return cleaned

    def section_fields(self) -> list[forms.BoundField]:
        return [self[key] for key, _label in PLAN_SECTIONS]

    def sections(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key) or "" for key, _label in PLAN_SECTIONS}


class PlanCompareForm(AccessibleFormMixin, forms.Form):
    """Which two versions to compare (GET). The view supplies the numbers that exist."""

    a = forms.TypedChoiceField(label=_("比べる版（前）"), coerce=int)
    b = forms.TypedChoiceField(label=_("比べる版（後）"), coerce=int)

    def __init__(self, *args: Any, numbers: Iterable[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(n), str(_("第%(n)s版")) % {"n": n}) for n in numbers]
        for name in ("a", "b"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
