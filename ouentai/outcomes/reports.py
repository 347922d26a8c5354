"""The annual report (年度報告) of an implementing organization: what it contains, gathered once into
dataclasses from which both the .xlsx workbook and the PDF are written, so that the two always agree.

Every section counts its 年度 up to ``as_of`` (the last day counted: the year's end once it is over,
the day the report was built while it runs), reads only the organization's records, and costs a fixed
number of queries whatever the number of rows. The numbers follow the dashboard's rules: the goals
come from ``selectors.outcomes_for`` itself, the activity counts the same rows as the indicators
(cancelled registrations never count, a case counts only while it is public), and records of a
merged-away company count with the company they were moved to."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.cases.choices import CaseVariant
from ouentai.cases.selectors.public import public_cases
from ouentai.community.choices import MembershipStatus
from ouentai.community.models import Membership
from ouentai.core.calendar import fiscal_year, fiscal_year_bounds, fiscal_year_text, wareki_date
from ouentai.core.exports import FORMULA_STARTS, XLSX_CELL_MAX, XLSX_ILLEGAL
from ouentai.core.numbers import number_text
from ouentai.core.pdf import render_pdf
from ouentai.engagements.choices import EngagementStatus
from ouentai.engagements.models import Engagement
from ouentai.events.choices import EventKind, RegistrationStatus
from ouentai.events.models import Attendance, Session
from ouentai.network.choices import DispatchStatus
from ouentai.network.models import DispatchRequest
from ouentai.outcomes.selectors import outcomes_for

# (percent, step key): what the build reports while it gathers each section (choices.REPORT_STEPS).
Progress = Callable[[int, str], None]


def date_text(day: dt.date) -> str:
    """2026-11-20 → 2026年11月20日（令和8年11月20日）: 西暦 with 和暦, as the report writes dates."""
    return _("%(year)d年%(month)d月%(day)d日（%(wareki)s）") % {
        "year": day.year,
        "month": day.month,
        "day": day.day,
        "wareki": wareki_date(day),
    }


def _span(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) moments of the local days first..last."""
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    return start, end


