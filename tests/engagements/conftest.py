"""Fixtures for the engagements tests: a 横浜 company with a contact, an engagement led by the
coordinator, and a member account of that company (tests/<app>/factories.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from ouentai.accounts.models import Organization, User
from ouentai.community.models import Company
from ouentai.engagements.models import Engagement
from tests.community.factories import CompanyFactory, ContactFactory, MemberFactory
from tests.engagements.factories import EngagementFactory


@pytest.fixture
def company(yokohama: Organization) -> Company:
    company = CompanyFactory.create(organization=yokohama, name="株式会社みなと精機")
    ContactFactory.create(company=company, name="港 一郎", email="minato@example.jp")
    return company


@pytest.fixture
def engagement(yokohama: Organization, company: Company, coordinator: User) -> Engagement:
    return EngagementFactory.create(
        organization=yokohama,
        company=company,
        lead=coordinator,
        title="受注から出荷までの見える化",
        started_on=dt.date(2026, 10, 1),
        target_on=dt.date(2027, 3, 31),
        challenges="受注票が紙で、納期の回答に半日かかる。",
        strategy="短納期の小口受注で選ばれる会社になる。",
    )


@pytest.fixture
def member(yokohama: Organization, company: Company) -> User:
    return MemberFactory.create(
        company=company,
        contact=company.contacts.first(),
        user__email="member@example.jp",
        user__name="港 一郎",
    ).user
