"""The partner's pages (a support organization sees only its own schemes' requests and decides them,
with no contact person's personal data), and who may open which area outside the console."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ouentai.accounts.choices import Role
from ouentai.core.calendar import fiscal_year, local_today
from ouentai.core.errors import DomainError
from ouentai.core.models import AuditEntry
from ouentai.network import services
from ouentai.network.choices import DispatchStatus
from ouentai.network.models import (
    DispatchScheme,
)
from tests.accounts.factories import PASSWORD, make_user
from tests.network.external import (
    CONTACT_EMAIL,
    CONTACT_NAME,
    OTHER_COMPANY,
    console_urls,
    expert_urls,
    page_of,
    partner_urls,
)
from tests.network.factories import approved_request, file_request, make_company

pytestmark = pytest.mark.django_db


# --- the partner --------------------------------------------------------------------------------------


def test_partner_sees_only_its_own_schemes_requests(
    client, yokohama, staff, sme, scheme, partner, other_support
):
    own = file_request(yokohama, sme, scheme, staff)
    draft = file_request(
        yokohama, make_company(yokohama, "株式会社したがき工業"), scheme, staff, submit=False
    )
    _support, other_scheme, _other_partner = other_support
    other = file_request(yokohama, make_company(yokohama, OTHER_COMPANY), other_scheme, staff)

    client.force_login(partner)
    for tab in ("", "?tab=all", "?tab=submitted"):
        page = page_of(client, reverse("network:partner_home") + tab)
        assert reverse("network:partner_request", args=[own.pk]) in page
        assert sme.name in page
        assert OTHER_COMPANY not in page
        assert "株式会社したがき工業" not in page
    assert "申請中" in page and "回数" in page

    page_of(client, reverse("network:partner_request", args=[own.pk]))
    page_of(client, reverse("network:partner_request", args=[other.pk]), status=404)
    page_of(client, reverse("network:partner_request", args=[draft.pk]), status=404)
    response = client.post(reverse("network:partner_request", args=[other.pk]), {"action": "approve"})
    assert response.status_code == 404
    with pytest.raises(DomainError) as caught:
        services.dispatch_approve(request=other, actor=partner)
    assert caught.value.code == "dispatch.not_partner"
    other.refresh_from_db()
    assert other.status == DispatchStatus.SUBMITTED


def test_partner_request_page_explains_the_rules_and_shows_no_personal_data(
    client, yokohama, staff, sme, contact, scheme, partner, expert_user, expert
):
    earlier = file_request(yokohama, sme, scheme, staff, visits=2)
    services.dispatch_approve(request=earlier, actor=partner)
    request = file_request(yokohama, sme, scheme, staff, visits=2, expert=expert)
    client.force_login(partner)
    page = page_of(client, reverse("network:partner_request", args=[request.pk]))
    assert "制度の規則に合っています。" in page
    assert "1社あたり年度内5回" in page  # the IT theme's allowance
    assert "2回（申請前の残り 3回）" in page
    assert "中小企業基本法" in page and "対象地域内" in page
    assert "30人" in page and "横浜市中区" in page
    assert "専門 花子" in page and "ITコーディネータ" in page
    assert "受注から出荷までを見える化したい" in page
    home = page_of(client, reverse("network:partner_home"))
    for html in (page, home):
        assert CONTACT_EMAIL not in html
        assert CONTACT_NAME not in html
        assert "1234-5678" not in html
        assert "expert@example.jp" not in html  # nor the expert's


def test_partner_approves_or_rejects_with_reason(client, yokohama, staff, sme, scheme, partner):
    first = file_request(yokohama, sme, scheme, staff, visits=1)
    second = file_request(yokohama, sme, scheme, staff, visits=1)
    client.force_login(partner)
    url = reverse("network:partner_request", args=[first.pk])
    response = client.post(url, {"action": "approve", "approve-note": "初回は工場見学から"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == DispatchStatus.APPROVED and first.decided_by == partner
    assert first.decision_note == "初回は工場見学から"
    page = page_of(client, url)
    assert "初回は工場見学から" in page and 'name="action" value="approve"' not in page

    url = reverse("network:partner_request", args=[second.pk])
    response = client.post(url, {"action": "reject", "reject-note": ""})
    assert response.status_code == 400
    assert "却下の理由を入力してください。" in response.content.decode()
    second.refresh_from_db()
    assert second.status == DispatchStatus.SUBMITTED
    response = client.post(url, {"action": "reject", "reject-note": "今年度の予算枠を使い切りました。"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == DispatchStatus.REJECTED
    assert AuditEntry.objects.filter(action="network.request.rejected", actor=partner).exists()


def test_partner_approval_refused_by_the_rules_is_shown_beside_the_form(
    client, yokohama, staff, sme, scheme, partner
):
    request = file_request(yokohama, sme, scheme, staff)
    DispatchScheme.objects.filter(pk=scheme.pk).update(is_active=False)
    client.force_login(partner)
    url = reverse("network:partner_request", args=[request.pk])
    assert "この申請は制度の規則に合っていません。" in page_of(client, url)
    response = client.post(url, {"action": "approve", "approve-note": "承認します"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "この制度は現在申請を受け付けていません。" in page
    assert "承認します" in page  # the input is kept
    request.refresh_from_db()
    assert request.status == DispatchStatus.SUBMITTED


def test_partner_totals_and_export(client, yokohama, staff, sme, scheme, partner, expert_user, expert):
    request = approved_request(yokohama, sme, scheme, staff, partner, expert)
    services.visit_log(
        request=request,
        actor=expert_user,
        visited_on=local_today(),
        starts_at=dt.time(10),
        ends_at=dt.time(12),
        summary="現状の業務フローを確認",
    )
    year = fiscal_year(local_today())
    client.force_login(partner)
    page = page_of(client, reverse("network:partner_totals"))
    assert scheme.name in page and "20,000" in page  # 2 hours × 10,000円
    assert f'<option value="{year}" selected>' in page

    response = client.get(reverse("network:partner_totals_export", args=["csv"]) + f"?year={year}")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private") or "private" in response["Cache-Control"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][1] == "制度"
    assert rows[1][1] == scheme.name and rows[1][3:9] == ["1", "1", "2.0", "1", "20000", "20000"]
    assert rows[-1][1] == "合計"

    response = client.get(reverse("network:partner_totals_export", args=["xlsx"]) + f"?year={year}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.cell(row=2, column=2).value == scheme.name
    assert client.get(reverse("network:partner_totals_export", args=["pdf"])).status_code == 404
    entries = AuditEntry.objects.filter(action="network.totals.exported", actor=partner)
    assert entries.count() == 2
    assert {entry.details["format"] for entry in entries} == {"csv", "xlsx"}


def test_partner_totals_leave_out_other_support_organizations(
    client, yokohama, staff, sme, scheme, partner, other_support
):
    _support, other_scheme, _user = other_support
    file_request(yokohama, make_company(yokohama, OTHER_COMPANY), other_scheme, staff)
    client.force_login(partner)
    page = page_of(client, reverse("network:partner_totals"))
    assert scheme.name in page and other_scheme.name not in page
    response = client.get(reverse("network:partner_totals_export", args=["csv"]))
    assert other_scheme.name not in b"".join(response.streaming_content).decode("utf-8-sig")


# --- who may open what --------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, yokohama):
    for url in [*partner_urls(1), *expert_urls(1)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login") + "?next="), url


def test_partner_and_expert_are_refused_on_every_console_url(
    client, yokohama, staff, sme, scheme, partner, expert_user, expert
):
    request = approved_request(yokohama, sme, scheme, staff, partner, expert)
    urls = console_urls(request.pk)
    assert "/console/network/dispatches/" in urls and len(urls) > 20
    for user in (partner, expert_user):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user.role, url)
        response = client.post(reverse("network_console:dispatch", args=[request.pk]), {"action": "cancel"})
        assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == DispatchStatus.APPROVED


def test_each_area_refuses_the_other_roles(
    client, yokohama, staff, coordinator, sme, scheme, partner, expert_user, expert, member
):
    request = approved_request(yokohama, sme, scheme, staff, partner, expert)
    checks = [
        (partner, [*expert_urls(request.pk), reverse("my:home")]),
        (expert_user, [*partner_urls(request.pk), reverse("my:home")]),
        (member, partner_urls(request.pk) + expert_urls(request.pk)),
        (staff, partner_urls(request.pk) + expert_urls(request.pk)),
        (coordinator, partner_urls(request.pk) + expert_urls(request.pk)),
    ]
    for user, urls in checks:
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 403, (user.role, url)
    # The refusal says what the page is and where the user's own pages are.
    client.force_login(expert_user)
    page = page_of(client, reverse("network:partner_home"), status=403)
    assert "支援機関の方のページです" in page and reverse("network:expert_home") in page
    client.force_login(member)
    page = page_of(client, reverse("network:expert_home"), status=403)
    assert "専門家の方のページです" in page and reverse("my:home") in page
    # A partner role without its account, an expert role without a profile: refused, no loop.
    for role in (Role.PARTNER, Role.EXPERT):
        client.force_login(make_user(yokohama, role))
        home = reverse("network:partner_home" if role == Role.PARTNER else "network:expert_home")
        page = page_of(client, home, status=403)
        assert f'href="{home}"' not in page


def test_pages_are_private(client, yokohama, staff, sme, scheme, partner, expert_user, expert):
    request = approved_request(yokohama, sme, scheme, staff, partner, expert)
    for user, urls in ((partner, partner_urls(request.pk)[:3]), (expert_user, expert_urls(request.pk)[:2])):
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
            assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_login_sends_each_role_to_its_own_pages(client, partner, expert_user, member, staff):
    login = reverse("accounts:login")
    for user, home in (
        (partner, "network:partner_home"),
        (expert_user, "network:expert_home"),
        (member, "my:home"),
        (staff, "community:home"),
    ):
        response = client.post(login, {"username": user.email, "password": PASSWORD})
        assert response.status_code == 302 and response["Location"] == reverse(home), user.role
        client.logout()


def test_partner_page_counts_what_is_left_as_the_rules_do(client, yokohama, staff, sme, scheme, partner):
    """IT 2 visits first, then management 3: allowed (3 a year, 5 with IT), and the page says 3 were left."""
    file_request(yokohama, sme, scheme, staff, visits=2, theme="it")
    request = file_request(yokohama, sme, scheme, staff, visits=3, theme="management")
    client.force_login(partner)
    page = page_of(client, reverse("network:partner_request", args=[request.pk]))
    assert "申請前の残り 3回" in page
