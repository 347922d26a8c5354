"""How each computed indicator counts from the records: which rows, on which date, and whether the same
company or person counts once per 年度 (``distinct``: the first row of each in the year is the one
counted, so a number always drills down to exactly the rows it counts).

The dates are the days the thing happened, in Japan time (a case published at 00:30 on 1 April counts in
the new 年度). Statuses are read as they are now: a case withdrawn later no longer counts, a cancelled
registration's attendance never counts, and records of a merged-away company count with the company
they were moved to. Every rule takes the organization first: nothing is ever counted across them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import CharField, F, Model, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, NullIf, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ouentai.cases.choices import CaseStatus
from ouentai.cases.models import Case
from ouentai.community.models import Application, Membership
from ouentai.core.calendar import fiscal_year
from ouentai.engagements.choices import EngagementStatus
from ouentai.engagements.models import DiagnosisResult, Engagement, PlanVersion
from ouentai.events.choices import EventKind, RegistrationStatus
from ouentai.events.models import Attendance
from ouentai.network.choices import DispatchStatus
from ouentai.network.models import DispatchRequest
from ouentai.outcomes.models import Indicator


@dataclass(frozen=True)
class Column:
    label: Promise
    value: Callable[[Any], object]


@dataclass(frozen=True)
class Rule:
    """``rows(organization_id)``: every row that may count, ``day``: the field with its date (a date or
    a moment), ``distinct``: the field whose value counts once per 年度 (None: every row counts),
    ``contributor``: the company (or, for attendees, the person) a row is about, for the small-cell
    suppression of the program office's aggregates (a row without one counts as its own)."""

    key: str
    unit: str  # IndicatorUnit: 件, 社 or 人
    label: Promise
    definition: Promise
    rows: Callable[[int], QuerySet[Any]]
    day: str
    columns: tuple[Column, ...]
    link: Callable[[Any], str]
    contributor: str
    distinct: str | None = None

    def day_of(self, value: dt.date | dt.datetime) -> dt.date:
        return timezone.localdate(value) if isinstance(value, dt.datetime) else value

    def in_span(self, organization_id: int, first: dt.date, last: dt.date) -> QuerySet[Any]:
        """The rows whose date falls in [first, last] (local days)."""
        rows = self.rows(organization_id)
        if rows.model._meta.get_field(self.day).get_internal_type() == "DateTimeField":
            start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
            end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
            return rows.filter(**{f"{self.day}__gte": start, f"{self.day}__lt": end})
        return rows.filter(**{f"{self.day}__gte": first, f"{self.day}__lte": last})


class Counted(NamedTuple):
    day: dt.date
    pk: int
    contributor: Hashable  # the company or person; ("row", pk) when the row names none


def counted(rule: Rule, organization_id: int, first: dt.date, last: dt.date) -> list[Counted]:
    """Every counted row in [first, last], oldest first; with ``distinct``, only the first row of each
    company or person in each 年度. One query."""
    fields = ["pk", rule.day, rule.contributor]
    if rule.distinct is not None and rule.distinct != rule.contributor:
        fields.append(rule.distinct)
    rows = rule.in_span(organization_id, first, last).order_by(rule.day, "pk").values_list(*fields)
    seen: set[tuple[int, object]] = set()
    found = []
    for pk, day, contributor, *rest in rows:
        key = rest[0] if rest else contributor
        local = rule.day_of(day)
        if rule.distinct is not None:
            if (fiscal_year(local), key) in seen:
                continue
            seen.add((fiscal_year(local), key))
        found.append(Counted(local, pk, contributor if contributor is not None else ("row", pk)))
    return found


def _company(row: Any) -> object:
    return row.company.name if row.company_id else "—"


def _date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "—"
    day = timezone.localdate(value) if isinstance(value, dt.datetime) else value
    return f"{day:%Y-%m-%d}"


def _seminar_rows(kinds: tuple[str, ...]) -> Callable[[int], QuerySet[Any]]:
    def rows(organization_id: int) -> QuerySet[Any]:
        return (
            Attendance.objects.filter(
                registration__organization_id=organization_id, registration__event__kind__in=kinds
            )
            .exclude(registration__status=RegistrationStatus.CANCELLED)
            # A person is their e-mail address; one registered by phone only is their registration.
            .annotate(
                person=Coalesce(
                    NullIf("registration__email_key", Value("")),
                    Cast("registration_id", CharField()),
                )
            )
            .select_related("registration__event", "session")
        )

    return rows


