"""Fixtures for the support-network tests: a 中小企業119-like scheme of 中小機構 (3 visits per company
per 年度, 5 for IT, SMEs in 神奈川県), an SME in 横浜市中区, experts with skills, and a partner user
and an expert user (tests/<app>/factories.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.community.models import Company, Contact
from ouentai.network.models import DispatchScheme, Expert, Skill, SupportOrganization
from tests.accounts.factories import make_user
from tests.community.factories import CompanyFactory, ContactFactory, MemberFactory
from tests.network.external import CONTACT_EMAIL, CONTACT_NAME, CONTACT_PHONE
from tests.network.factories import (
    ExpertFactory,
    PartnerFactory,
    QualificationData,
    SchemeFactory,
    SkillFactory,
    SupportOrganizationFactory,
)


@pytest.fixture
def support_org(yokohama: Organization) -> SupportOrganization:
    return SupportOrganizationFactory.create(
        organization=yokohama, name="中小企業基盤整備機構 関東本部", kind="national", region="関東"
    )


@pytest.fixture
def scheme(yokohama: Organization, support_org: SupportOrganization) -> DispatchScheme:
    return SchemeFactory.create(
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
    return CompanyFactory.create(
        organization=yokohama, name="株式会社みなと精機", in_yokohama=True, employees=30
    )


@pytest.fixture
def skills() -> dict[str, Skill]:
    # The taxonomy is seeded by a migration; the fixture pins the themes these tests rely on.
    return {
        "erp": SkillFactory.create(name="販売・在庫管理システム", themes=["it"]),
        "security": SkillFactory.create(name="情報セキュリティ対策", themes=["security", "it"]),
        "finance": SkillFactory.create(name="資金繰り改善", themes=["finance"]),
    }


@pytest.fixture
def partner(yokohama: Organization, support_org: SupportOrganization) -> User:
    return PartnerFactory.create(
        support_organization=support_org, user__email="partner@smrj.example.jp", user__name="機構 担当"
    ).user


@pytest.fixture
def expert_user(yokohama: Organization, skills: dict[str, Skill]) -> User:
    user = make_user(yokohama, Role.EXPERT, "expert@example.jp", name="専門 花子")
    ExpertFactory.create(
        organization=yokohama,
        user=user,
        name="専門 花子",
        name_kana="センモン ハナコ",
        area_codes="14",
        skills=[skills["erp"], skills["security"]],
        qualifications=[QualificationData(kind="itc", number="ITC-0001", expires_on=dt.date(2028, 3, 31))],
    )
    return user


@pytest.fixture
def member_of(yokohama: Organization) -> Callable[[Company], User]:
    """A member user of a given company."""

    def make(company: Company) -> User:
        return MemberFactory.create(
            company=company, user__email=f"member{company.pk}@example.jp", user__name="会員 一郎"
        ).user

    return make


# --- for the pages outside the console (test_partner.py, test_expert.py) ---------------------------


@pytest.fixture
def contact(sme: Company) -> Contact:
    return ContactFactory.create(company=sme, name=CONTACT_NAME, email=CONTACT_EMAIL, phone=CONTACT_PHONE)


@pytest.fixture
def expert(expert_user: User) -> Expert:
    return Expert.objects.get(user=expert_user)


@pytest.fixture
def other_expert_user(yokohama: Organization) -> User:
    user = make_user(yokohama, Role.EXPERT, "other-expert@example.jp", name="別所 太郎")
    ExpertFactory.create(organization=yokohama, user=user, name="別所 太郎", area_codes="14")
    return user


@pytest.fixture
def other_support(yokohama: Organization) -> tuple[SupportOrganization, DispatchScheme, User]:
    """A second support organization of the same program, with its scheme and its partner user."""
    support = SupportOrganizationFactory.create(
        organization=yokohama, name="神奈川県産業振興センター", kind="prefecture", region="神奈川県"
    )
    scheme = SchemeFactory.create(
        organization=yokohama,
        support_organization=support,
        name="かながわ専門家派遣",
        area_codes="14",
        visits_per_year=3,
        fee_per_hour=8000,
    )
    partner = PartnerFactory.create(
        support_organization=support, user__email="partner@kanagawa.example.jp", user__name="県 担当"
    )
    return support, scheme, partner.user


@pytest.fixture
def member(yokohama: Organization, sme: Company, contact: Contact) -> User:
    return MemberFactory.create(
        company=sme, contact=contact, user__email="member@minato-seiki.example.jp", user__name="港 一郎"
    ).user
