"""Console forms of engagements: the list and board filters, the engagement form, the small forms of
the engagement page (status, phase, checklist, note, attachment) and the KPI forms. Numbers accept
what people type in Japanese: full-width digits, commas (１，２００ → 1200) and full-width minus."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.choices import CONSOLE_ROLES, Role
from ouentai.accounts.models import Organization, User
from ouentai.community.models import Company
from ouentai.core.fields import FreeTextField, JapaneseDecimalField, NameField, text_input
from ouentai.core.forms import AccessibleFormMixin
from ouentai.engagements.choices import EngagementStatus, KpiDirection, Phase
from ouentai.engagements.models import Engagement, Kpi
from ouentai.engagements.services import EngagementData, KpiData

ALL = "all"
DATE_FORMAT = "%Y-%m-%d"


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT)


def console_people(organization: Organization) -> list[tuple[int, str]]:
    """Who can lead or join an engagement: the organization's active console users (one query)."""
    users = User.objects.filter(organization=organization, role__in=CONSOLE_ROLES, is_active=True)
    return [(user.pk, str(user)) for user in users.order_by("name", "pk")]


# --- Filters ----------------------------------------------------------------------------------------


class EngagementFilterForm(AccessibleFormMixin, forms.Form):
    """Filters of the list and the board. A coordinator first sees their own engagements (lead or
    member), others everyone's; "all" (全員) shows every engagement of the organization."""

    coordinator = forms.ChoiceField(label=_("担当者"), required=False)
    status = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *EngagementStatus.choices]
    )
    phase = forms.ChoiceField(
        label=_("フェーズ"), required=False, choices=[("", _("すべて")), *Phase.choices]
    )
    q = forms.CharField(
        label=_("検索"),
        required=False,
        max_length=100,
        help_text=_("案件名・会社名"),
        widget=text_input(type="search"),
    )

    def __init__(
        self,
        data: Any,
        *,
        user: User,
        people: list[tuple[int, str]],
        default_status: str = "",
        with_phase: bool = True,
    ) -> None:
        data = data.copy()
        if "coordinator" not in data:
            data["coordinator"] = str(user.pk) if user.role == Role.COORDINATOR else ALL
        if "status" not in data:
            data["status"] = default_status
        super().__init__(data, label_suffix="")
        field = self.fields["coordinator"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(ALL, _("全員")), *((str(pk), name) for pk, name in people)]
        if not with_phase:
            del self.fields["phase"]
            del self.fields["q"]

    def value(self, name: str) -> str:
        return str(self.cleaned_data.get(name) or "") if self.is_valid() else ""

    def lead_id(self) -> int | None:
        value = self.value("coordinator")
        return int(value) if value.isdigit() else None


# --- The engagement ----------------------------------------------------------------------------------


