"""Console engagement pages: who may open them, the list and the board, the engagement form, the
engagement page and its small forms, attachments, and query counts (the KPI page: test_console_kpis.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.community.models import Company
from ouentai.engagements import services
from ouentai.engagements.checklists import checklist_items_for
from ouentai.engagements.choices import EngagementStatus, Phase
from ouentai.engagements.models import (
    Attachment,
    ChecklistCheck,
    Engagement,
    KpiMeasurement,
    PhaseChange,
)
from ouentai.events import services as event_services
from ouentai.events.models import Attendance
from tests.accounts.factories import make_user
from tests.community.factories import CompanyFactory
from tests.engagements.factories import EngagementFactory, KpiFactory
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db


def _login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def _make_engagement(
    organization: Organization,
    lead: User,
    *,
    title: str = "在庫の見える化",
    company_name: str = "株式会社港北製作所",
) -> Engagement:
    company = CompanyFactory.create(organization=organization, name=company_name)
    return EngagementFactory.create(
        organization=organization,
        company=company,
        title=title,
        lead=lead,
        started_on=dt.date(2026, 9, 1),
    )


@pytest.fixture
def attachment(engagement: Engagement, coordinator: User) -> Attachment:
    upload = SimpleUploadedFile(
        "ヒアリング記録 2026年10月.pdf", b"%PDF-1.4 minato", content_type="application/pdf"
    )
    return services.attachment_add(engagement=engagement, upload=upload, actor=coordinator)


def _urls(engagement: Engagement, attachment: Attachment) -> list[tuple[str, str]]:
    """(method, url) of every page of this module: GET each page, POST each form target."""
    pk = engagement.pk
    return [
        ("get", reverse("engagements_console:list")),
        ("get", reverse("engagements_console:board")),
        ("post", reverse("engagements_console:board")),
        ("get", reverse("engagements_console:create")),
        ("post", reverse("engagements_console:create")),
        ("get", reverse("engagements_console:detail", args=[pk])),
        ("post", reverse("engagements_console:detail", args=[pk])),
        ("get", reverse("engagements_console:edit", args=[pk])),
        ("post", reverse("engagements_console:edit", args=[pk])),
        ("get", reverse("engagements_console:attachment", args=[pk, attachment.pk])),
        ("post", reverse("engagements_console:attachment", args=[pk, attachment.pk])),
        ("get", reverse("engagements_console:kpis", args=[pk])),
        ("post", reverse("engagements_console:kpis", args=[pk])),
    ]


# --- Access -----------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client: Client, engagement: Engagement, attachment: Attachment) -> None:
    for method, url in _urls(engagement, attachment):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"], url


def test_member_is_refused(
    client: Client, engagement: Engagement, attachment: Attachment, member: User
) -> None:
    _login(client, member)
    for method, url in _urls(engagement, attachment):
        assert getattr(client, method)(url).status_code == 403, url


def test_other_organization_gets_404(
    client: Client, engagement: Engagement, attachment: Attachment, kawasaki_staff: User, coordinator: User
) -> None:
    kpi = KpiFactory.create(engagement=engagement, actor=coordinator, measurements=2)
    _login(client, kawasaki_staff)
    for method, url in _urls(engagement, attachment):
        if f"/{engagement.pk}/" in url:  # the record pages
            data = (
                {"action": "delete"}
                if "attachments" in url
                else {"action": "phase", "phase-phase": "operation"}
            )
            response = getattr(client, method)(url, data) if method == "post" else client.get(url)
            assert response.status_code == 404, url
    # Moving it from their own board, or measuring its KPI: 404 too.
    board = reverse("engagements_console:board")
    assert client.post(board, {"engagement": engagement.pk, "phase": Phase.OPERATION}).status_code == 404
    kpis = reverse("engagements_console:kpis", args=[engagement.pk])
    measure = {"action": "measure", "kpi": kpi.pk, f"measure-{kpi.pk}-measured_on": "2027-05-01"}
    assert client.post(kpis, {**measure, f"measure-{kpi.pk}-value": "9"}).status_code == 404
    # Their list and board do not show yokohama's engagement; their form does not offer its company.
    for name in ("list", "board", "create"):
        html = client.get(
            reverse(f"engagements_console:{name}") + "?coordinator=all&status="
        ).content.decode()
        assert engagement.title not in html, name
        assert engagement.company.name not in html, name
    # Nothing changed.
    engagement.refresh_from_db()
    assert engagement.phase == Phase.STRATEGY
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert KpiMeasurement.objects.filter(kpi=kpi).count() == 2


def test_creating_for_another_organizations_company_refused(
    client: Client, kawasaki_staff: User, company: Company
) -> None:
    _login(client, kawasaki_staff)
    response = client.post(
        reverse("engagements_console:create"),
        {
            "company": company.pk,
            "title": "横取り",
            "lead": kawasaki_staff.pk,
            "started_on": "2026-11-01",
            "phase": "strategy",
        },
    )
    assert response.status_code == 400
    assert not Engagement.objects.filter(title="横取り").exists()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.STAFF, Role.ORG_ADMIN])
def test_every_console_role_opens_every_page(
    client: Client, engagement: Engagement, attachment: Attachment, yokohama: Organization, role: str
) -> None:
    _login(client, make_user(yokohama, role))
    for method, url in _urls(engagement, attachment):
        if method == "get":
            assert client.get(url).status_code == 200, url


# --- List and board -----------------------------------------------------------------------------------


def test_list_defaults_to_the_coordinators_own_engagements(
    client: Client, engagement: Engagement, coordinator: User, staff: User, yokohama: Organization
) -> None:
    other_lead = make_user(yokohama, Role.COORDINATOR, name="佐藤 次郎")
    others = _make_engagement(yokohama, other_lead, title="受発注のEDI化", company_name="株式会社青葉物流")
    joined = _make_engagement(yokohama, other_lead, title="勤怠のクラウド化", company_name="株式会社戸塚食品")
    joined.members.add(coordinator)
    _login(client, coordinator)
    url = reverse("engagements_console:list")
    html = client.get(url).content.decode()
    assert engagement.title in html and joined.title in html  # lead or member
    assert others.title not in html
    html = client.get(url, {"coordinator": "all"}).content.decode()
    assert all(e.title in html for e in (engagement, others, joined))
    for column in ("企業", "案件名", "主担当", "フェーズ", "状態", "開始日", "目標日"):
        assert f'<th scope="col">{column}</th>' in html
    assert reverse("engagements_console:create") in html
    assert reverse("engagements_console:board") in html
    # Staff see everyone's at first; search and filters narrow the list.
    _login(client, staff)
    assert others.title in client.get(url).content.decode()
    html = client.get(url, {"q": "青葉"}).content.decode()
    assert others.title in html and engagement.title not in html
    services.engagement_set_phase(engagement=others, phase=Phase.PROCUREMENT, actor=staff)
    html = client.get(url, {"phase": Phase.PROCUREMENT}).content.decode()
    assert others.title in html and engagement.title not in html
    services.engagement_set_status(engagement=joined, status=EngagementStatus.ON_HOLD, actor=staff)
    html = client.get(url, {"status": EngagementStatus.ON_HOLD}).content.decode()
    assert joined.title in html and engagement.title not in html


def test_board_columns_in_process_order_with_days_in_phase(
    client: Client, engagement: Engagement, coordinator: User
) -> None:
    PhaseChange.objects.filter(engagement=engagement).update(
        changed_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    _login(client, coordinator)
    response = client.get(reverse("engagements_console:board"))
    html = response.content.decode()
    positions = [html.index(f'id="phase-{phase}"') for phase in Phase.values]
    assert positions == sorted(positions)
    card = html[html.index(f'id="engagement-{engagement.pk}"') :]
    assert engagement.company.name in card[:600]
    assert "鈴木 一郎" in card[:800]
    columns = response.context["columns"]
    strategy = next(c for c in columns if c.phase == Phase.STRATEGY)
    assert [e.pk for e in strategy.engagements] == [engagement.pk]
    assert strategy.engagements[0].days_in_phase > 365 * 5


def test_board_hides_closed_engagements_by_default(
    client: Client, engagement: Engagement, coordinator: User
) -> None:
    services.engagement_set_status(
        engagement=engagement, status=EngagementStatus.COMPLETED, actor=coordinator
    )
    _login(client, coordinator)
    url = reverse("engagements_console:board")
    assert f'id="engagement-{engagement.pk}"' not in client.get(url).content.decode()
    assert f'id="engagement-{engagement.pk}"' in client.get(url, {"status": ""}).content.decode()


def test_board_moves_a_card_without_javascript(
    client: Client, engagement: Engagement, coordinator: User
) -> None:
    _login(client, coordinator)
    url = reverse("engagements_console:board")
    response = client.post(
        url,
        {
            "engagement": engagement.pk,
            "phase": Phase.IMPLEMENTATION,
            "query": "coordinator=all&status=active",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{url}?coordinator=all&status=active#engagement-{engagement.pk}"
    engagement.refresh_from_db()
    assert engagement.phase == Phase.IMPLEMENTATION
    change = PhaseChange.objects.filter(engagement=engagement).latest("changed_at", "pk")
    assert (change.from_phase, change.to_phase, change.actor) == (
        Phase.STRATEGY,
        Phase.IMPLEMENTATION,
        coordinator,
    )
    # A foreign address in the query cannot redirect elsewhere.
    response = client.post(
        url, {"engagement": engagement.pk, "phase": Phase.OPERATION, "query": "//evil.example"}
    )
    assert response["Location"].startswith(url)


# --- The engagement form ------------------------------------------------------------------------------


def test_coordinator_creates_an_engagement_from_the_company_page(
    client: Client, company: Company, coordinator: User, yokohama: Organization
) -> None:
    helper = make_user(yokohama, Role.COORDINATOR, name="佐藤 次郎")
    _login(client, coordinator)
    url = reverse("engagements_console:create")
    form = client.get(url, {"company": company.pk}).context["form"]
    assert form.initial["company"] == company.pk
    assert form.initial["lead"] == coordinator.pk
    response = client.post(
        url,
        {
            "company": company.pk,
            "title": "ＩＴ戦略の策定",
            "lead": coordinator.pk,
            "members": [helper.pk],
            "started_on": "2026-11-01",
            "target_on": "2027-03-31",
            "phase": Phase.IT_STRATEGY,
            "challenges": "納期回答が遅い",
            "strategy": "短納期で選ばれる",
        },
    )
    engagement = Engagement.objects.get(title="IT戦略の策定")  # full-width letters narrowed
    assert response.status_code == 302
    assert response["Location"] == reverse("engagements_console:detail", args=[engagement.pk])
    assert (engagement.company, engagement.lead, engagement.phase) == (
        company,
        coordinator,
        Phase.IT_STRATEGY,
    )
    assert list(engagement.members.all()) == [helper]
    assert PhaseChange.objects.get(engagement=engagement).to_phase == Phase.IT_STRATEGY


def test_form_refusal_keeps_input(client: Client, company: Company, coordinator: User) -> None:
    _login(client, coordinator)
    response = client.post(
        reverse("engagements_console:create"),
        {
            "company": company.pk,
            "title": "日付が逆",
            "lead": coordinator.pk,
            "started_on": "2026-11-01",
            "target_on": "2026-10-01",
            "phase": Phase.STRATEGY,
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "目標日は開始日より後にしてください。" in html
    assert 'value="日付が逆"' in html
    assert not Engagement.objects.exists()


def test_edit_changes_people_and_dates(client: Client, engagement: Engagement, staff: User) -> None:
    _login(client, staff)
    url = reverse("engagements_console:edit", args=[engagement.pk])
    assert client.get(url).context["form"].initial["title"] == engagement.title
    response = client.post(
        url,
        {
            "title": "受注から出荷までの見える化（第2期）",
            "lead": staff.pk,
            "started_on": "2026-10-01",
            "target_on": "2027-06-30",
            "challenges": engagement.challenges,
            "strategy": engagement.strategy,
        },
    )
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert (engagement.title, engagement.lead, engagement.target_on) == (
        "受注から出荷までの見える化（第2期）",
        staff,
        dt.date(2027, 6, 30),
    )


# --- The engagement page ------------------------------------------------------------------------------


def test_detail_moves_phases_in_any_order_and_shows_history(
    client: Client, engagement: Engagement, coordinator: User
) -> None:
    _login(client, coordinator)
    url = reverse("engagements_console:detail", args=[engagement.pk])
    for phase in (Phase.IMPLEMENTATION, Phase.IT_STRATEGY):
        response = client.post(url, {"action": "phase", "phase-phase": phase, "phase-note": f"{phase}へ"})
        assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.phase == Phase.IT_STRATEGY
    html = client.get(url).content.decode()
    assert "IT導入 → IT戦略策定" in html
    assert "経営戦略 → IT導入" in html
    assert "経営戦略から開始" in html
    assert html.count('aria-current="step"') == 1
    current = html[html.index('aria-current="step"') :]
    assert current.index("IT戦略策定") < current.index("</li>")


def test_closed_engagement_phase_change_shown_beside_the_form(
    client: Client, engagement: Engagement, coordinator: User
) -> None:
    _login(client, coordinator)
    url = reverse("engagements_console:detail", args=[engagement.pk])
    assert (
        client.post(url, {"action": "status", "status-status": EngagementStatus.WITHDRAWN}).status_code == 302
    )
    response = client.post(url, {"action": "phase", "phase-phase": Phase.OPERATION, "phase-note": "再開？"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "完了または中止した案件のフェーズは変えられません" in html
    assert 'value="再開？"' in html
    engagement.refresh_from_db()
    assert (engagement.phase, engagement.status) == (Phase.STRATEGY, EngagementStatus.WITHDRAWN)


def test_checklist_notes_and_attachments_from_the_page(
    client: Client, engagement: Engagement, coordinator: User, yokohama: Organization
) -> None:
    _login(client, coordinator)
    url = reverse("engagements_console:detail", args=[engagement.pk])
    item = next(i for i in checklist_items_for(yokohama) if i.phase == Phase.STRATEGY)
    assert client.post(url, {"action": "check", "item": item.pk, "done": "1"}).status_code == 302
    assert ChecklistCheck.objects.filter(engagement=engagement, item=item, done_by=coordinator).exists()
    html = client.get(url).content.decode()
    assert "1／3 完了" in html
    assert client.post(url, {"action": "check", "item": item.pk, "done": "0"}).status_code == 302
    assert not ChecklistCheck.objects.exists()

    assert (
        client.post(url, {"action": "note", "note-body": "社長と面談。在庫の数字が合わない。"}).status_code
        == 302
    )
    response = client.post(url, {"action": "note", "note-body": "   "})
    assert response.status_code == 400

    upload = SimpleUploadedFile("現状の業務フロー.xlsx", b"PK\x03\x04 data")
    assert client.post(url, {"action": "attachment", "attachment-file": upload}).status_code == 302
    attachment = Attachment.objects.get(engagement=engagement)
    html = client.get(url).content.decode()
    assert "社長と面談。在庫の数字が合わない。" in html
    assert "現状の業務フロー.xlsx" in html
    assert reverse("engagements_console:attachment", args=[engagement.pk, attachment.pk]) in html


def test_attachment_download_and_delete(
    client: Client, engagement: Engagement, attachment: Attachment, yokohama: Organization, coordinator: User
) -> None:
    url = reverse("engagements_console:attachment", args=[engagement.pk, attachment.pk])
    other = make_user(yokohama, Role.COORDINATOR, name="佐藤 次郎")
    _login(client, other)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 minato"  # type: ignore[attr-defined]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" in disposition
    assert "%E3%83%92%E3%82%A2%E3%83%AA%E3%83%B3%E3%82%B0" in disposition  # ヒアリング
    # Not the lead: may download, may not delete.
    assert client.post(url, {"action": "delete"}).status_code == 403
    _login(client, coordinator)
    response = client.post(url, {"action": "delete"})
    assert response.status_code == 302
    assert not Attachment.objects.exists()


def test_attachment_of_another_engagement_is_404(
    client: Client, engagement: Engagement, attachment: Attachment, coordinator: User, yokohama: Organization
) -> None:
    other = _make_engagement(yokohama, coordinator)
    _login(client, coordinator)
    url = reverse("engagements_console:attachment", args=[other.pk, attachment.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "delete"}).status_code == 404


def test_detail_shows_kpis_events_and_plans(
    client: Client, engagement: Engagement, coordinator: User, staff: User, yokohama: Organization
) -> None:
    kpi = KpiFactory.create(engagement=engagement, actor=coordinator, measurements=2)
    KpiFactory.create(engagement=engagement, actor=coordinator, name="受注件数", measurements=0)
    event = make_event(yokohama, staff, title="DX経営者セミナー", capacity=10)
    registration = event_services.registration_create(
        event=event,
        data=event_services.RegistrationData(
            name="港 一郎", company_name="みなと精機", email="minato@example.jp"
        ),
    )
    registration.company = engagement.company
    registration.save(update_fields=["company"])
    Attendance.objects.create(registration=registration, session=event.sessions.all()[0])
    unattended = make_event(yokohama, staff, title="欠席したセミナー", capacity=10)
    no_show = event_services.registration_create(
        event=unattended,
        data=event_services.RegistrationData(
            name="港 一郎", company_name="みなと精機", email="minato@example.jp"
        ),
    )
    no_show.company = engagement.company
    no_show.save(update_fields=["company"])
    _login(client, coordinator)
    html = client.get(reverse("engagements_console:detail", args=[engagement.pk])).content.decode()
    assert "DX経営者セミナー" in html and "1回出席" in html
    assert "欠席したセミナー" not in html
    assert reverse("engagements_console:kpis", args=[engagement.pk]) + f"#kpi-{kpi.pk}" in html
    assert "1,110万円" in html  # the latest of 1,050 and 1,110
    assert "未達成" in html and "未測定" in html
    assert reverse("engagements_console:plan_edit", args=[engagement.pk]) in html


# --- Query counts ---------------------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def _grow(engagement: Engagement, coordinator: User, yokohama: Organization, n: int) -> None:
    """Add ``n`` engagements (with members, moves and notes) and ``n`` KPIs with measurements, checks,
    notes and files to ``engagement``."""
    helper = make_user(yokohama, Role.COORDINATOR, name=f"補助 {n}")
    items = checklist_items_for(yokohama)
    for i in range(n):
        other = _make_engagement(yokohama, coordinator, title=f"案件{i}", company_name=f"株式会社テスト{i}")
        other.members.add(helper)
        services.engagement_set_phase(engagement=other, phase=Phase.values[i % 5], actor=coordinator)
        engagement.members.add(make_user(yokohama, Role.COORDINATOR, name=f"メンバー{i}"))
        KpiFactory.create(engagement=engagement, actor=coordinator, name=f"指標{i}", measurements=3)
        services.note_add(engagement=engagement, body=f"メモ{i}", actor=coordinator)
        services.attachment_add(
            engagement=engagement, upload=SimpleUploadedFile(f"資料{i}.txt", b"data"), actor=coordinator
        )
        if i < len(items):
            services.checklist_set(engagement=engagement, item=items[i], done=True, actor=coordinator)
        services.engagement_set_phase(
            engagement=engagement, phase=Phase.values[(i + 1) % 5], actor=coordinator
        )


def test_query_counts_are_constant(
    client: Client, engagement: Engagement, coordinator: User, yokohama: Organization
) -> None:
    KpiFactory.create(engagement=engagement, actor=coordinator, measurements=2)
    # One of each kind of audit entry the history names a record in (a note): the history looks each
    # kind up once per page, so the count is the same for one and for ten of them.
    services.note_add(engagement=engagement, body="最初のメモ", actor=coordinator)
    _login(client, coordinator)
    urls = [
        reverse("engagements_console:list") + "?coordinator=all",
        reverse("engagements_console:board") + "?coordinator=all",
        reverse("engagements_console:detail", args=[engagement.pk]),
        reverse("engagements_console:kpis", args=[engagement.pk]),
    ]
    for url in urls:
        client.get(url)  # warm caches (content types, the checklist's first use)
    one = {url: _queries(client, url) for url in urls}
    _grow(engagement, coordinator, yokohama, 10)
    ten = {url: _queries(client, url) for url in urls}
    assert one == ten
    assert Engagement.objects.count() == 11
    html = client.get(urls[1]).content.decode()
    assert html.count('class="eng-card"') == 11


# Measured with 11 engagements, 11 KPIs, notes, files, checks and panels (list/board: session, user,
# people, counts and rows; the page: its records, the other apps' panels and the history in words).
# detail: 18 since the case library's section (its cases: one query).
QUERY_CEILINGS = {"list": 6, "board": 5, "detail": 18, "kpis": 7}


def test_query_counts_stay_under_their_ceiling(
    client: Client,
    engagement: Engagement,
    coordinator: User,
    yokohama: Organization,
    django_assert_max_num_queries,
) -> None:
    KpiFactory.create(engagement=engagement, actor=coordinator, measurements=2)
    _login(client, coordinator)
    urls = {
        "list": reverse("engagements_console:list") + "?coordinator=all",
        "board": reverse("engagements_console:board") + "?coordinator=all",
        "detail": reverse("engagements_console:detail", args=[engagement.pk]),
        "kpis": reverse("engagements_console:kpis", args=[engagement.pk]),
    }
    for url in urls.values():
        client.get(url)  # warm caches (content types, the checklist's first use)
    _grow(engagement, coordinator, yokohama, 10)
    for name, url in urls.items():
        with django_assert_max_num_queries(QUERY_CEILINGS[name]):
            assert client.get(url).status_code == 200
