"""The program office's view: only aggregates, never a company, person, e-mail, phone or 法人番号, on any
of its URLs or in the open data; every cell under the threshold hidden with its complements, the same way
on every page; the pre-aggregated facts equal a direct count after any sequence of changes; the role
refused everywhere else and the other roles refused here."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ouentai.accounts.choices import OrganizationKind, Role
from ouentai.accounts.models import Organization, OrganizationArea, User
from ouentai.engagements import services as engagement_services
from ouentai.engagements.choices import EngagementStatus
from ouentai.engagements.models import Engagement
from ouentai.outcomes.indicators import RULES, counted
from ouentai.outcomes.models import Indicator, OutcomeFact
from ouentai.outcomes.selectors.office import office_comparison
from ouentai.outcomes.services.facts import outcome_facts_refresh, outcome_facts_refresh_all
from tests.accounts.factories import OrganizationFactory, make_user
from tests.clock import clock_at
from tests.community.factories import CompanyFactory, ContactFactory
from tests.engagements.factories import EngagementFactory
from tests.network.external import console_urls

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)
SECRETS = [
    "株式会社みなと精機",
    "川崎電子工業株式会社",
    "田中 誠",
    "tanaka@minato.example.jp",
    "045-201-1234",
    "0452011234",
    "9234567890123",
]


def _organization(name: str, area: tuple[str, str]) -> Organization:
    organization = OrganizationFactory.create(name=name)
    OrganizationArea.objects.create(organization=organization, code=area[0], name=area[1])
    return organization


@pytest.fixture
def world() -> dict[str, object]:
    """Yokohama (3 companies with engagements), Kawasaki (1: a small cell) in 関東; Nagoya (5) in 中部."""
    yokohama = _organization("横浜ITC", ("14100", "横浜市"))
    kawasaki = _organization("川崎ITC", ("14130", "川崎市"))
    nagoya = _organization("名古屋ITC", ("23100", "名古屋市"))
    company = CompanyFactory.create(
        organization=yokohama, name=SECRETS[0], phone="045-201-1234", corporate_number="9234567890123"
    )
    ContactFactory.create(company=company, name=SECRETS[2], email=SECRETS[3])
    for organization, count, name in (
        (yokohama, 3, "横浜"),
        (kawasaki, 1, SECRETS[1]),
        (nagoya, 5, "名古屋"),
    ):
        for number in range(count):
            target = (
                company
                if (organization == yokohama and number == 0)
                else CompanyFactory.create(
                    organization=organization, name=f"{name}{number}" if number else name
                )
            )
            EngagementFactory.create(
                organization=organization, company=target, started_on=dt.date(2026, 5, 1 + number)
            )
    office_org = OrganizationFactory.create(name="関東経済産業局", kind=OrganizationKind.PROGRAM_OFFICE)
    officer = make_user(office_org, Role.PROGRAM_OFFICE)
    with clock_at(TODAY):
        outcome_facts_refresh_all(years=[2025, 2026])
    return {"yokohama": yokohama, "kawasaki": kawasaki, "nagoya": nagoya, "officer": officer}


def _office_urls() -> list[str]:
    urls: list[str] = []

    def walk(patterns: object, prefix: str) -> None:
        for p in patterns:  # type: ignore[attr-defined]
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and (prefix + str(p.pattern)).startswith("office/"):
                urls.append("/" + prefix + str(p.pattern))

    walk(get_resolver().url_patterns, "")
    return urls


def _body(response: Any) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return str(response.content.decode())


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_no_company_or_person_reaches_the_program_office(world: dict[str, object]) -> None:
    client = _client(world["officer"])  # type: ignore[arg-type]
    urls = _office_urls()
    assert len(urls) >= 3
    indicators = Indicator.objects.filter(active=True)
    with clock_at(TODAY):
        pages = [client.get(url, {"year": "2026"}) for url in urls]
        pages += [client.get(reverse("office:trend"), {"indicator": i.key}) for i in indicators]
        pages += [client.get(reverse("office:open_data"), {"year": str(year)}) for year in (2025, 2026)]
    for page in pages:
        assert page.status_code == 200
        body = _body(page)
        for secret in SECRETS:
            assert secret not in body, secret


def test_small_cells_are_hidden_with_their_complements(world: dict[str, object]) -> None:
    with clock_at(TODAY):
        comparison = office_comparison(year=2026)
        response = _client(world["officer"]).get(reverse("office:open_data"), {"year": "2026"})  # type: ignore[arg-type]
    column = [i.key for i in comparison.indicators].index("engagements_started")
    cells = {(row.kind, row.name): row.cells[column] for row in comparison.rows}
    # Kawasaki rests on one company: hidden; Yokohama is hidden with it, or 関東's total would give it.
    assert cells[("organization", "川崎ITC")].hidden
    assert cells[("organization", "横浜ITC")].hidden
    assert not cells[("organization", "名古屋ITC")].hidden and cells[("organization", "名古屋ITC")].value == 5
    assert cells[("country", "")].value == 9
    # The open data says the same.
    rows = list(csv.reader(io.StringIO(_body(response))))
    started = {(row[4] or row[2]): row[7] for row in rows[1:] if row[5] == "engagements_started"}
    assert started["川崎ITC"] == "X" and started["横浜ITC"] == "X" and started["名古屋ITC"] == "5"


def test_the_role_is_refused_everywhere_else_and_others_here(world: dict[str, object]) -> None:
    officer = _client(world["officer"])  # type: ignore[arg-type]
    for url in console_urls(1):
        assert officer.get(url).status_code in (403, 404), url
    assert officer.get("/my/").status_code in (302, 403)
    assert officer.get(reverse("network:partner_home")).status_code == 403
    staff = _client(make_user(world["yokohama"], Role.STAFF))  # type: ignore[arg-type]
    for url in _office_urls():
        assert staff.get(url).status_code == 403
    anonymous = Client()
    assert anonymous.get(reverse("office:home")).status_code == 302


CHANGES = st.lists(
    st.tuples(st.sampled_from(["start", "complete", "reopen"]), st.integers(0, 3), st.integers(0, 400)),
    max_size=12,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=CHANGES)
def test_facts_equal_a_direct_count_after_any_changes(changes: list[tuple[str, int, int]]) -> None:
    organization = OrganizationFactory.create()
    companies = [CompanyFactory.create(organization=organization, name=f"会社{n}") for n in range(4)]
    engagements: list[Engagement] = []
    for action, which, days in changes:
        day = dt.date(2025, 4, 1) + dt.timedelta(days=days)
        if action == "start" or not engagements:
            engagements.append(
                EngagementFactory.create(organization=organization, company=companies[which], started_on=day)
            )
            continue
        engagement = engagements[which % len(engagements)]
        status = EngagementStatus.COMPLETED if action == "complete" else EngagementStatus.ACTIVE
        with clock_at(min(day, TODAY)):
            engagement_services.engagement_set_status(
                engagement=engagement, status=status, actor=engagement.lead
            )
    for year in (2025, 2026):
        with clock_at(TODAY):
            outcome_facts_refresh(organization=organization, year=year)
        last = min(dt.date(year + 1, 3, 31), TODAY)
        for key in ("engagements_started", "engagements_completed"):
            rows = counted(RULES[key], organization.pk, dt.date(year, 4, 1), last)
            fact = OutcomeFact.objects.get(organization=organization, indicator__key=key, fiscal_year=year)
            assert fact.value == Decimal(len(rows))
            assert fact.contributors == len({row.contributor for row in rows})


def test_years_not_counted_read_as_such_not_as_zero(world: dict[str, object]) -> None:
    from ouentai.outcomes.selectors.office import office_trends

    indicator = Indicator.objects.get(key="engagements_started")
    trend = office_trends(indicator=indicator, years=[2024, 2025, 2026])
    country = trend.rows[-1].cells
    assert country[0].missing and not country[0].hidden
    assert not country[2].missing and country[2].value == 9
