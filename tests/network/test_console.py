"""The console pages of the support network: who may see what (every URL, every role), the directory
forms, a dispatch request from creation to the completion report (rule errors beside the field,
matching, assignment, PDF), the totals and their export, and constant query counts on the lists."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.community.models import Company
from ouentai.core.calendar import fiscal_year, local_today
from ouentai.core.models import AuditEntry
from ouentai.engagements.models import Engagement
from ouentai.network import selectors, services
from ouentai.network.choices import DispatchStatus
from ouentai.network.models import (
    DispatchRequest,
    DispatchScheme,
    Expert,
    KeyPerson,
    Skill,
    SupportOrganization,
)
from tests.accounts.factories import OrganizationFactory, make_user
from tests.clock import clock_at, days_ago_this_year
from tests.community.factories import CompanyFactory
from tests.network.factories import (
    DispatchFactory,
    ExpertFactory,
    QualificationData,
    SchemeFactory,
    SupportContactData,
    SupportOrganizationFactory,
)
from tests.pdf import pdf_fonts, pdf_text

pytestmark = pytest.mark.django_db


def _request(
    organization: Organization, company: Company, scheme: DispatchScheme, actor: User, *, visits: int = 2
) -> DispatchRequest:
    return DispatchFactory.create(
        organization=organization,
        company=company,
        scheme=scheme,
        theme="it",
        requested_visits=visits,
        purpose="在庫管理",
        actor=actor,
    )


def _reported(
    yokohama: Organization,
    sme: Company,
    scheme: DispatchScheme,
    staff: User,
    partner: User,
    expert_user: User,
) -> DispatchRequest:
    """A request carried out to the report: approved a week ago, then 2 visits of 2 hours, logged by the
    expert."""
    day = days_ago_this_year(7)
    with clock_at(day):
        request = _request(yokohama, sme, scheme, staff)
        services.dispatch_submit(request=request, actor=staff)
        services.dispatch_approve(request=request, actor=partner)
        services.dispatch_assign_expert(request=request, expert=expert_user.expert_profile, actor=staff)
    for offset, summary in ((0, "在庫の数え方を現場で確認した"), (1, "販売管理システムの候補を比較した")):
        services.visit_log(
            request=request,
            actor=expert_user,
            visited_on=min(day + dt.timedelta(days=offset), local_today()),
            starts_at=dt.time(14, 0),
            ends_at=dt.time(16, 0),
            summary=summary,
            next_steps="候補を2つに絞る",
        )
    return services.report_submit(
        request=request,
        actor=expert_user,
        fields={
            "summary": "在庫管理の見直しを支援",
            "advice": "クラウド型を推奨",
            "next_steps": "見積りを取る",
        },
    )


# --- Who may see what -----------------------------------------------------------------------------------


@pytest.fixture
def records(
    yokohama: Organization, support_org: SupportOrganization, scheme: DispatchScheme, sme: Company, staff: User,
    expert_user: User,
) -> dict[str, int]:  # fmt: skip
    request = _request(yokohama, sme, scheme, staff)
    return {
        "organization": support_org.pk,
        "scheme": scheme.pk,
        "expert": expert_user.expert_profile.pk,
        "dispatch": request.pk,
    }


def _urls(records: dict[str, int]) -> tuple[list[str], list[str]]:
    """(pages without a record, pages of a record)."""
    plain = [
        reverse("network_console:organizations"),
        reverse("network_console:organization_create"),
        reverse("network_console:scheme_create"),
        reverse("network_console:experts"),
        reverse("network_console:expert_create"),
        reverse("network_console:dispatches"),
        reverse("network_console:dispatch_create"),
        reverse("network_console:totals"),
        reverse("network_console:totals_export", args=["csv"]),
        reverse("network_console:totals_export", args=["xlsx"]),
    ]
    record = [
        reverse("network_console:organization", args=[records["organization"]]),
        reverse("network_console:organization_edit", args=[records["organization"]]),
        reverse("network_console:scheme_edit", args=[records["scheme"]]),
        reverse("network_console:expert", args=[records["expert"]]),
        reverse("network_console:expert_edit", args=[records["expert"]]),
        reverse("network_console:dispatch", args=[records["dispatch"]]),
        reverse("network_console:dispatch_edit", args=[records["dispatch"]]),
        reverse("network_console:dispatch_report", args=[records["dispatch"]]),
    ]
    return plain, record


def test_anonymous_users_are_sent_to_the_login(client: Client, records: dict[str, int]) -> None:
    plain, record = _urls(records)
    for url in plain + record:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


@pytest.mark.parametrize("role", [Role.MEMBER, Role.PARTNER, Role.EXPERT])
def test_members_partners_and_experts_get_403(
    client: Client, yokohama: Organization, records: dict[str, int], role: str
) -> None:
    client.force_login(make_user(yokohama, role))
    plain, record = _urls(records)
    for url in plain + record:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"action": "submit"}).status_code == 403, url


def test_another_organizations_staff_get_404_on_record_pages(
    client: Client, kawasaki_staff: User, records: dict[str, int]
) -> None:
    client.force_login(kawasaki_staff)
    _plain, record = _urls(records)
    for url in record:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"action": "submit"}).status_code in (404, 405), url  # 405: GET-only page
    assert DispatchRequest.objects.get(pk=records["dispatch"]).status == DispatchStatus.DRAFT


def test_staff_open_every_page(client: Client, staff: User, records: dict[str, int]) -> None:
    client.force_login(staff)
    plain, record = _urls(records)
    for url in plain + record:
        expected = 404 if url.endswith("report.pdf") else 200  # no report yet
        assert client.get(url).status_code == expected, url


def test_coordinator_creates_and_submits_but_cannot_edit_the_directory(
    client: Client, coordinator: User, records: dict[str, int], sme: Company, scheme: DispatchScheme
) -> None:
    client.force_login(coordinator)
    response = client.post(
        reverse("network_console:dispatch_create"),
        {
            "company": sme.pk,
            "scheme": scheme.pk,
            "theme": "it",
            "requested_visits": "２",
            "purpose": "受発注",
        },
    )
    assert response.status_code == 302
    request = DispatchRequest.objects.exclude(pk=records["dispatch"]).get()
    assert request.created_by == coordinator and request.requested_visits == 2
    response = client.post(reverse("network_console:dispatch", args=[request.pk]), {"action": "submit"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == DispatchStatus.SUBMITTED
    assert AuditEntry.objects.filter(action="network.request.submitted", actor=coordinator).exists()
    for url in [
        reverse("network_console:organization_create"),
        reverse("network_console:organization_edit", args=[records["organization"]]),
        reverse("network_console:scheme_create"),
        reverse("network_console:scheme_edit", args=[records["scheme"]]),
        reverse("network_console:expert_create"),
        reverse("network_console:expert_edit", args=[records["expert"]]),
        reverse("network_console:totals_export", args=["csv"]),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "x"}).status_code == 403, url
    # Reading is allowed; choosing the expert is not.
    assert (
        client.get(reverse("network_console:organization", args=[records["organization"]])).status_code == 200
    )
    response = client.post(
        reverse("network_console:dispatch", args=[request.pk]),
        {"action": "assign", "expert": records["expert"]},
    )
    assert response.status_code == 403


# --- Directory forms ------------------------------------------------------------------------------------


def test_support_organization_with_contacts_and_key_persons(client: Client, staff: User) -> None:
    client.force_login(staff)
    data = {
        "name": "横浜市経済局", "kind": "municipality", "region": "横浜市", "website": "city.yokohama.lg.jp",
        "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0",
        "contacts-0-name": "経済 太郎", "contacts-0-title": "中小企業支援課", "contacts-0-phone": "045-671-2222",
        "key_persons-TOTAL_FORMS": "1", "key_persons-INITIAL_FORMS": "0",
        "key_persons-0-name": "地域 花子", "key_persons-0-affiliation": "横浜商工会議所",
        "key_persons-0-commitment": "会員企業への周知", "key_persons-0-committed_on": "2026-05-01",
    }  # fmt: skip
    response = client.post(reverse("network_console:organization_create"), data)
    assert response.status_code == 302
    org = SupportOrganization.objects.get(name="横浜市経済局")
    assert org.website == "https://city.yokohama.lg.jp"
    contact = org.contacts.get()
    assert contact.phone == "+81456712222"
    person = KeyPerson.objects.get(support_organization=org)
    assert person.organization_id == org.organization_id and person.committed_on == dt.date(2026, 5, 1)
    assert AuditEntry.objects.filter(action="network.organization.saved", target_id=str(org.pk)).exists()
    page = client.get(reverse("network_console:organization", args=[org.pk])).content.decode()
    assert "会員企業への周知" in page and "045-671-2222" in page
    # A duplicate name is refused beside the field, with the input kept.
    response = client.post(reverse("network_console:organization_create"), {**data, "region": "横浜"})
    assert response.status_code == 400
    assert "すでに登録されています" in response.content.decode()


def test_scheme_form_turns_theme_inputs_into_rules_and_the_page_says_them(
    client: Client, staff: User, support_org: SupportOrganization
) -> None:
    client.force_login(staff)
    response = client.post(
        reverse("network_console:scheme_create"),
        {
            "support_organization": support_org.pk, "name": "中小企業119", "sme_only": "on",
            "area_codes": "14、14100", "visits_per_year": "３", "theme_it": "5", "hours_per_visit": "2",
            "fee_per_hour": "10,000", "fee_share_percent": "100", "opens_on": "2026-04-01",
            "report_fields": ["summary", "advice"], "is_active": "on",
        },
    )  # fmt: skip
    assert response.status_code == 302
    scheme = DispatchScheme.objects.get(name="中小企業119")
    assert scheme.visits_per_theme == {"it": 5} and scheme.area_codes == "14,14100"
    assert scheme.fee_per_hour == 10000 and scheme.report_fields == ["summary", "advice"]
    page = client.get(reverse("network_console:organization", args=[support_org.pk])).content.decode()
    assert (
        "中小企業のみ／神奈川県（14）、横浜市（14100）／1社あたり年度3回（IT活用・デジタル化は5回）／1回2時間／"
        "謝金 10,000円/時間の100%／受付 2026年4月1日〜" in page
    )
    response = client.post(
        reverse("network_console:scheme_edit", args=[scheme.pk]),
        {"support_organization": support_org.pk, "name": "中小企業119", "area_codes": "神奈川",
         "visits_per_year": "3", "hours_per_visit": "2", "fee_share_percent": "100"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "地域コードは都道府県の2桁か市区町村の5桁" in response.content.decode()


def test_expert_form_with_qualification_and_a_new_login(
    client: Client, staff: User, skills: dict[str, Skill]
) -> None:
    client.force_login(staff)
    response = client.post(
        reverse("network_console:expert_create"),
        {
            "name": "佐藤 健", "name_kana": "さとう けん", "email": "sato@example.jp", "skills": [skills["erp"].pk],
            "area_codes": "14", "is_available": "on", "max_active": "3", "create_login": "on",
            "qualifications-TOTAL_FORMS": "1", "qualifications-INITIAL_FORMS": "0",
            "qualifications-0-kind": "itc", "qualifications-0-number": "ITC-9", "qualifications-0-expires_on":
            (local_today() + dt.timedelta(days=30)).isoformat(),
        },
    )  # fmt: skip
    assert response.status_code == 302
    expert = Expert.objects.get(name="佐藤 健")
    assert expert.name_kana == "サトウ ケン"
    assert expert.user is not None and expert.user.role == Role.EXPERT
    assert not expert.user.has_usable_password() and expert.user.organization_id == staff.organization_id
    assert list(expert.skills.all()) == [skills["erp"]]
    page = client.get(response["Location"]).content.decode()
    assert "パスワードを決めるためのリンクをメールで送りました" in page and "（パスワード未設定）" in page
    page = client.get(reverse("network_console:experts")).content.decode()
    assert "期限まで30日" in page


# --- Dispatch requests ------------------------------------------------------------------------------------


def test_create_from_an_engagement_prefills_company_and_engagement(
    client: Client, staff: User, yokohama: Organization, sme: Company, scheme: DispatchScheme
) -> None:
    engagement = Engagement.objects.create(
        organization=yokohama, company=sme, title="在庫の見える化", lead=staff, started_on=dt.date(2026, 4, 1)
    )
    client.force_login(staff)
    page = client.get(reverse("network_console:dispatch_create") + f"?engagement={engagement.pk}")
    text = page.content.decode()
    assert f'<option value="{sme.pk}" selected>' in text
    assert f'<option value="{engagement.pk}" selected>' in text


def test_a_request_over_the_limit_shows_the_rule_beside_the_field(
    client: Client, staff: User, yokohama: Organization, sme: Company, scheme: DispatchScheme
) -> None:
    submitted = _request(yokohama, sme, scheme, staff, visits=4)
    services.dispatch_submit(request=submitted, actor=staff)
    client.force_login(staff)
    response = client.post(
        reverse("network_console:dispatch_create"),
        {
            "company": sme.pk,
            "scheme": scheme.pk,
            "theme": "it",
            "requested_visits": "2",
            "purpose": "在庫の相談",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    error = text[text.index('id="id_requested_visits_error"') :]
    assert "訪問は5回までです" in error[:400] and "残りは1回です" in error[:400]
    assert "在庫の相談" in text  # input kept
    assert DispatchRequest.objects.count() == 1


def test_the_matching_table_lists_experts_in_the_services_order_with_reasons(
    client: Client, staff: User, yokohama: Organization, sme: Company, scheme: DispatchScheme,
    skills: dict[str, Skill], expert_user: User,
) -> None:  # fmt: skip
    ExpertFactory.create(
        organization=yokohama,
        name="財務 次郎",
        name_kana="ザイム ジロウ",
        skills=[skills["finance"]],
        area_codes="13",
    )
    ExpertFactory.create(
        organization=yokohama,
        name="休止 三郎",
        name_kana="キュウシ サブロウ",
        skills=[skills["erp"]],
        is_available=False,
    )
    request = _request(yokohama, sme, scheme, staff)
    expected = selectors.expert_candidates(request)
    client.force_login(staff)
    text = client.get(reverse("network_console:dispatch", args=[request.pk])).content.decode()
    table = text[text.index('class="table stack-mobile net-matching"') :]
    positions = [table.index(candidate.expert.name) for candidate in expected]
    assert positions == sorted(positions)
    for candidate in expected:
        for reason in candidate.reasons:
            assert reason in table
    assert "ITコーディネータ（有効）" in table and "希望日に受付停止中" in table
    assert table.count("この専門家に決める") == len(expected)


def test_assigning_an_expert(
    client: Client,
    staff: User,
    yokohama: Organization,
    sme: Company,
    scheme: DispatchScheme,
    expert_user: User,
) -> None:
    request = _request(yokohama, sme, scheme, staff)
    client.force_login(staff)
    response = client.post(
        reverse("network_console:dispatch", args=[request.pk]),
        {"action": "assign", "expert": expert_user.expert_profile.pk},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.expert == expert_user.expert_profile
    assert AuditEntry.objects.filter(
        action="network.request.expert_assigned", target_id=str(request.pk)
    ).exists()
    # Another organization's expert is not found.
    elsewhere = OrganizationFactory.create(name="他", short_name="他", slug="other", policy=None)
    other = ExpertFactory.create(organization=elsewhere, name="他 太郎", name_kana="タ")
    response = client.post(
        reverse("network_console:dispatch", args=[request.pk]), {"action": "assign", "expert": other.pk}
    )
    assert response.status_code == 404


def test_staff_cancel_confirm_and_close(
    client: Client, staff: User, yokohama: Organization, sme: Company, scheme: DispatchScheme, partner: User,
    expert_user: User,
) -> None:  # fmt: skip
    request = _reported(yokohama, sme, scheme, staff, partner, expert_user)
    client.force_login(staff)
    url = reverse("network_console:dispatch", args=[request.pk])
    response = client.post(url, {"action": "confirm", "comment": "丁寧でした"})
    assert response.status_code == 400 and "評価を1から5で選んでください。" in response.content.decode()
    assert client.post(url, {"action": "confirm", "rating": "5", "comment": "丁寧でした"}).status_code == 302
    assert client.post(url, {"action": "close"}).status_code == 302
    request.refresh_from_db()
    assert request.status == DispatchStatus.CLOSED and request.rating == 5
    # A refused transition is shown on the page, status 400.
    response = client.post(url, {"action": "cancel", "note": "x"})
    assert response.status_code == 403  # closed: not cancellable
    draft = _request(yokohama, sme, scheme, staff, visits=1)
    response = client.post(
        reverse("network_console:dispatch", args=[draft.pk]), {"action": "cancel", "note": "企業の都合"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == DispatchStatus.CANCELLED


def test_report_pdf(
    client: Client, staff: User, yokohama: Organization, sme: Company, scheme: DispatchScheme, partner: User,
    expert_user: User, tmp_path: Any,
) -> None:  # fmt: skip
    request = _reported(yokohama, sme, scheme, staff, partner, expert_user)
    client.force_login(staff)
    page = client.get(reverse("network_console:dispatch", args=[request.pk])).content.decode()
    assert (
        "クラウド型を推奨" in page and reverse("network_console:dispatch_report", args=[request.pk]) in page
    )
    response = client.get(reverse("network_console:dispatch_report", args=[request.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path, "report.pdf")
    pdf_fonts(response.content, tmp_path)  # rendered with embedded Noto CJK fonts only
    assert "完了報告書" in text
    assert "株式会社みなと精機" in text
    assert "販売管理システムの候補を比較した" in text
    assert "ITコーディネータ" in text and "助言の内容" in text
    assert "4.0時間" in text
    assert re.search(r"1\s*/\s*1", text)  # page numbers


# --- Totals ---------------------------------------------------------------------------------------------


def test_totals_page_and_csv_export(
    client: Client, staff: User, yokohama: Organization, sme: Company, scheme: DispatchScheme, partner: User,
    expert_user: User,
) -> None:  # fmt: skip
    request = _reported(yokohama, sme, scheme, staff, partner, expert_user)
    year = request.fiscal_year
    client.force_login(staff)
    response = client.get(reverse("network_console:totals"), {"year": year})
    text = response.content.decode()
    table = text[text.index('class="table stack-mobile net-totals"') :]
    row = table[table.index("<tbody>") : table.index("</tbody>")]
    assert "専門家派遣（中小企業119型）" in row
    cells = [cell.split(">")[-1] for cell in row.split("</td>")[:-1]]
    assert cells == ["1", "2", "4", "1", "40,000円", "40,000円"]  # hours by the one number rule
    assert "合計" in table[table.index("<tfoot>") :]
    response = client.get(reverse("network_console:totals_export", args=["csv"]), {"year": year})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("年度,支援機関,派遣制度,申請件数,訪問回数,時間,企業数")
    assert "中小企業基盤整備機構 関東本部,専門家派遣（中小企業119型）,1,2,4,1,40000,40000" in lines[1]
    assert lines[-1].split(",")[2] == "合計"
    entry = AuditEntry.objects.get(action="network.totals.exported")
    assert entry.organization_id == yokohama.pk and entry.details["fiscal_year"] == year
    assert client.get(reverse("network_console:totals_export", args=["pdf"])).status_code == 404
    xlsx = client.get(reverse("network_console:totals_export", args=["xlsx"]), {"year": year})
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content)[:2] == b"PK"  # type: ignore[attr-defined]


def test_totals_default_to_the_current_fiscal_year(
    client: Client, staff: User, scheme: DispatchScheme
) -> None:
    client.force_login(staff)
    text = client.get(reverse("network_console:totals")).content.decode()
    assert f"{fiscal_year(local_today())}年度（" in text


# --- Query counts -----------------------------------------------------------------------------------------


def _count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_list_pages_take_a_constant_number_of_queries(
    client: Client, staff: User, yokohama: Organization, scheme: DispatchScheme, support_org: SupportOrganization,
    skills: dict[str, Skill],
) -> None:  # fmt: skip
    client.force_login(staff)

    def add(n: int) -> None:
        for index in range(n):
            company = CompanyFactory.create(
                organization=yokohama,
                name=f"株式会社テスト{index}{n}",
                municipality_code="14104",
                industry="E",
                employees=10,
            )
            _request(yokohama, company, scheme, staff, visits=1)
            ExpertFactory.create(
                organization=yokohama,
                name=f"専門家{index}{n}",
                name_kana=f"センモンカ{index}{n}",
                skills=list(skills.values()),
                qualifications=[QualificationData(kind="itc", expires_on=dt.date(2030, 3, 31))],
            )
            SupportOrganizationFactory.create(
                organization=yokohama,
                name=f"支援{index}{n}",
                kind="other",
                contacts=[SupportContactData(name="担当")],
            )

    urls = [
        reverse("network_console:dispatches"),
        reverse("network_console:experts"),
        reverse("network_console:organizations"),
    ]
    add(1)
    few = [_count_queries(client, url) for url in urls]
    add(9)
    many = [_count_queries(client, url) for url in urls]
    assert few == many
    assert Decimal(DispatchRequest.objects.count()) == 10


def test_totals_pages_take_a_constant_number_of_queries(
    client: Client, staff: User, yokohama: Organization, sme: Company, scheme: DispatchScheme,
    support_org: SupportOrganization, partner: User, expert_user: User,
) -> None:  # fmt: skip
    """The console's and the partner's totals: one row per scheme, whatever the number of schemes,
    requests and visits."""
    scheme.visits_per_theme = {"it": 50}
    scheme.save()
    year = fiscal_year(local_today())

    def add(n: int) -> None:
        for index in range(n):
            SchemeFactory.create(
                organization=yokohama,
                support_organization=support_org,
                name=f"制度{n}-{index}",
                visits_per_year=3,
            )
            request = _request(yokohama, sme, scheme, staff, visits=1)
            services.dispatch_assign_expert(request=request, expert=expert_user.expert_profile, actor=staff)
            services.dispatch_submit(request=request, actor=staff)
            services.dispatch_approve(request=request, actor=partner)
            services.visit_log(
                request=request, actor=expert_user, visited_on=local_today(), starts_at=dt.time(9),
                ends_at=dt.time(12), summary="訪問",
            )  # fmt: skip

    pages = [
        (staff, reverse("network_console:totals") + f"?year={year}"),
        (partner, reverse("network:partner_totals") + f"?year={year}"),
    ]

    def counts() -> list[int]:
        result = []
        for user, url in pages:
            client.force_login(user)
            result.append(_count_queries(client, url))
        return result

    add(1)
    few = counts()
    add(9)
    assert counts() == few
    (row,) = [r for r in selectors.dispatch_totals(organization_id=yokohama.pk, fiscal_year=year) if r.visits]
    assert (row.visits, row.hours) == (10, Decimal("20.0"))  # 3-hour visits counted 2 hours each