def _number(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value


# --- Cover -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cover:
    organization: str
    year: int
    year_label: str  # 2026年度（令和8年度）
    first: dt.date
    last: dt.date
    as_of: dt.date
    version: int
    generated_at: dt.datetime

    @property
    def period(self) -> str:
        return _("%(first)s〜%(last)s") % {"first": date_text(self.first), "last": date_text(self.last)}

    @property
    def as_of_text(self) -> str:
        return date_text(self.as_of)

    @property
    def generated_text(self) -> str:
        moment = timezone.localtime(self.generated_at)
        return f"{date_text(moment.date())} {moment:%H:%M}"

    @property
    def year_complete(self) -> bool:
        return self.as_of >= self.last


def report_cover(
    *, organization: Organization, year: int, as_of: dt.date, version: int, generated_at: dt.datetime
) -> Cover:
    first, last = fiscal_year_bounds(year)
    return Cover(
        organization=organization.name,
        year=year,
        year_label=fiscal_year_text(year),
        first=first,
        last=last,
        as_of=as_of,
        version=version,
        generated_at=generated_at,
    )


# --- 成果目標と実績 --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalRow:
    key: str
    label: str
    unit: str
    target: Decimal | None
    baseline: Decimal | None
    actual: Decimal
    achievement: int | None  # whole percent of the target; None without a positive target
    last_year: Decimal  # last year's same period (in full once this year is over)


def report_goals(*, organization: Organization, year: int, as_of: dt.date) -> list[GoalRow]:
    """Each active indicator exactly as the dashboard shows it on ``as_of``."""
    data = outcomes_for(organization=organization, year=year, today=as_of)
    return [
        GoalRow(
            key=outcome.indicator.key,
            label=outcome.label,
            unit=str(outcome.indicator.get_unit_display()),
            target=outcome.target.target if outcome.target else None,
            baseline=outcome.target.baseline if outcome.target else None,
            actual=outcome.actual,
            achievement=outcome.achievement,
            last_year=outcome.last_year_same_period,
        )
        for outcome in data.outcomes
    ]


# --- 活動 ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventRow:
    label: str
    events: int
    sessions: int
    attendances: int  # check-ins (one person at two sessions counts twice)
    attendees: int  # distinct people


@dataclass(frozen=True)
class EngagementCounts:
    started: int
    completed: int
    continuing: int  # started by as_of and neither completed by then nor withdrawn (on hold included)


@dataclass(frozen=True)
class DispatchRow:
    scheme: str
    support_organization: str
    completed: int
    visits: int


@dataclass(frozen=True)
class Activity:
    events: list[EventRow]
    events_total: EventRow
    engagements: EngagementCounts
    dispatches: list[DispatchRow]

    @property
    def dispatches_total(self) -> tuple[int, int]:
        return sum(row.completed for row in self.dispatches), sum(row.visits for row in self.dispatches)


def _person(registration_id: int, email_key: str) -> str:
    """A person is their e-mail address; one registered by phone only is their registration (as the
    attendee indicators count)."""
    return email_key or f"registration-{registration_id}"


def _continuing(as_of: dt.date) -> Q:
    return Q(started_on__lte=as_of) & (
        Q(status__in=(EngagementStatus.ACTIVE, EngagementStatus.ON_HOLD))
        | Q(status=EngagementStatus.COMPLETED, completed_on__gt=as_of)
    )


def report_activity(*, organization: Organization, year: int, as_of: dt.date) -> Activity:
    """Events held in the year by kind (a session on a day of the year up to ``as_of``), engagements
    started, completed and continuing, and expert dispatches completed by scheme. Four queries."""
    first, _last = fiscal_year_bounds(year)
    start, end = _span(first, as_of)
    sessions = Session.objects.filter(
        event__organization=organization, starts_at__gte=start, starts_at__lt=end
    ).values_list("event_id", "event__kind")
    events: dict[str, set[int]] = defaultdict(set)
    session_count: dict[str, int] = defaultdict(int)
    for event_id, kind in sessions:
        events[kind].add(event_id)
        session_count[kind] += 1
    attendances = (
        Attendance.objects.filter(
            registration__organization=organization, session__starts_at__gte=start, session__starts_at__lt=end
        )
        .exclude(registration__status=RegistrationStatus.CANCELLED)
        .values_list("registration_id", "registration__email_key", "session__event__kind")
    )
    checkins: dict[str, int] = defaultdict(int)
    people: dict[str, set[str]] = defaultdict(set)
    for registration_id, email_key, kind in attendances:
        checkins[kind] += 1
        people[kind].add(_person(registration_id, email_key))
    rows = [
        EventRow(
            label=str(label),
            events=len(events[kind]),
            sessions=session_count[kind],
            attendances=checkins[kind],
            attendees=len(people[kind]),
        )
        for kind, label in EventKind.choices
    ]
    total = EventRow(
        label=_("合計"),
        events=sum(row.events for row in rows),
        sessions=sum(row.sessions for row in rows),
        attendances=sum(row.attendances for row in rows),
        attendees=len(set().union(*people.values())) if people else 0,
    )
    counts = Engagement.objects.filter(organization=organization).aggregate(
        started=Count("pk", filter=Q(started_on__gte=first, started_on__lte=as_of)),
        completed=Count(
            "pk",
            filter=Q(status=EngagementStatus.COMPLETED, completed_on__gte=first, completed_on__lte=as_of),
        ),
        continuing=Count("pk", filter=_continuing(as_of)),
    )
    dispatches = (
        DispatchRequest.objects.filter(
            organization=organization, status=DispatchStatus.CLOSED, closed_at__gte=start, closed_at__lt=end
        )
        .values("scheme_id", "scheme__name", "scheme__support_organization__name")
        .annotate(completed=Count("pk", distinct=True), visit_count=Count("visits"))
        .order_by("scheme__support_organization__name", "scheme__name", "scheme_id")
    )
    return Activity(
        events=rows,
        events_total=total,
        engagements=EngagementCounts(**counts),
        dispatches=[
            DispatchRow(
                scheme=row["scheme__name"],
                support_organization=row["scheme__support_organization__name"],
                completed=row["completed"],
                visits=row["visit_count"],
            )
            for row in dispatches
        ],
    )


# --- 公開した成功事例 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRow:
    title: str
    company: str  # 匿名 for an anonymized case
    anonymous: bool
    published_on: dt.date


def report_cases(*, organization: Organization, year: int, as_of: dt.date) -> list[CaseRow]:
    """The cases published in the year (up to ``as_of``) that are public now, oldest first. An
    anonymized case names no company, here as on the public pages. One query."""
    first, _last = fiscal_year_bounds(year)
    start, end = _span(first, as_of)
    cases = (
        public_cases()
        .filter(organization=organization, published_at__gte=start, published_at__lt=end)
        .select_related("company")
        .order_by("published_at", "pk")
    )
    rows = []
    for case in cases:
        anonymous = case.variant != CaseVariant.NAMED
        assert case.published_at is not None
        rows.append(
            CaseRow(
                title=case.title,
                company=_("匿名") if anonymous else case.company.name,
                anonymous=anonymous,
                published_on=timezone.localdate(case.published_at),
            )
        )
    return rows


# --- 継続性（IT投資の見込み） ------------------------------------------------------------------------------


@dataclass(frozen=True)
class InvestmentRow:
    company: str
    due_on: dt.date
    quarter: int  # 1: April–June … 4: January–March
    coordinator: str
    last_investment: str


@dataclass(frozen=True)
class Continuity:
    year: int  # the 年度 the investments are expected in: the one after the report's
    year_label: str
    quarters: list[tuple[str, int]]
    members: list[InvestmentRow]


def quarter_of(day: dt.date) -> int:
    return (day.month - 4) % 12 // 3 + 1


def quarter_labels() -> list[str]:
    return [
        _("第1四半期（4〜6月）"),
        _("第2四半期（7〜9月）"),
        _("第3四半期（10〜12月）"),
        _("第4四半期（1〜3月）"),
    ]


def report_continuity(*, organization: Organization, year: int, as_of: dt.date) -> Continuity:
    """Members (active or dormant, as the pipeline counts them) whose next IT investment is expected in
    the following 年度, by quarter, soonest first. The members as they stand when the report is built.
    One query."""
    following = year + 1
    first, last = fiscal_year_bounds(following)
    members = (
        Membership.objects.filter(
            organization=organization,
            status__in=(MembershipStatus.ACTIVE, MembershipStatus.LAPSED),
            next_investment_due__gte=first,
            next_investment_due__lte=last,
        )
        .select_related("company", "coordinator")
        .order_by("next_investment_due", "pk")
    )
    rows = []
    for membership in members:
        assert membership.next_investment_due is not None
        rows.append(
            InvestmentRow(
                company=membership.company.name,
                due_on=membership.next_investment_due,
                quarter=quarter_of(membership.next_investment_due),
                coordinator=membership.coordinator.name if membership.coordinator else "—",
                last_investment=membership.last_it_investment_note or "—",
            )
        )
    counts = [sum(1 for row in rows if row.quarter == number) for number in (1, 2, 3, 4)]
    return Continuity(
        year=following,
        year_label=fiscal_year_text(following),
        quarters=list(zip(quarter_labels(), counts, strict=True)),
        members=rows,
    )


# --- 信頼（継続的な参加） ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Repeat:
    attended: int  # came to at least one event in the year
    several_events: int  # … to two or more events in the year
    earlier_years: int  # … and also in an earlier 年度 (two or more different years)
    repeating: int  # either of the two


@dataclass(frozen=True)
class Trust:
    people: Repeat
    companies: Repeat


def _repeat(years: dict[Any, set[int]], events: dict[Any, set[int]], year: int) -> Repeat:
    present = [key for key, seen in years.items() if year in seen]
    several = {key for key in present if len(events[key]) >= 2}
    earlier = {key for key in present if len(years[key]) >= 2}
    return Repeat(
        attended=len(present),
        several_events=len(several),
        earlier_years=len(earlier),
        repeating=len(several | earlier),
    )


def report_trust(*, organization: Organization, year: int, as_of: dt.date) -> Trust:
    """Who keeps coming: of the people and companies that attended an event in the year (up to
    ``as_of``), those at two or more events in the year and those who had also attended in an earlier
    年度. Cancelled registrations never count; a person is their e-mail address. One query."""
    _first, end = _span(as_of, as_of)
    attendances = (
        Attendance.objects.filter(registration__organization=organization, session__starts_at__lt=end)
        .exclude(registration__status=RegistrationStatus.CANCELLED)
        .values_list(
            "registration_id",
            "registration__email_key",
            "registration__company_id",
            "session__event_id",
            "session__starts_at",
        )
    )
    person_years: dict[str, set[int]] = defaultdict(set)
    person_events: dict[str, set[int]] = defaultdict(set)
    company_years: dict[int, set[int]] = defaultdict(set)
    company_events: dict[int, set[int]] = defaultdict(set)
    for registration_id, email_key, company_id, event_id, starts_at in attendances:
        attended_in = fiscal_year(timezone.localdate(starts_at))
        person = _person(registration_id, email_key)
        person_years[person].add(attended_in)
        if company_id is not None:
            company_years[company_id].add(attended_in)
        if attended_in == year:
            person_events[person].add(event_id)
            if company_id is not None:
                company_events[company_id].add(event_id)
    return Trust(
        people=_repeat(person_years, person_events, year),
        companies=_repeat(company_years, company_events, year),
    )


# --- 主要な人材 ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoordinatorRow:
    name: str
    engagements_continuing: int  # led, continuing on as_of
    engagements_completed: int  # led, completed in the year
    members: int  # member companies looked after now
    dispatches: int  # dispatch requests filed by them and completed in the year


def report_people(*, organization: Organization, year: int, as_of: dt.date) -> list[CoordinatorRow]:
    """The organization's active IT coordinators and their load. Four queries."""
    first, _last = fiscal_year_bounds(year)
    start, end = _span(first, as_of)
    coordinators = list(
        User.objects.filter(organization=organization, role=Role.COORDINATOR, is_active=True).order_by(
            "name_kana", "name", "pk"
        )
    )
    ids = [user.pk for user in coordinators]
    led: dict[int, tuple[int, int]] = {
        lead_id: (continuing, completed)
        for lead_id, continuing, completed in Engagement.objects.filter(
            organization=organization, lead_id__in=ids
        )
        .values("lead_id")
        .annotate(
            continuing=Count("pk", filter=_continuing(as_of)),
            completed=Count(
                "pk",
                filter=Q(status=EngagementStatus.COMPLETED, completed_on__gte=first, completed_on__lte=as_of),
            ),
        )
        .order_by()
        .values_list("lead_id", "continuing", "completed")
    }
    members = dict(
        Membership.objects.filter(
            organization=organization,
            coordinator_id__in=ids,
            status__in=(MembershipStatus.ACTIVE, MembershipStatus.LAPSED),
        )
        .values("coordinator_id")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("coordinator_id", "count")
    )
    dispatches = dict(
        DispatchRequest.objects.filter(
            organization=organization,
            created_by_id__in=ids,
            status=DispatchStatus.CLOSED,
            closed_at__gte=start,
            closed_at__lt=end,
        )
        .values("created_by_id")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("created_by_id", "count")
    )
    return [
        CoordinatorRow(
            name=user.name,
            engagements_continuing=led.get(user.pk, (0, 0))[0],
            engagements_completed=led.get(user.pk, (0, 0))[1],
            members=members.get(user.pk, 0),
            dispatches=dispatches.get(user.pk, 0),
        )
        for user in coordinators
    ]


# --- The whole report --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnnualReportData:
    cover: Cover
    goals: list[GoalRow]
    activity: Activity
    cases: list[CaseRow]
    continuity: Continuity
    trust: Trust
    people: list[CoordinatorRow]


def annual_report_data(
    *,
    organization: Organization,
    year: int,
    as_of: dt.date,
    version: int,
    generated_at: dt.datetime,
    progress: Progress | None = None,
) -> AnnualReportData:
    """Every section of the report, calling ``progress(percent, step)`` before each one."""

    def step(percent: int, key: str) -> None:
        if progress is not None:
            progress(percent, key)

    step(5, "goals")
    goals = report_goals(organization=organization, year=year, as_of=as_of)
    step(30, "activity")
    activity = report_activity(organization=organization, year=year, as_of=as_of)
    step(45, "cases")
    cases = report_cases(organization=organization, year=year, as_of=as_of)
    step(55, "continuity")
    continuity = report_continuity(organization=organization, year=year, as_of=as_of)
    step(62, "trust")
    trust = report_trust(organization=organization, year=year, as_of=as_of)
    step(70, "people")
    people = report_people(organization=organization, year=year, as_of=as_of)
    return AnnualReportData(
        cover=report_cover(
            organization=organization, year=year, as_of=as_of, version=version, generated_at=generated_at
        ),
        goals=goals,
        activity=activity,
        cases=cases,
        continuity=continuity,
        trust=trust,
        people=people,
    )


# --- The workbook ------------------------------------------------------------------------------------

HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=13)
NUMBER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"
DATE_FORMAT = "yyyy-mm-dd"
MIN_WIDTH, MAX_WIDTH = 8, 60


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Any]]
    caption: str = ""
    notes: list[str] = field(default_factory=list)


