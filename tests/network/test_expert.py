"""The expert's pages (only their own dispatches from approval on: visits, report, PDF), the member's
confirmation and rating, and constant query counts on the partner, expert and member homes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ouentai.community.models import Company
from ouentai.core.calendar import local_today
from ouentai.core.templatetags.ouentai import date_jp
from ouentai.network import services
from ouentai.network.choices import DispatchStatus
from ouentai.network.models import (
    DispatchRequest,
    Expert,
)
from tests.network.external import CONTACT_EMAIL, CONTACT_NAME, OTHER_COMPANY, page_of
from tests.network.factories import DispatchFactory, approved_request, file_request, make_company
from tests.rating import EXPECTED_SCALE, rating_choices

pytestmark = pytest.mark.django_db


# --- the expert ---------------------------------------------------------------------------------------


def test_expert_sees_only_their_own_approved_dispatches(
    client, yokohama, staff, sme, scheme, partner, expert_user, expert, other_expert_user
):
    own = approved_request(yokohama, sme, scheme, staff, partner, expert, visits=1)
    waiting = file_request(
        yokohama, make_company(yokohama, "株式会社まちのパン"), scheme, staff, expert=expert
    )
    others = approved_request(
        yokohama,
        make_company(yokohama, OTHER_COMPANY),
        scheme,
        staff,
        partner,
        Expert.objects.get(user=other_expert_user),
    )
    client.force_login(expert_user)
    home = page_of(client, reverse("network:expert_home"))
    assert sme.name in home
    assert "株式会社まちのパン" not in home and OTHER_COMPANY not in home
    page = page_of(client, reverse("network:expert_dispatch", args=[own.pk]))
    assert "受注から出荷までを見える化したい" in page
    page_of(client, reverse("network:expert_dispatch", args=[waiting.pk]), status=404)
    page_of(client, reverse("network:expert_dispatch", args=[others.pk]), status=404)
    page_of(client, reverse("network:expert_report", args=[others.pk]), status=404)
    response = client.post(
        reverse("network:expert_dispatch", args=[others.pk]),
        {"action": "visit", "visit-visited_on": local_today().isoformat()},
    )
    assert response.status_code == 404
    assert not others.visits.exists()


def test_expert_page_shows_the_company_address_not_its_people(
    client, yokohama, staff, sme, contact, scheme, partner, expert_user, expert
):
    Company.objects.filter(pk=sme.pk).update(phone="+81452011234", address="1-2-3 みなとビル4階")
    request = approved_request(yokohama, sme, scheme, staff, partner, expert)
    client.force_login(expert_user)
    page = page_of(client, reverse("network:expert_dispatch", args=[request.pk]))
    assert "045-201-1234" in page and "みなとビル4階" in page and "231-0023" in page
    assert "平日の午後" in page
    assert CONTACT_EMAIL not in page and CONTACT_NAME not in page


def test_expert_list_shows_the_preferred_date_entered_as_a_date(
    client, yokohama, staff, sme, scheme, partner, expert_user, expert
):
    """Issue 11, defect 7: staff entered 最初の希望日 (a date) and no words about dates; the expert's list
    said 希望日 「—」. Every page that shows 希望日 shows the date, the words, or both."""
    preferred = local_today() + dt.timedelta(days=9)
    request = DispatchFactory.create(
        organization=yokohama,
        company=sme,
        scheme=scheme,
        theme="it",
        requested_visits=1,
        first_preferred_on=preferred,
        actor=staff,
        expert=expert,
        approved_by=partner,
    )
    shown = date_jp(preferred)
    client.force_login(expert_user)
    home = page_of(client, reverse("network:expert_home"))
    cell = home[home.index('data-label="希望日"') :].split("</td>")[0]
    assert shown in cell and "—" not in cell
    assert shown in page_of(client, reverse("network:expert_dispatch", args=[request.pk]))
    client.force_login(partner)
    assert shown in page_of(client, reverse("network:partner_request", args=[request.pk]))
    # Words only: shown as typed; both: the date, then the words.
    words = approved_request(
        yokohama, make_company(yokohama, "株式会社まちのパン"), scheme, staff, partner, expert
    )
    client.force_login(expert_user)
    home = page_of(client, reverse("network:expert_home"))
    assert "平日の午後" in home
    DispatchRequest.objects.filter(pk=words.pk).update(first_preferred_on=preferred)
    page = page_of(client, reverse("network:expert_dispatch", args=[words.pk]))
    assert shown in page and "平日の午後" in page


def test_expert_logs_visits_reports_and_the_member_confirms(
    client, yokohama, staff, sme, scheme, partner, expert_user, expert, member
):
    request = approved_request(yokohama, sme, scheme, staff, partner, expert, visits=2)
    url = reverse("network:expert_dispatch", args=[request.pk])
    today = local_today()
    client.force_login(expert_user)
    page = page_of(client, url)
    assert "訪問を記録する" in page and 'value="report"' not in page

    # End before start: refused beside the field, input kept.
    response = client.post(
        url,
        {
            "action": "visit",
            "visit-visited_on": today.isoformat(),
            "visit-starts_at": "１４：００",
            "visit-ends_at": "13:00",
            "visit-summary": "在庫台帳の確認",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "終了時刻は開始時刻より後にしてください。" in page and "在庫台帳の確認" in page
    assert 'id="id_visit-ends_at_error"' in page

    for n, (start, end) in enumerate((("10:00", "12:00"), ("13:00", "15:30")), start=1):
        response = client.post(
            url,
            {
                "action": "visit",
                "visit-visited_on": today.isoformat(),
                "visit-starts_at": start,
                "visit-ends_at": end,
                "visit-summary": f"第{n}回の支援",
                "visit-next_steps": "受注票の電子化を検討",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    assert request.visits.count() == 2
    page = page_of(client, url)
    assert "第2回の支援" in page and "4.5時間" in page
    assert "訪問を記録する</button>" not in page  # every approved visit is logged
    response = client.post(
        url,
        {
            "action": "visit",
            "visit-visited_on": today.isoformat(),
            "visit-starts_at": "10:00",
            "visit-ends_at": "11:00",
            "visit-summary": "3回目",
        },
    )
    assert response.status_code == 400
    assert "承認された訪問回数（2回）をすべて記録済みです。" in response.content.decode()
    assert request.visits.count() == 2

    # The report: the scheme requires summary, advice and next steps (marked 必須).
    assert page.count('<span class="req" aria-hidden="true">必須</span>') >= 3
    data = {
        "action": "report",
        "report-summary": "受注業務の見える化を支援",
        "report-next_steps": "RPAの試行",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "「助言の内容」を入力してください（この制度の報告書の必須項目です）。" in response.content.decode()
    request.refresh_from_db()
    assert request.status == DispatchStatus.IN_PROGRESS
    response = client.post(url, {**data, "report-advice": "受注票をクラウドで共有"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == DispatchStatus.REPORTED
    assert request.report["advice"] == "受注票をクラウドで共有"
    page = page_of(client, url)
    assert reverse("network:expert_report", args=[request.pk]) in page

    response = client.get(reverse("network:expert_report", args=[request.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")

    # The member confirms and rates.
    client.force_login(member)
    home = page_of(client, reverse("my:home"))
    assert "専門家派遣" in home and "報告済み" in home and "専門 花子" in home
    assert "2／2回" in home and "受注票をクラウドで共有" in home
    assert rating_choices(home, f"confirm-{request.pk}-rating") == EXPECTED_SCALE
    confirm = reverse("my:dispatch_confirm", args=[request.pk])
    assert client.get(confirm).status_code == 405
    response = client.post(confirm, {})
    assert response.status_code == 400
    assert "評価を1から5で選んでください。" in response.content.decode()
    prefix = f"confirm-{request.pk}"
    response = client.post(
        confirm, {f"{prefix}-rating": "4", f"{prefix}-comment": "現場の話をよく聞いてくれた"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == DispatchStatus.CONFIRMED
    assert request.rating == 4 and request.rating_comment == "現場の話をよく聞いてくれた"
    home = page_of(client, reverse("my:home"))
    assert "4 ／ 5" in home and "確認して評価を送る" not in home
    # Confirming twice is refused by the service.
    response = client.post(confirm, {f"{prefix}-rating": "5"})
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.rating == 4

    # The partner and the expert see the rating.
    client.force_login(partner)
    assert "4 ／ 5" in page_of(client, reverse("network:partner_request", args=[request.pk]))


def test_member_cannot_confirm_another_companys_dispatch(
    client, yokohama, staff, scheme, partner, expert_user, expert, member
):
    other = approved_request(yokohama, make_company(yokohama, OTHER_COMPANY), scheme, staff, partner, expert)
    services.visit_log(
        request=other,
        actor=expert_user,
        visited_on=local_today(),
        starts_at=dt.time(10),
        ends_at=dt.time(11),
        summary="支援",
    )
    services.report_submit(
        request=other, actor=expert_user, fields={"summary": "a", "advice": "b", "next_steps": "c"}
    )
    client.force_login(member)
    assert OTHER_COMPANY not in page_of(client, reverse("my:home"))
    response = client.post(
        reverse("my:dispatch_confirm", args=[other.pk]), {f"confirm-{other.pk}-rating": "1"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == DispatchStatus.REPORTED and other.rating is None


# --- query counts -------------------------------------------------------------------------------------


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_are_constant(
    client, yokohama, staff, sme, scheme, partner, expert_user, expert, member
):
    scheme.visits_per_theme = {"it": 40}
    scheme.save()

    def add() -> DispatchRequest:
        request = approved_request(yokohama, sme, scheme, staff, partner, expert, visits=1)
        services.visit_log(
            request=request,
            actor=expert_user,
            visited_on=local_today(),
            starts_at=dt.time(10),
            ends_at=dt.time(11),
            summary="支援",
        )
        return request

    add()
    file_request(yokohama, sme, scheme, staff, visits=1)
    counts: dict[str, list[int]] = {"partner": [], "expert": [], "member": []}
    for round_ in range(2):
        if round_ == 1:
            for _n in range(9):
                add()
                file_request(yokohama, sme, scheme, staff, visits=1)
        client.force_login(partner)
        counts["partner"].append(_count(client, reverse("network:partner_home") + "?tab=all"))
        client.force_login(expert_user)
        counts["expert"].append(_count(client, reverse("network:expert_home")))
        client.force_login(member)
        counts["member"].append(_count(client, reverse("my:home")))
    assert DispatchRequest.objects.count() == 20
    for name, (one, ten) in counts.items():
        assert one == ten, (name, one, ten)
    assert counts["partner"][0] <= 8 and counts["expert"][0] <= 8
    # The request page: the rule check and the expert's qualifications in a fixed number of queries.
    client.force_login(partner)
    request = DispatchRequest.objects.filter(status=DispatchStatus.SUBMITTED).first()
    assert request is not None
    assert _count(client, reverse("network:partner_request", args=[request.pk])) <= 14