def _stage_rose(organization_id: int) -> QuerySet[Any]:
    previous = DiagnosisResult.objects.filter(
        company_id=OuterRef("company_id"), created_at__lt=OuterRef("created_at")
    ).order_by("-created_at", "-pk")
    return (
        DiagnosisResult.objects.filter(organization_id=organization_id, company__isnull=False)
        .annotate(previous_stage=Subquery(previous.values("stage")[:1]))
        .filter(stage__gt=F("previous_stage"))
        .select_related("company")
    )


def _on_time(organization_id: int) -> QuerySet[Any]:
    return (
        Application.objects.filter(organization_id=organization_id, first_contacted_at__isnull=False)
        .annotate(contacted_on=TruncDate("first_contacted_at"))
        .filter(contacted_on__lte=F("due_on"))
    )


def _detail(name: str) -> Callable[[Model], str]:
    return lambda row: reverse(name, args=[row.pk])


def _company_link(row: Any) -> str:
    return reverse("community:company_detail", args=[row.company_id]) if row.company_id else ""


SEMINAR_KINDS = (EventKind.KICKOFF, EventKind.CASES, EventKind.OTHER)
PERSON_COLUMNS = (
    Column(_("氏名"), lambda row: row.registration.name),
    Column(_("会社名"), lambda row: row.registration.company_name or "—"),
    Column(_("イベント"), lambda row: row.registration.event.title),
    Column(_("受付日"), lambda row: _date(row.checked_in_at)),
)