def _text_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, int | Decimal | float):
        return len(f"{value:,}")
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in str(value))


def _put(sheet: Worksheet, row: int, column: int, value: Any, *, font: Font | None = None) -> None:
    """One cell: numbers as numbers, dates as dates, text always as text (never a formula, characters
    a workbook cannot hold dropped)."""
    if isinstance(value, Decimal):
        value = _number(value)
    if isinstance(value, str):
        value = XLSX_ILLEGAL.sub("", value)[:XLSX_CELL_MAX]
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
    elif isinstance(value, Decimal):
        cell.number_format = DECIMAL_FORMAT
    elif isinstance(value, int):
        cell.number_format = NUMBER_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    if font is not None:
        cell.font = font


def _sheet(workbook: Workbook, title: str, heading: str, tables: Sequence[Table]) -> None:
    """A sheet with its heading, then each table (caption, bold header row, rows) with a blank row
    between them; columns as wide as their longest cell."""
    sheet = workbook.create_sheet(title=title[:31])
    widths: dict[int, int] = defaultdict(int)
    _put(sheet, 1, 1, heading, font=TITLE_FONT)
    row = 3
    for table in tables:
        if table.caption:
            _put(sheet, row, 1, table.caption, font=HEADER_FONT)
            row += 1
        for column, header in enumerate(table.headers, start=1):
            _put(sheet, row, column, header, font=HEADER_FONT)
            sheet.cell(row=row, column=column).alignment = Alignment(wrap_text=True, vertical="top")
            widths[column] = max(widths[column], _text_width(header))
        row += 1
        for values in table.rows:
            for column, value in enumerate(values, start=1):
                _put(sheet, row, column, value)
                widths[column] = max(widths[column], _text_width(value))
            row += 1
        for note in table.notes:
            _put(sheet, row, 1, note)
            row += 1
        row += 1
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(MAX_WIDTH, max(MIN_WIDTH, width + 2))


