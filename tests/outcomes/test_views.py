"""The outcome pages: the dashboard's numbers match the rows they open, the query count does not grow
with the records, only administrators and office staff set targets (saved all or nothing, typed the
Japanese way, refused in Japanese), and nothing of another organization is shown or counted."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.core.models import AuditEntry
from ouentai.outcomes.choices import MANUAL
from ouentai.outcomes.models import Indicator, ManualResult, Target
from tests.accounts.factories import OrganizationFactory, make_user
from tests.clock import clock_at
from tests.engagements.factories import EngagementFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)
DASHBOARD = reverse("outcomes_console:dashboard")


@pytest.fixture
def organization() -> Organization:
    return OrganizationFactory.create()


@pytest.fixture
def staff(organization: Organization) -> User:
    return make_user(organization, Role.STAFF)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _engagements(organization: Organization, days: list[dt.date]) -> None:
    for day in days:
        EngagementFactory.create(organization=organization, started_on=day)


def _actual(html: str, key: str) -> str:
    section = html.split(f'id="outcome-{key}"')[1].split("</section>")[0]
    found = re.search(r'class="outcome-actual"><strong>([\d,]+)</strong>', section)
    assert found, section[:500]
    return found.group(1)


def test_dashboard_numbers_open_exactly_their_rows(organization: Organization, staff: User) -> None:
    _engagements(
        organization, [dt.date(2026, 4, 3), dt.date(2026, 5, 9), dt.date(2026, 5, 20), dt.date(2025, 5, 1)]
    )
    _engagements(OrganizationFactory.create(), [dt.date(2026, 5, 2)])  # another organization's
    client = client_for(staff)
    with clock_at(TODAY):
        html = client.get(DASHBOARD).content.decode()
        assert _actual(html, "engagements_started") == "3"
        assert "2026年度（令和8年度）" in html
        assert 'role="img"' in html and "<table" in html
        records = client.get(
            reverse("outcomes_console:records", args=["engagements_started"]), {"year": 2026}
        )
        may = client.get(
            reverse("outcomes_console:records", args=["engagements_started"]),
            {"year": "2026", "month": "2026-05"},
        )
    body = records.content.decode()
    assert "3件を数えています" in body
    assert body.count("engagements/") >= 3
    assert "2件を数えています" in may.content.decode()
    assert "2025-05-01" not in body


def test_dashboard_query_count_does_not_grow_with_the_records(
    organization: Organization, staff: User
) -> None:
    client = client_for(staff)

    def queries() -> int:
        with clock_at(TODAY), CaptureQueriesContext(connection) as captured:
            assert client.get(DASHBOARD).status_code == 200
        return len(captured)

    _engagements(organization, [dt.date(2026, 6, 1)])
    few = queries()
    _engagements(organization, [dt.date(2026, 6, 1) + dt.timedelta(days=n) for n in range(12)])
    Target.objects.create(
        organization=organization,
        indicator=Indicator.objects.get(key="engagements_started"),
        fiscal_year=2026,
        target=20,
    )
    assert queries() == few


def test_targets_are_set_by_office_staff_all_or_nothing(organization: Organization, staff: User) -> None:
    client = client_for(staff)
    url = reverse("outcomes_console:targets") + "?year=2026"
    with clock_at(TODAY):
        refused = client.post(
            url, {"engagements_started-target": "１，２００", "cases_published-target": "-3"}
        )
        assert refused.status_code == 200
        assert "0以上の数を入力してください。" in refused.content.decode()
        assert 'value="１，２００"' in refused.content.decode()  # nothing typed is lost
        assert not Target.objects.exists()
        saved = client.post(
            url, {"engagements_started-target": "１，２００", "engagements_started-baseline": "1,000"}
        )
    assert saved.status_code == 302
    target = Target.objects.get()
    assert (target.target, target.baseline, target.fiscal_year, target.set_by) == (
        Decimal(1200),
        Decimal(1000),
        2026,
        staff,
    )
    assert AuditEntry.objects.filter(action="outcomes.target.set").count() == 1
    with clock_at(TODAY):
        html = client.get(DASHBOARD).content.decode()
    section = html.split('id="outcome-engagements_started"')[1].split("</section>")[0]
    assert "1,200" in section


def test_coordinators_see_the_dashboard_but_set_nothing(organization: Organization) -> None:
    coordinator = make_user(organization, Role.COORDINATOR)
    client = client_for(coordinator)
    with clock_at(TODAY):
        assert client.get(DASHBOARD).status_code == 200
        assert client.get(reverse("outcomes_console:targets")).status_code == 403
        assert (
            client.post(reverse("outcomes_console:targets"), {"engagements_started-target": "5"}).status_code
            == 403
        )
    assert not Target.objects.exists()


def test_manual_indicator_results_by_month(organization: Organization, staff: User) -> None:
    indicator = Indicator.objects.create(
        key="liaison_meetings",
        name="支援機関との連携会議",
        unit="回",
        definition="開いた会議の数",
        rule=MANUAL,
    )
    client = client_for(staff)
    url = reverse("outcomes_console:manual", args=[indicator.key]) + "?year=2026"
    with clock_at(TODAY):
        page = client.get(url).content.decode()
        assert 'name="m202611"' in page and 'name="m202612"' not in page  # December has not come
        assert client.post(url, {"m202604": "2", "m202609": "３"}).status_code == 302
        html = client.get(DASHBOARD).content.decode()
    assert dict(ManualResult.objects.values_list("month", "value")) == {
        dt.date(2026, 4, 1): Decimal(2),
        dt.date(2026, 9, 1): Decimal(3),
    }
    assert _actual(html, "liaison_meetings") == "5"
    computed = reverse("outcomes_console:manual", args=["engagements_started"])
    with clock_at(TODAY):
        assert client.get(computed).status_code == 404


def test_unknown_indicator_and_odd_years_are_handled(organization: Organization, staff: User) -> None:
    client = client_for(staff)
    with clock_at(TODAY):
        assert client.get(reverse("outcomes_console:records", args=["no_such"])).status_code == 404
        page = client.get(DASHBOARD, {"year": "1999"})
        assert page.status_code == 200 and "2026年度" in page.content.decode()
        assert client.get(DASHBOARD, {"year": "abc"}).status_code == 200
        month = client.get(
            reverse("outcomes_console:records", args=["engagements_started"]),
            {"year": "2026", "month": "2030-13"},
        )
        assert month.status_code == 200