RULES: dict[str, Rule] = {
    rule.key: rule
    for rule in (
        Rule(
            key="cases_published",
            unit="件",
            label=_("成功事例の公開"),
            definition=_("公開日で数えます。公開を取りやめた事例は数えません。"),
            rows=lambda org: Case.objects.filter(
                organization_id=org, status=CaseStatus.PUBLISHED
            ).select_related("company"),
            day="published_at",
            contributor="company_id",
            columns=(
                Column(_("事例"), lambda row: row.title),
                Column(_("企業"), _company),
                Column(_("公開日"), lambda row: _date(row.published_at)),
            ),
            link=_detail("cases_console:detail"),
        ),
        Rule(
            key="engagements_started",
            unit="件",
            label=_("支援案件の開始"),
            definition=_("支援案件の開始日で数えます（後で中止になった案件も含みます）。"),
            rows=lambda org: Engagement.objects.filter(organization_id=org).select_related("company", "lead"),
            day="started_on",
            contributor="company_id",
            columns=(
                Column(_("案件"), lambda row: row.title),
                Column(_("企業"), _company),
                Column(_("主担当"), lambda row: row.lead.name),
                Column(_("開始日"), lambda row: _date(row.started_on)),
            ),
            link=_detail("engagements_console:detail"),
        ),
        Rule(
            key="engagements_completed",
            unit="件",
            label=_("支援案件の完了"),
            definition=_("状態が完了になった日で数えます。完了を取り消した案件は数えません。"),
            rows=lambda org: Engagement.objects.filter(
                organization_id=org, status=EngagementStatus.COMPLETED
            ).select_related("company", "lead"),
            day="completed_on",
            contributor="company_id",
            columns=(
                Column(_("案件"), lambda row: row.title),
                Column(_("企業"), _company),
                Column(_("主担当"), lambda row: row.lead.name),
                Column(_("完了日"), lambda row: _date(row.completed_on)),
            ),
            link=_detail("engagements_console:detail"),
        ),
        Rule(
            key="plans_written",
            unit="件",
            label=_("計画書を作成した支援案件"),
            definition=_("支援案件ごとに、計画書の最初の版を保存した日で数えます。"),
            rows=lambda org: PlanVersion.objects.filter(engagement__organization_id=org).select_related(
                "engagement__company"
            ),
            day="created_at",
            contributor="engagement__company_id",
            distinct="engagement_id",
            columns=(
                Column(_("案件"), lambda row: row.engagement.title),
                Column(_("企業"), lambda row: row.engagement.company.name),
                Column(_("計画書の表題"), lambda row: row.title),
                Column(_("保存日"), lambda row: _date(row.created_at)),
            ),
            link=lambda row: reverse("engagements_console:detail", args=[row.engagement_id]),
        ),
        Rule(
            key="dispatches_completed",
            unit="件",
            label=_("専門家派遣の完了"),
            definition=_("派遣依頼が完了になった日で数えます（すべての派遣制度）。"),
            rows=lambda org: DispatchRequest.objects.filter(
                organization_id=org, status=DispatchStatus.CLOSED
            ).select_related("company", "scheme"),
            day="closed_at",
            contributor="company_id",
            columns=(
                Column(_("企業"), _company),
                Column(_("派遣制度"), lambda row: row.scheme.name),
                Column(_("完了日"), lambda row: _date(row.closed_at)),
            ),
            link=_detail("network_console:dispatch"),
        ),
        Rule(
            key="seminar_attendees",
            unit="人",
            label=_("セミナー・発表会の参加者"),
            definition=_(
                "キックオフセミナー・事例発表会などに出席した人を、年度で最初に受付した日で数えます。"
                "同じ人（同じメールアドレス）は年度に1回だけ数え、取り消した申込は数えません。"
            ),
            rows=_seminar_rows(SEMINAR_KINDS),
            day="checked_in_at",
            contributor="person",
            distinct="person",
            columns=PERSON_COLUMNS,
            link=lambda row: reverse("events_console:detail", args=[row.registration.event_id]),
        ),
        Rule(
            key="training_attendees",
            unit="人",
            label=_("経営者研修の受講者"),
            definition=_(
                "経営者研修に1回以上出席した人を、年度で最初に受付した日で数えます。同じ人は年度に1回だけ数えます。"
            ),
            rows=_seminar_rows((EventKind.TRAINING,)),
            day="checked_in_at",
            contributor="person",
            distinct="person",
            columns=PERSON_COLUMNS,
            link=lambda row: reverse("events_console:detail", args=[row.registration.event_id]),
        ),
        Rule(
            key="diagnosis_takers",
            unit="社",
            label=_("IT経営力診断を受けた企業"),
            definition=_("企業ごとに、年度で最初に診断を終えた日で数えます。"),
            rows=lambda org: DiagnosisResult.objects.filter(
                organization_id=org, company__isnull=False
            ).select_related("company"),
            day="created_at",
            contributor="company_id",
            distinct="company_id",
            columns=(
                Column(_("企業"), _company),
                Column(_("段階"), lambda row: row.get_stage_display()),
                Column(_("診断日"), lambda row: _date(row.created_at)),
            ),
            link=_company_link,
        ),
        Rule(
            key="stage_rose",
            unit="社",
            label=_("IT経営の段階が上がった企業"),
            definition=_(
                "診断の段階が、その企業の前回の診断より上がった日で数えます。企業ごとに年度に1回です。"
            ),
            rows=_stage_rose,
            day="created_at",
            contributor="company_id",
            distinct="company_id",
            columns=(
                Column(_("企業"), _company),
                Column(_("段階"), lambda row: row.get_stage_display()),
                Column(_("診断日"), lambda row: _date(row.created_at)),
            ),
            link=_company_link,
        ),
        Rule(
            key="members_joined",
            unit="社",
            label=_("新しく入会した会員企業"),
            definition=_("入会日で数えます（後で退会した企業も含みます）。"),
            rows=lambda org: Membership.objects.filter(
                organization_id=org, joined_on__isnull=False
            ).select_related("company"),
            day="joined_on",
            contributor="company_id",
            columns=(
                Column(_("企業"), _company),
                Column(_("会員の状態"), lambda row: row.get_status_display()),
                Column(_("入会日"), lambda row: _date(row.joined_on)),
            ),
            link=_company_link,
        ),
        Rule(
            key="it_investments",
            unit="社",
            label=_("IT投資を記録した会員企業"),
            definition=_("会員企業の直近のIT投資の日で数えます（IT投資の見込みに記録したもの）。"),
            rows=lambda org: Membership.objects.filter(
                organization_id=org, last_it_investment_on__isnull=False
            ).select_related("company"),
            day="last_it_investment_on",
            contributor="company_id",
            columns=(
                Column(_("企業"), _company),
                Column(_("IT投資の内容"), lambda row: row.last_it_investment_note or "—"),
                Column(_("IT投資の日"), lambda row: _date(row.last_it_investment_on)),
            ),
            link=_company_link,
        ),
        Rule(
            key="applications_on_time",
            unit="件",
            label=_("期限内に初回連絡した参加申込"),
            definition=_("受付日で数えます。返信期限（営業日）までに最初の連絡をした申込だけを数えます。"),
            rows=_on_time,
            day="received_at",
            contributor="company_id",
            columns=(
                Column(_("会社名"), lambda row: row.company_name),
                Column(_("受付日"), lambda row: _date(row.received_at)),
                Column(_("返信期限"), lambda row: _date(row.due_on)),
                Column(_("初回連絡日"), lambda row: _date(row.first_contacted_at)),
            ),
            link=_detail("community:application_detail"),
        ),
    )
}


def indicator_label(indicator: Indicator) -> str:
    """The name shown for an indicator: its counting rule's (translated), or the name given to a
    manual one."""
    rule = RULES.get(indicator.rule)
    return str(rule.label) if rule is not None else indicator.name