class EngagementForm(AccessibleFormMixin, forms.Form):
    """An engagement's own fields. The company and the entry phase are chosen on creation only."""

    company = forms.TypedChoiceField(label=_("企業"), coerce=int)
    title = NameField(label=_("案件名"), max_length=200)
    lead = forms.TypedChoiceField(label=_("主担当"), coerce=int)
    members = forms.TypedMultipleChoiceField(
        label=_("メンバー"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    started_on = forms.DateField(label=_("開始日"), widget=_date_input())
    target_on = forms.DateField(label=_("目標日"), required=False, widget=_date_input())
    phase = forms.ChoiceField(
        label=_("開始するフェーズ"),
        choices=Phase.choices,
        initial=Phase.STRATEGY,
        help_text=_("途中のフェーズから始める企業もあります。"),
    )
    challenges = FreeTextField(
        label=_("経営課題（企業の言葉で）"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    strategy = FreeTextField(
        label=_("経営戦略（企業の言葉で）"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self,
        *args: Any,
        organization: Organization,
        people: list[tuple[int, str]],
        engagement: Engagement | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if engagement is None:
            companies = Company.objects.filter(organization=organization).order_by("name_kana", "name", "pk")
            field = self.fields["company"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("選択してください")), *companies.values_list("pk", "name")]
        else:
            del self.fields["company"]
            del self.fields["phase"]
        lead = self.fields["lead"]
        members = self.fields["members"]
        assert isinstance(lead, forms.ChoiceField) and isinstance(members, forms.ChoiceField)
        lead.choices = [("", _("選択してください")), *people]
        members.choices = people

    def to_data(self) -> EngagementData:
        d = self.cleaned_data
        return EngagementData(
            title=d["title"],
            lead_id=d["lead"],
            started_on=d["started_on"],
            target_on=d.get("target_on"),
            challenges=d.get("challenges") or "",
            strategy=d.get("strategy") or "",
            member_ids=tuple(sorted(set(d.get("members") or []) - {d["lead"]})),
        )

    @staticmethod
    def initial_from(engagement: Engagement) -> dict[str, Any]:
        return {
            "title": engagement.title,
            "lead": engagement.lead_id,
            "members": [member.pk for member in engagement.members.all()],
            "started_on": engagement.started_on,
            "target_on": engagement.target_on,
            "challenges": engagement.challenges,
            "strategy": engagement.strategy,
        }


class StatusForm(AccessibleFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("状態"), choices=EngagementStatus.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="status", **kwargs)


class PhaseForm(AccessibleFormMixin, forms.Form):
    phase = forms.ChoiceField(
        label=_("移動先のフェーズ"), choices=[("", _("選択してください")), *Phase.choices]
    )
    note = NameField(
        label=_("メモ"),
        required=False,
        max_length=500,
        help_text=_("フェーズを変える理由など。履歴に残ります。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="phase", **kwargs)


class NoteForm(AccessibleFormMixin, forms.Form):
    body = FreeTextField(label=_("メモ"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="note", **kwargs)


class AttachmentForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(label=_("ファイル"), help_text=_("1ファイル20MBまで。"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="attachment", **kwargs)


# --- KPIs ---------------------------------------------------------------------------------------------


class KpiForm(AccessibleFormMixin, forms.Form):
    """A KPI's name, unit, direction, baseline and target."""

    name = NameField(label=_("指標"), max_length=100, widget=text_input(placeholder=_("例：受注処理時間")))
    unit = NameField(
        label=_("単位"), max_length=20, required=False, widget=text_input(placeholder=_("例：分、万円、日"))
    )
    direction = forms.ChoiceField(
        label=_("良くなる向き"),
        choices=KpiDirection.choices,
        widget=forms.RadioSelect,
        initial=KpiDirection.INCREASE,
    )
    baseline_value = JapaneseDecimalField(label=_("基準値"))
    baseline_on = forms.DateField(label=_("基準日"), widget=_date_input())
    target_value = JapaneseDecimalField(label=_("目標値"))
    target_on = forms.DateField(label=_("目標期日"), widget=_date_input())
    order = forms.IntegerField(label=_("表示順"), required=False, min_value=0, max_value=999)

    def to_data(self) -> KpiData:
        d = self.cleaned_data
        return KpiData(
            name=d["name"],
            unit=d.get("unit") or "",
            direction=d["direction"],
            baseline_value=d["baseline_value"],
            baseline_on=d["baseline_on"],
            target_value=d["target_value"],
            target_on=d["target_on"],
            order=d.get("order") or 0,
        )

    @staticmethod
    def initial_from(kpi: Kpi) -> dict[str, Any]:
        return {
            "name": kpi.name,
            "unit": kpi.unit,
            "direction": kpi.direction,
            "baseline_value": kpi.baseline_value.normalize(),
            "baseline_on": kpi.baseline_on,
            "target_value": kpi.target_value.normalize(),
            "target_on": kpi.target_on,
            "order": kpi.order,
        }


class MeasurementForm(AccessibleFormMixin, forms.Form):
    """An actual value of a KPI on a date."""

    measured_on = forms.DateField(label=_("測定日"), widget=_date_input())
    value = JapaneseDecimalField(label=_("実績値"))
    note = NameField(label=_("メモ"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measured_on"].initial = timezone.localdate