def report_tables(data: AnnualReportData) -> list[tuple[str, str, list[Table]]]:
    """(sheet name, heading, tables) of each section: the workbook's sheets and the PDF's sections."""
    cover, activity, trust = data.cover, data.activity, data.trust
    summary = Table(
        headers=[_("項目"), _("内容")],
        rows=[
            [_("組織"), cover.organization],
            [_("年度"), cover.year_label],
            [_("期間"), cover.period],
            [_("集計の対象日"), cover.as_of_text],
            [_("版"), cover.version],
            [_("作成日時"), cover.generated_text],
        ],
    )
    goals = Table(
        headers=[
            _("指標"),
            _("単位"),
            _("目標値"),
            _("基準値"),
            _("実績"),
            _("達成率（％）"),
            _("前年度の同じ時期"),
        ],
        rows=[
            [row.label, row.unit, row.target, row.baseline, row.actual, row.achievement, row.last_year]
            for row in data.goals
        ],
        notes=[
            _("前年度の同じ時期：年度の途中では前年度の同じ日まで、年度が終わっていれば前年度の全体。"),
        ],
    )
    events = Table(
        caption=_("イベント（種類別）"),
        headers=[_("種類"), _("イベント数"), _("開催回数"), _("出席（延べ）"), _("出席者（実人数）")],
        rows=[
            [row.label, row.events, row.sessions, row.attendances, row.attendees]
            for row in [*activity.events, activity.events_total]
        ],
    )
    engagements = Table(
        caption=_("支援案件"),
        headers=[_("項目"), _("件数")],
        rows=[
            [_("開始した支援案件"), activity.engagements.started],
            [_("完了した支援案件"), activity.engagements.completed],
            [_("集計の対象日に継続中の支援案件（保留を含む）"), activity.engagements.continuing],
        ],
    )
    completed, visits = activity.dispatches_total
    dispatches = Table(
        caption=_("専門家派遣（完了したもの、派遣制度別）"),
        headers=[_("派遣制度"), _("支援機関"), _("完了件数"), _("訪問回数")],
        rows=[
            [row.scheme, row.support_organization, row.completed, row.visits] for row in activity.dispatches
        ]
        + [[_("合計"), "", completed, visits]],
    )
    cases = Table(
        headers=[_("事例の表題"), _("企業"), _("公開日")],
        rows=[[row.title, row.company, row.published_on] for row in data.cases],
    )
    continuity = data.continuity
    quarters = Table(
        caption=_("%(year)sの見込み（四半期別）") % {"year": continuity.year_label},
        headers=[_("四半期"), _("会員企業の数")],
        rows=[[label, count] for label, count in continuity.quarters]
        + [[_("合計"), len(continuity.members)]],
    )
    members = Table(
        caption=_("会員企業の一覧"),
        headers=[
            _("企業"),
            _("次のIT投資の見込み"),
            _("四半期"),
            _("担当ITコーディネータ"),
            _("前回のIT投資の内容"),
        ],
        rows=[
            [row.company, row.due_on, quarter_labels()[row.quarter - 1], row.coordinator, row.last_investment]
            for row in continuity.members
        ],
    )
    repeat = Table(
        headers=[_("項目"), _("人"), _("企業")],
        rows=[
            [_("年度内にイベントに参加"), trust.people.attended, trust.companies.attended],
            [
                _("うち年度内に2つ以上のイベントに参加"),
                trust.people.several_events,
                trust.companies.several_events,
            ],
            [_("うち前の年度にも参加"), trust.people.earlier_years, trust.companies.earlier_years],
            [_("継続的な参加（上の二つのいずれか）"), trust.people.repeating, trust.companies.repeating],
        ],
        notes=[_("人はメールアドレスで数えます。企業は申込が企業に結びついているものだけを数えます。")],
    )
    people = Table(
        headers=[
            _("ITコーディネータ"),
            _("主担当で継続中の支援案件"),
            _("主担当で年度内に完了した支援案件"),
            _("担当する会員企業"),
            _("申請して年度内に完了した派遣"),
        ],
        rows=[
            [
                row.name,
                row.engagements_continuing,
                row.engagements_completed,
                row.members,
                row.dispatches,
            ]
            for row in data.people
        ],
    )
    return [
        (_("概要"), _("年度報告の概要"), [summary]),
        (_("成果目標と実績"), _("成果目標と実績"), [goals]),
        (_("活動"), _("活動"), [events, engagements, dispatches]),
        (_("成功事例"), _("公開した成功事例"), [cases]),
        (_("IT投資の見込み"), _("継続性（IT投資の見込み）"), [quarters, members]),
        (_("継続的な参加"), _("信頼（継続的な参加）"), [repeat]),
        (_("主要な人材"), _("主要な人材"), [people]),
    ]


