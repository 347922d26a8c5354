"""Forms of the dispatch pages of the console: request filters, the request form, cancel, confirm on
the company's behalf, and the totals' filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.models import Organization
from ouentai.community.models import Company
from ouentai.core.calendar import fiscal_year, local_today
from ouentai.core.fields import (
    FreeTextField,
    NameField,
    text_input,
)
from ouentai.core.forms import AccessibleFormMixin
from ouentai.core.rating import RatingField
from ouentai.engagements.models import Engagement
from ouentai.network.choices import (
    DispatchStatus,
    DispatchTheme,
)
from ouentai.network.forms import WholeNumberField, _choices, _date_input
from ouentai.network.models import DispatchRequest, DispatchScheme
from ouentai.network.services import DispatchData

ALL = "all"


# --- Dispatch requests -----------------------------------------------------------------------------------


def fiscal_year_choices(extra: int | None = None) -> list[tuple[int, str]]:
    from ouentai.core.templatetags.ouentai import fiscal_year_label

    current = fiscal_year(local_today())
    years = set(range(current - 4, current + 2))
    if extra:
        years.add(extra)
    return [(year, fiscal_year_label(year)) for year in sorted(years, reverse=True)]


class DispatchFilterForm(AccessibleFormMixin, forms.Form):
    """Filters of the request list; the fiscal year defaults to the current one ("all": every year)."""

    status = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *DispatchStatus.choices]
    )
    scheme = forms.TypedChoiceField(label=_("制度"), required=False, coerce=int, empty_value=None)
    year = forms.ChoiceField(label=_("年度"), required=False)
    q = forms.CharField(
        label=_("企業"),
        required=False,
        max_length=100,
        help_text=_("会社名"),
        widget=text_input(type="search"),
    )

    def __init__(self, data: Any, *, schemes: list[tuple[int, str]]) -> None:
        data = data.copy()
        if "year" not in data:
            data["year"] = str(fiscal_year(local_today()))
        super().__init__(data, label_suffix="")
        _choices(self.fields["scheme"]).choices = [("", _("すべて")), *schemes]
        _choices(self.fields["year"]).choices = [(ALL, _("すべての年度")), *fiscal_year_choices()]

    def value(self, name: str) -> Any:
        return self.cleaned_data.get(name) if self.is_valid() else None

    def year_value(self) -> int | None:
        value = self.value("year")
        return int(value) if value and str(value).isdigit() else None


class DispatchForm(AccessibleFormMixin, forms.Form):
    """A request: the company (on creation only), an engagement of it, the scheme and what is asked."""

    company = forms.TypedChoiceField(label=_("企業"), coerce=int)
    engagement = forms.TypedChoiceField(label=_("支援案件"), coerce=int, required=False, empty_value=None)
    scheme = forms.TypedChoiceField(label=_("派遣制度"), coerce=int)
    theme = forms.ChoiceField(
        label=_("テーマ"), choices=[("", _("選択してください")), *DispatchTheme.choices]
    )
    requested_visits = WholeNumberField(
        label=_("希望する訪問回数"), min_value=1, max_value=99, help_text=_("この年度に受けたい回数です。")
    )
    first_preferred_on = forms.DateField(
        label=_("最初の希望日"),
        required=False,
        widget=_date_input(),
        help_text=_("この日の年度の回数として数えます（空欄は今日の年度）。"),
    )
    preferred_dates = NameField(
        label=_("希望日時"),
        required=False,
        max_length=300,
        help_text=_("例: 6月の平日午後、第2・第4水曜 14時〜"),
    )
    purpose = FreeTextField(
        label=_("相談したいこと"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self,
        *args: Any,
        organization: Organization,
        request: DispatchRequest | None = None,
        company: Company | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        company = request.company if request is not None else company
        if request is not None:
            del self.fields["company"]
        else:
            companies = Company.objects.filter(organization=organization).order_by("name_kana", "name", "pk")
            _choices(self.fields["company"]).choices = [
                ("", _("選択してください")),
                *companies.values_list("pk", "name"),
            ]
        engagements = Engagement.objects.filter(organization=organization)
        if company is not None:
            engagements = engagements.filter(company=company)
        _choices(self.fields["engagement"]).choices = [
            ("", _("なし")),
            *(
                (pk, title if company is not None else f"{company_name}／{title}")
                for pk, title, company_name in engagements.order_by("-started_on", "-pk").values_list(
                    "pk", "title", "company__name"
                )
            ),
        ]
        schemes = DispatchScheme.objects.filter(organization=organization).select_related(
            "support_organization"
        )
        current = request.scheme_id if request is not None else None
        _choices(self.fields["scheme"]).choices = [
            ("", _("選択してください")),
            *(
                (s.pk, f"{s.support_organization.name}　{s.name}")
                for s in schemes
                if s.is_active or s.pk == current
            ),
        ]

    def to_data(self) -> DispatchData:
        d = self.cleaned_data
        return DispatchData(
            scheme_id=d["scheme"],
            theme=d["theme"],
            requested_visits=d["requested_visits"],
            preferred_dates=d.get("preferred_dates") or "",
            first_preferred_on=d.get("first_preferred_on"),
            purpose=d.get("purpose") or "",
            engagement_id=d.get("engagement"),
        )

    @staticmethod
    def initial_from(request: DispatchRequest) -> dict[str, Any]:
        names = (
            "engagement",
            "scheme",
            "theme",
            "requested_visits",
            "first_preferred_on",
            "preferred_dates",
            "purpose",
        )
        initial = {name: getattr(request, name) for name in names}
        initial["engagement"], initial["scheme"] = request.engagement_id, request.scheme_id
        return initial


class CancelForm(AccessibleFormMixin, forms.Form):
    note = NameField(label=_("取消の理由"), required=False, max_length=500)


class ConfirmForm(AccessibleFormMixin, forms.Form):
    """Staff confirm on the company's behalf (e.g. after a phone call) with the company's rating, on
    the product's one 1–5 scale (the same field as the member's own form)."""

    rating = RatingField(label=_("企業の評価（5段階）"))
    comment = FreeTextField(
        label=_("企業のコメント"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class TotalsFilterForm(AccessibleFormMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)
    support_organization = forms.TypedChoiceField(
        label=_("支援機関"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, data: Any, *, organizations: list[tuple[int, str]]) -> None:
        data = data.copy()
        if not data.get("year"):
            data["year"] = str(fiscal_year(local_today()))
        super().__init__(data, label_suffix="")
        _choices(self.fields["year"]).choices = fiscal_year_choices()
        _choices(self.fields["support_organization"]).choices = [("", _("すべて")), *organizations]

    def year_value(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return int(self.cleaned_data["year"])
        return fiscal_year(local_today())

    def support_organization_value(self) -> int | None:
        return self.cleaned_data.get("support_organization") if self.is_valid() else None
