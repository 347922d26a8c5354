"""Fixtures for the engagements tests: a 横浜 company with a contact, an engagement led by the
coordinator, and a member account of that company."""

from __future__ import annotations

import datetime as dt

import pytest

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.community import services as community
from ouentai.community.models import Company, MemberAccount
from ouentai.engagements import services
from ouentai.engagements.models import Engagement
from tests.conftest import PASSWORD


@pytest.fixture
def company(yokohama: Organization) -> Company:
    company = community.company_create(
        organization=yokohama, data=community.CompanyData(name="株式会社みなと精機"), actor=None
    )
    community.contact_create(
        company=company, data=community.ContactData(name="港 一郎", email="minato@example.jp"), actor=None
    )
    return company


@pytest.fixture
def engagement(yokohama: Organization, company: Company, coordinator: User) -> Engagement:
    return services.engagement_create(
        organization=yokohama,
        company=company,
        data=services.EngagementData(
            title="受注から出荷までの見える化",
            lead_id=coordinator.pk,
            started_on=dt.date(2026, 10, 1),
            target_on=dt.date(2027, 3, 31),
            challenges="受注票が紙で、納期の回答に半日かかる。",
            strategy="短納期の小口受注で選ばれる会社になる。",
        ),
        actor=coordinator,
    )


@pytest.fixture
def member(yokohama: Organization, company: Company) -> User:
    user = User.objects.create_user(
        "member@example.jp", PASSWORD, name="港 一郎", organization=yokohama, role=Role.MEMBER
    )
    MemberAccount.objects.create(
        organization=yokohama, user=user, company=company, contact=company.contacts.first()
    )
    return user