def report_xlsx(data: AnnualReportData) -> bytes:
    """The workbook: one sheet per section, header rows bold, numbers and dates as such."""
    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    for title, heading, tables in report_tables(data):
        _sheet(workbook, title, heading, tables)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool


def _cell(value: Any) -> Cell:
    if value is None:
        return Cell("—", False)
    if isinstance(value, int | Decimal):
        return Cell(number_text(value), True)
    if isinstance(value, dt.date):
        return Cell(
            _("%(year)d年%(month)d月%(day)d日")
            % {"year": value.year, "month": value.month, "day": value.day},
            False,
        )
    return Cell(str(value), False)


@dataclass(frozen=True)
class PdfTable:
    caption: str
    headers: list[str]
    rows: list[list[Cell]]
    notes: list[str]

    @property
    def header_cells(self) -> list[Cell]:
        """The headers, right-aligned over the columns of numbers."""
        numeric = {index for row in self.rows for index, cell in enumerate(row) if cell.numeric}
        return [Cell(header, index in numeric) for index, header in enumerate(self.headers)]


def pdf_sections(data: AnnualReportData) -> list[tuple[str, list[PdfTable]]]:
    """The sections after the cover, their cells as the PDF shows them (numbers with separators, no
    value as —), from the same tables as the workbook."""
    return [
        (
            heading,
            [
                PdfTable(
                    caption=table.caption,
                    headers=table.headers,
                    rows=[[_cell(value) for value in row] for row in table.rows],
                    notes=table.notes,
                )
                for table in tables
            ],
        )
        for _title, heading, tables in report_tables(data)[1:]
    ]


def report_pdf(data: AnnualReportData, organization: Organization) -> bytes:
    """The A4 document (templates/pdf/document.html: Noto CJK fonts, page numbers "n / N")."""
    return render_pdf(
        "outcomes/report_pdf.html",
        {"report": data, "sections": pdf_sections(data), "organization": organization},
    )
