"""Fixtures for the support-network tests: a 中小企業119-like scheme of 中小機構 (3 visits per company
per 年度, 5 for IT, SMEs in 神奈川県), an SME in 横浜市中区, experts with skills, and a partner user
and an expert user."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.community import services as community
from ouentai.community.models import Company, Contact, MemberAccount
from ouentai.network.models import (
    DispatchScheme,
    Expert,
    PartnerAccount,
    Qualification,
    Skill,
    SupportOrganization,
)
from tests.conftest import PASSWORD, make_user
from tests.network.external import CONTACT_EMAIL, CONTACT_NAME, CONTACT_PHONE


@pytest.fixture
def support_org(yokohama: Organization) -> SupportOrganization:
    return SupportOrganization.objects.create(
        organization=yokohama, name="中小企業基盤整備機構 関東本部", kind="national", region="関東"
    )


@pytest.fixture
def scheme(yokohama: Organization, support_org: SupportOrganization) -> DispatchScheme:
    return DispatchScheme.objects.create(
        organization=yokohama,
        support_organization=support_org,
        name="専門家派遣（中小企業119型）",
        sme_only=True,
        area_codes="14",
        visits_per_year=3,
        visits_per_theme={"it": 5},
        hours_per_visit=Decimal("2"),
        fee_per_hour=10000,
        fee_share_percent=100,
        report_fields=["summary", "advice", "next_steps"],
    )


@pytest.fixture
def sme(yokohama: Organization) -> Company:
    """株式会社みなと精機: manufacturing, 30 employees, 横浜市中区 (14104 → 14100)."""
    return community.company_create(
        organization=yokohama,
        data=community.CompanyData(
            name="株式会社みなと精機",
            postal_code="2310023",
            prefecture="神奈川県",
            city="横浜市中区",
            municipality_code="14104",
            industry="E",
            employees=30,
        ),
        actor=None,
    )


@pytest.fixture
def skills() -> dict[str, Skill]:
    # The taxonomy is seeded by a migration; the fixture pins the themes these tests rely on.
    def skill(name: str, themes: list[str]) -> Skill:
        return Skill.objects.update_or_create(name=name, defaults={"themes": themes})[0]

    return {
        "erp": skill("販売・在庫管理システム", ["it"]),
        "security": skill("情報セキュリティ対策", ["security", "it"]),
        "finance": skill("資金繰り改善", ["finance"]),
    }


@pytest.fixture
def partner(yokohama: Organization, support_org: SupportOrganization) -> User:
    user = User.objects.create_user(
        "partner@smrj.example.jp", PASSWORD, name="機構 担当", organization=yokohama, role=Role.PARTNER
    )
    PartnerAccount.objects.create(organization=yokohama, user=user, support_organization=support_org)
    return user


@pytest.fixture
def expert_user(yokohama: Organization, skills: dict[str, Skill]) -> User:
    user = User.objects.create_user(
        "expert@example.jp", PASSWORD, name="専門 花子", organization=yokohama, role=Role.EXPERT
    )
    expert = Expert.objects.create(
        organization=yokohama, user=user, name="専門 花子", name_kana="センモン ハナコ", area_codes="14"
    )
    expert.skills.set([skills["erp"], skills["security"]])
    Qualification.objects.create(
        expert=expert, kind="itc", number="ITC-0001", expires_on=dt.date(2028, 3, 31)
    )
    return user


@pytest.fixture
def member_of(yokohama: Organization):
    """A member user of a given company."""
    from ouentai.community.models import MemberAccount

    def make(company: Company) -> User:
        user = User.objects.create_user(
            f"member{company.pk}@example.jp",
            PASSWORD,
            name="会員 一郎",
            organization=yokohama,
            role=Role.MEMBER,
        )
        MemberAccount.objects.create(organization=yokohama, user=user, company=company)
        return user

    return make


# --- for the pages outside the console (test_partner.py, test_expert.py) ---------------------------


@pytest.fixture
def contact(sme: Company) -> Contact:
    return community.contact_create(
        company=sme,
        data=community.ContactData(name=CONTACT_NAME, email=CONTACT_EMAIL, phone=CONTACT_PHONE),
        actor=None,
    )


@pytest.fixture
def expert(expert_user: User) -> Expert:
    return Expert.objects.get(user=expert_user)


@pytest.fixture
def other_expert_user(yokohama: Organization) -> User:
    user = make_user(yokohama, Role.EXPERT, "other-expert@example.jp", name="別所 太郎")
    Expert.objects.create(organization=yokohama, user=user, name="別所 太郎", area_codes="14")
    return user


@pytest.fixture
def other_support(yokohama: Organization) -> tuple[SupportOrganization, DispatchScheme, User]:
    """A second support organization of the same program, with its scheme and its partner user."""
    support = SupportOrganization.objects.create(
        organization=yokohama, name="神奈川県産業振興センター", kind="prefecture", region="神奈川県"
    )
    scheme = DispatchScheme.objects.create(
        organization=yokohama,
        support_organization=support,
        name="かながわ専門家派遣",
        area_codes="14",
        visits_per_year=3,
        fee_per_hour=8000,
    )
    user = make_user(yokohama, Role.PARTNER, "partner@kanagawa.example.jp", name="県 担当")
    PartnerAccount.objects.create(organization=yokohama, user=user, support_organization=support)
    return support, scheme, user


@pytest.fixture
def member(yokohama: Organization, sme: Company, contact: Contact) -> User:
    user = make_user(yokohama, Role.MEMBER, "member@minato-seiki.example.jp", name="港 一郎")
    MemberAccount.objects.create(organization=yokohama, user=user, company=sme, contact=contact)
    return user
