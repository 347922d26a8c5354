"""Factories of the case library, written through its services: a case made from a completed
engagement (``case_create_from_engagement``: the company facts, KPIs and support copied from the
records), and ``publish`` which walks a case through review, consent and publication as people do."""

from __future__ import annotations

from typing import Any

import factory

from ouentai.accounts.choices import Role
from ouentai.accounts.models import User
from ouentai.cases.choices import CONSENT_TEXT_VERSION, CaseVariant, Challenge, ItArea
from ouentai.cases.models import Case
from ouentai.cases.services.authoring import CaseData, case_create_from_engagement
from ouentai.cases.services.workflow import case_consent, case_publish, case_request_consent, case_submit
from ouentai.community.models import MemberAccount
from ouentai.engagements import services as engagement_services
from ouentai.engagements.choices import EngagementStatus, Phase
from ouentai.engagements.models import Engagement
from tests.accounts.factories import make_user
from tests.community.factories import CompanyFactory, MemberFactory
from tests.engagements.factories import EngagementFactory, KpiFactory
from tests.factories import ServiceFactory


def completed_engagement(**fields: Any) -> Engagement:
    """An engagement of a small Yokohama manufacturer (12 people) that went from strategy to IT
    introduction, with one KPI measured three times, then completed by its lead."""
    company = fields.pop("company", None)
    organization = fields.pop("organization", None) or (company.organization if company else None)
    if company is None:
        company_fields: dict[str, Any] = {"in_yokohama": True, "employees": 12}
        if organization is not None:
            company_fields["organization"] = organization
        company = CompanyFactory.create(**company_fields)
    engagement = EngagementFactory.create(
        organization=company.organization,
        company=company,
        challenges="受注の電話とFAXを紙で管理していて、在庫の確認に時間がかかる。",
        strategy="受注から出荷までを一つの仕組みでつなぎ、納期の回答を早くする。",
        **fields,
    )
    for phase in (Phase.IT_STRATEGY, Phase.IMPLEMENTATION):
        engagement_services.engagement_set_phase(engagement=engagement, phase=phase, actor=engagement.lead)
    KpiFactory.create(engagement=engagement, measurements=3)
    return engagement_services.engagement_set_status(
        engagement=engagement, status=EngagementStatus.COMPLETED, actor=engagement.lead
    )


def case_data(**fields: Any) -> CaseData:
    values: dict[str, Any] = {
        "title": "受注と在庫を一つにつないで納期回答を即日に",
        "summary": "紙とFAXの受注をクラウドの販売管理に移し、在庫を見ながら納期を答えられるようにした。",
        "challenge_kind": Challenge.PRODUCTIVITY,
        "it_area": ItArea.ORDERS,
        "challenge": "",
        "solution": "販売管理と在庫管理のクラウドサービスを選び、受注の入力を営業事務に集めた。",
        "results": "納期の回答が翌日から即日になり、電話の折り返しがほぼなくなった。",
        "owner_words": "数字で見えるようになって、社員との話が早くなりました。",
        "owner_title": "代表取締役",
    }
    values.update(fields)
    return CaseData(**values)


class CaseFactory(ServiceFactory[Case]):
    """A draft case of a completed engagement, written by the engagement's lead (``actor``). Any
    CaseData field may be given."""

    class Meta:
        model = Case

    engagement = factory.LazyFunction(completed_engagement)
    actor = factory.SelfAttribute("engagement.lead")

    @classmethod
    def _create(
        cls, model_class: type[Case], *args: Any, engagement: Engagement, actor: User, **fields: Any
    ) -> Case:
        return case_create_from_engagement(engagement=engagement, actor=actor, data=case_data(**fields))


def reviewer_of(case: Case) -> User:
    return make_user(case.organization, Role.STAFF)


def member_of(case: Case) -> MemberAccount:
    return MemberFactory.create(company=case.company)


def publish(case: Case, *, variant: str = CaseVariant.ANONYMOUS, reviewer: User | None = None) -> Case:
    """Review, consent by a member online and publish: the path every public case takes."""
    reviewer = reviewer or reviewer_of(case)
    assert case.author is not None
    case = case_submit(case=case, actor=case.author)
    case = case_request_consent(case=case, actor=reviewer, variant=variant)
    member = member_of(case)
    case_consent(case=case, actor=member.user, shown_version=CONSENT_TEXT_VERSION, shown_variant=variant)
    case.refresh_from_db()
    return case_publish(case=case, actor=reviewer)
