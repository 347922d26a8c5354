"""The annual report (年度報告): built by the task worker into a workbook whose goals are the dashboard's
own numbers and a PDF in Japanese fonts; versions kept and numbered; one build at a time per year;
only administrators and office staff ask for one, every console role downloads, another organization
gets a 404; a failing section marks the report failed instead of crashing the worker; the build's
queries do not grow with the records, and its progress is visible while it runs and ends at 100."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_q.models import OrmQ
from openpyxl import load_workbook

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.cases.choices import CaseVariant
from ouentai.community.choices import MembershipStatus
from ouentai.community.services import memberships
from ouentai.core.errors import DomainError
from ouentai.core.models import AuditEntry
from ouentai.events import services as event_services
from ouentai.outcomes import reports
from ouentai.outcomes.choices import ReportStatus
from ouentai.outcomes.models import AnnualReport, Indicator, Target
from ouentai.outcomes.selectors import outcomes_for
from ouentai.outcomes.services import annual_report_build, annual_report_request
from ouentai.outcomes.services import reports as report_services
from tests.accounts.factories import make_user
from tests.cases.factories import CaseFactory, completed_engagement, publish
from tests.clock import clock_at
from tests.community.factories import CompanyFactory
from tests.engagements.factories import EngagementFactory
from tests.events.factories import RegistrationFactory, make_event
from tests.pdf import pdf_fonts, pdf_text

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)
PAGE = reverse("outcomes_console:reports")
Run = Callable[[], list[tuple[str, Any]]]


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def build(organization: Organization, actor: User, run: Run, year: int = 2026) -> AnnualReport:
    with clock_at(TODAY):
        report = annual_report_request(organization=organization, year=year, actor=actor)
        results = run()
    assert ("ouentai.outcomes.tasks.annual_report_build", "done") in results or (
        "ouentai.outcomes.tasks.annual_report_build",
        "failed",
    ) in results
    report.refresh_from_db()
    return report


def published_case(organization: Organization, day: dt.date, variant: str, title: str) -> None:
    with clock_at(day):
        publish(
            CaseFactory.create(engagement=completed_engagement(organization=organization), title=title),
            variant=variant,
        )


def sheet_rows(report: AnnualReport, title: str) -> list[tuple[Any, ...]]:
    with report.xlsx.open("rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()))
    return [tuple(row) for row in workbook[title].iter_rows(values_only=True)]


def test_the_report_holds_the_dashboards_numbers_in_both_formats(
    yokohama: Organization, staff: User, run_queued_tasks: Run, tmp_path: Path
) -> None:
    for day in (dt.date(2026, 4, 10), dt.date(2026, 6, 1), dt.date(2025, 5, 1)):
        EngagementFactory.create(organization=yokohama, started_on=day)
    published_case(yokohama, dt.date(2026, 6, 2), CaseVariant.NAMED, "受発注をクラウドにして納期回答を即日に")
    published_case(yokohama, dt.date(2026, 7, 2), CaseVariant.ANONYMOUS, "紙の日報をやめて現場の時間を生んだ")
    Target.objects.create(
        organization=yokohama,
        indicator=Indicator.objects.get(key="engagements_started"),
        fiscal_year=2026,
        target=Decimal(8),
        baseline=Decimal("5.5"),
    )

    report = build(yokohama, staff, run_queued_tasks)

    assert (report.status, report.progress, report.version, report.as_of) == (
        ReportStatus.DONE,
        100,
        1,
        TODAY,
    )
    with report.xlsx.open("rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()))
    assert workbook.sheetnames == [
        "概要",
        "成果目標と実績",
        "活動",
        "成功事例",
        "IT投資の見込み",
        "継続的な参加",
        "主要な人材",
    ]
    goals = workbook["成果目標と実績"]
    assert goals.cell(row=3, column=1).value == "指標" and goals.cell(row=3, column=1).font.bold
    assert goals.column_dimensions["A"].width > 10
    rows = {row[0]: row for row in goals.iter_rows(min_row=4, values_only=True) if row[1]}
    data = outcomes_for(organization=yokohama, year=2026, today=TODAY)
    assert len(rows) == len(data.outcomes)

    def same(cell: Any, value: Decimal | int | None) -> bool:
        return (cell is None and value is None) or (
            isinstance(cell, int | float) and Decimal(str(cell)) == Decimal(value or 0)
        )

    for outcome in data.outcomes:
        _label, _unit, target, baseline, actual, achievement, last_year = rows[outcome.label]
        assert same(target, outcome.target.target if outcome.target else None), outcome.label
        assert same(baseline, outcome.target.baseline if outcome.target else None), outcome.label
        assert same(actual, outcome.actual), outcome.label
        assert same(achievement, outcome.achievement), outcome.label
        assert same(last_year, outcome.last_year_same_period), outcome.label
    started = rows["支援案件の開始"]
    # Two started here, two more behind the published cases (their engagements).
    assert (started[2], started[3], started[4], started[5]) == (8, 5.5, 4, 50)
    assert rows["成功事例の公開"][4] == 2

    cases = sheet_rows(report, "成功事例")
    listed = {row[0]: row for row in cases[3:] if row[0]}
    assert listed["受発注をクラウドにして納期回答を即日に"][1] != "匿名"
    assert listed["紙の日報をやめて現場の時間を生んだ"][1] == "匿名"
    assert listed["紙の日報をやめて現場の時間を生んだ"][2] == dt.datetime(2026, 7, 2)  # a date cell

    with report.pdf.open("rb") as handle:
        pdf = handle.read()
    text = pdf_text(pdf, tmp_path)
    for expected in (
        "年度報告",
        "2026年度（令和8年度）",
        "ITコーディネータ横浜",
        "支援案件の開始",
        "紙の日報をやめて現場の時間を生んだ",
        "令和8年11月20日",
        "第1版",
    ):
        assert expected in text, expected
    pdf_fonts(pdf, tmp_path)  # no tofu: only embedded Noto CJK fonts
    actions = set(AuditEntry.objects.filter(target_id=str(report.pk)).values_list("action", flat=True))
    assert {"outcomes.report.requested", "outcomes.report.built"} <= actions


def test_versions_count_up_and_one_build_runs_at_a_time(
    yokohama: Organization, staff: User, run_queued_tasks: Run
) -> None:
    with clock_at(TODAY):
        first = annual_report_request(organization=yokohama, year=2026, actor=staff)
        assert (first.version, first.status) == (1, ReportStatus.QUEUED)
        with pytest.raises(DomainError) as refused:
            annual_report_request(organization=yokohama, year=2026, actor=staff)
        assert refused.value.code == "outcomes.report.running"
        assert "作成中" in str(refused.value.message)
        # Another year is another series of versions.
        assert annual_report_request(organization=yokohama, year=2025, actor=staff).version == 1
        run_queued_tasks()
        second = annual_report_request(organization=yokohama, year=2026, actor=staff)
        AnnualReport.objects.filter(pk=second.pk).update(status=ReportStatus.RUNNING)
        with pytest.raises(DomainError):
            annual_report_request(organization=yokohama, year=2026, actor=staff)
    assert second.version == 2
    # A build whose task was lost (nothing moved for long) no longer blocks: it is marked failed.
    with clock_at(timezone.now() + report_services.STALLED_AFTER + dt.timedelta(minutes=1)):
        third = annual_report_request(organization=yokohama, year=2026, actor=staff)
    second.refresh_from_db()
    assert (third.version, second.status) == (3, ReportStatus.FAILED)
    assert list(
        AnnualReport.objects.filter(organization=yokohama, fiscal_year=2026)
        .order_by("version")
        .values_list("version", flat=True)
    ) == [1, 2, 3]
    # The years offered: the running one and the ten before it.
    with clock_at(TODAY):
        for year in (2015, 2027):
            with pytest.raises(DomainError) as wrong_year:
                annual_report_request(organization=yokohama, year=year, actor=staff)
            assert wrong_year.value.code == "outcomes.report.year"


def test_coordinators_download_but_do_not_request_and_other_organizations_get_404(
    yokohama: Organization,
    staff: User,
    coordinator: User,
    kawasaki_staff: User,
    run_queued_tasks: Run,
) -> None:
    report = build(yokohama, staff, run_queued_tasks)
    xlsx = reverse("outcomes_console:report_xlsx", args=[report.pk])
    pdf = reverse("outcomes_console:report_pdf", args=[report.pk])
    client = client_for(coordinator)
    with clock_at(TODAY):
        page = client.get(PAGE)
        assert page.status_code == 200
        html = page.content.decode()
        assert "第1版" in html and xlsx in html and pdf in html
        assert "年度報告を作成" not in html
        assert client.post(PAGE, {"year": "2026"}).status_code == 403
        with pytest.raises(DomainError):
            annual_report_request(organization=yokohama, year=2026, actor=coordinator)
        download = client.get(xlsx)
    assert AnnualReport.objects.count() == 1
    assert download.status_code == 200
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"filename*=utf-8''{quote('年度報告_2026年度_第1版.xlsx')}" in disposition
    assert "no-store" in download["Cache-Control"]
    assert b"".join(cast(Any, download).streaming_content).startswith(b"PK")
    document = client.get(pdf)
    assert document.status_code == 200
    assert quote("年度報告_2026年度_第1版.pdf") in document["Content-Disposition"]
    other = client_for(kawasaki_staff)
    assert other.get(xlsx).status_code == 404
    assert other.get(pdf).status_code == 404
    with pytest.raises(DomainError):
        annual_report_request(organization=yokohama, year=2026, actor=kawasaki_staff)


def test_the_page_follows_the_build_and_office_staff_request_from_it(
    yokohama: Organization, staff: User, run_queued_tasks: Run
) -> None:
    client = client_for(staff)
    with clock_at(TODAY):
        response = client.post(PAGE, {"year": "2026"})
        assert response.status_code == 302 and response["Location"].endswith("?year=2026")
        waiting = client.get(PAGE, {"year": "2026"}).content.decode()
        assert 'http-equiv="refresh"' in waiting
        assert '<progress max="100" value="0"' in waiting and "順番待ち" in waiting
        refused = client.post(PAGE, {"year": "2026"}, follow=True).content.decode()
        assert "この年度の年度報告は作成中です" in refused
        run_queued_tasks()
        done = client.get(PAGE, {"year": "2026"}).content.decode()
        dashboard = client.get(reverse("outcomes_console:dashboard")).content.decode()
    assert 'http-equiv="refresh"' not in done and "完了" in done and "<progress" not in done
    assert AnnualReport.objects.get().status == ReportStatus.DONE
    assert f'href="{PAGE}?year=2026"' in dashboard


def test_a_failing_section_marks_the_report_failed_and_never_crashes_the_worker(
    yokohama: Organization, staff: User, run_queued_tasks: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**_kwargs: Any) -> list[reports.CaseRow]:
        raise RuntimeError("事例を読めません")

    monkeypatch.setattr(reports, "report_cases", broken)
    report = build(yokohama, staff, run_queued_tasks)
    assert report.status == ReportStatus.FAILED
    assert "RuntimeError: 事例を読めません" in report.error
    assert not report.xlsx and not report.pdf and report.finished_at is not None
    assert AnnualReport.objects.filter(pk=report.pk, status=ReportStatus.FAILED).exists()
    assert AuditEntry.objects.filter(action="outcomes.report.failed", target_id=str(report.pk)).exists()
    with clock_at(TODAY):
        html = client_for(staff).get(PAGE).content.decode()
        # The next request is accepted and builds again.
        monkeypatch.undo()
        again = annual_report_request(organization=yokohama, year=2026, actor=staff)
        run_queued_tasks()
    assert "作成できませんでした" in html and "RuntimeError" in html
    again.refresh_from_db()
    assert (again.version, again.status) == (2, ReportStatus.DONE)


def test_the_build_reports_progress_as_it_goes_and_ends_at_100(
    yokohama: Organization, staff: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int, str, int]] = []
    original = report_services._progress

    def watch(report_id: int, percent: int, step: str) -> None:
        original(report_id, percent, step)
        # What the page would read at this moment.
        seen.append((percent, step, AnnualReport.objects.get(pk=report_id).progress))

    monkeypatch.setattr(report_services, "_progress", watch)
    with clock_at(TODAY):
        report = annual_report_request(organization=yokohama, year=2026, actor=staff)
        assert annual_report_build(report.pk) == "done"
        assert annual_report_build(report.pk) == ReportStatus.DONE  # run twice: left as it is
    percents = [percent for percent, _step, _stored in seen]
    assert percents == sorted(percents) and len(percents) >= 8
    assert all(stored == percent for percent, _step, stored in seen)
    assert {step for _percent, step, _stored in seen} >= {"goals", "cases", "xlsx", "pdf"}
    report.refresh_from_db()
    assert (report.progress, report.step, report.status) == (100, "", ReportStatus.DONE)
    assert report.started_at is not None and report.finished_at is not None


def test_the_build_query_count_does_not_grow_with_the_records(yokohama: Organization, staff: User) -> None:
    def add(count: int, start: int) -> None:
        for number in range(start, start + count):
            published_case(yokohama, dt.date(2026, 5, 1), CaseVariant.NAMED, f"事例{number}")
            EngagementFactory.create(organization=yokohama, started_on=dt.date(2026, 6, 1))

    def queries() -> int:
        with clock_at(TODAY):
            report = annual_report_request(organization=yokohama, year=2026, actor=staff)
            with CaptureQueriesContext(connection) as captured:
                assert annual_report_build(report.pk) == "done"
        return len(captured)

    queries()  # caches warmed (content types, indicators)
    add(2, 0)
    few = queries()
    add(8, 2)
    assert queries() == few


def test_activity_continuity_trust_and_people(yokohama: Organization, staff: User) -> None:
    coordinator = make_user(yokohama, Role.COORDINATOR, name="鈴木 一郎")
    with clock_at(dt.date(2025, 6, 1)):
        last_year = make_event(yokohama, staff, kind="kickoff", capacity=10, sessions=1)
        earlier = RegistrationFactory.create(event=last_year, email="tanaka@example.jp")
    with clock_at(timezone.localtime(last_year.sessions.get().starts_at)):
        event_services.attendance_set(
            registration=earlier, session=last_year.sessions.get(), present=True, actor=staff
        )
    with clock_at(dt.date(2026, 5, 1)):
        kickoff = make_event(yokohama, staff, kind="kickoff", capacity=10, sessions=2)
        cases = make_event(yokohama, staff, kind="cases", capacity=10, sessions=1)
        tanaka = RegistrationFactory.create(event=kickoff, email="tanaka@example.jp")
        suzuki = RegistrationFactory.create(event=kickoff, email="suzuki@example.jp")
        again = RegistrationFactory.create(event=cases, email="tanaka@example.jp")
    for session in kickoff.sessions.order_by("starts_at"):
        with clock_at(timezone.localtime(session.starts_at)):
            for registration in (tanaka, suzuki):
                event_services.attendance_set(
                    registration=registration, session=session, present=True, actor=staff
                )
    with clock_at(timezone.localtime(cases.sessions.get().starts_at)):
        event_services.attendance_set(
            registration=again, session=cases.sessions.get(), present=True, actor=staff
        )
    EngagementFactory.create(organization=yokohama, lead=coordinator, started_on=dt.date(2026, 4, 5))
    with clock_at(dt.date(2026, 6, 1)):
        company = CompanyFactory.create(organization=yokohama, name="株式会社みなと精機")
        membership = memberships.membership_create(
            company=company, status=MembershipStatus.ACTIVE, actor=staff
        )
        memberships.membership_assign_coordinator(membership=membership, coordinator=coordinator, actor=staff)
        memberships.membership_record_investment(
            membership=membership, on=dt.date(2023, 8, 1), note="生産管理の導入", cycle_years=4, actor=staff
        )

    with clock_at(TODAY):
        data = reports.annual_report_data(
            organization=yokohama, year=2026, as_of=TODAY, version=1, generated_at=timezone.now()
        )
    by_kind = {row.label: row for row in data.activity.events}
    assert (by_kind["キックオフセミナー"].events, by_kind["キックオフセミナー"].sessions) == (1, 2)
    assert (by_kind["キックオフセミナー"].attendances, by_kind["キックオフセミナー"].attendees) == (4, 2)
    assert (by_kind["事例発表会"].attendances, data.activity.events_total.attendees) == (1, 2)
    assert data.activity.engagements.started == 1 and data.activity.engagements.continuing == 1
    # 田中 came to two events this year and also last year; 鈴木 to one event, this year only.
    assert data.trust.people == reports.Repeat(attended=2, several_events=1, earlier_years=1, repeating=1)
    assert data.continuity.year_label == "2027年度（令和9年度）"
    assert [count for _label, count in data.continuity.quarters] == [0, 1, 0, 0]
    assert data.continuity.members[0].company == "株式会社みなと精機"
    (person,) = [row for row in data.people if row.name == "鈴木 一郎"]
    assert (person.engagements_continuing, person.members) == (1, 1)
    assert data.cover.year_label == "2026年度（令和8年度）"
    assert data.cover.as_of_text == "2026年11月20日（令和8年11月20日）"


def test_the_build_is_queued_with_the_request_or_not_at_all(yokohama: Organization, staff: User) -> None:
    queued = OrmQ.objects.count()
    with clock_at(TODAY), pytest.raises(RuntimeError), transaction.atomic():
        annual_report_request(organization=yokohama, year=2026, actor=staff)
        assert OrmQ.objects.count() == queued + 1
        raise RuntimeError("the request's transaction fails")
    assert not AnnualReport.objects.exists()
    assert OrmQ.objects.count() == queued
