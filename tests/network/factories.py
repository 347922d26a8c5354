"""Factories of the support network: support organizations, dispatch schemes and experts through the
directory services (support_organization_save, scheme_save, expert_save: names, the scheme's rules,
JIS area codes, skills and qualifications checked and audited), partner users of a support
organization, and dispatch requests along their path (dispatch_create, then assign, submit, approve:
every rule of the scheme checked on the way)."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.community.models import Company
from ouentai.network import services
from ouentai.network.models import (
    DispatchRequest,
    DispatchScheme,
    Expert,
    PartnerAccount,
    Skill,
    SupportOrganization,
)
from ouentai.network.services.directory import ContactData as SupportContactData
from ouentai.network.services.directory import (
    ExpertData,
    QualificationData,
    SchemeData,
    SupportOrganizationData,
    expert_save,
    scheme_save,
    support_organization_save,
)
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.community.factories import CompanyFactory
from tests.factories import ServiceFactory

__all__ = [
    "DispatchFactory",
    "ExpertFactory",
    "PartnerFactory",
    "QualificationData",
    "SchemeFactory",
    "SkillFactory",
    "SupportContactData",
    "SupportOrganizationFactory",
    "approved_request",
    "file_request",
    "make_company",
]


class SupportOrganizationFactory(ServiceFactory[SupportOrganization]):
    """A support organization of an implementing organization (``organization``), through
    ``support_organization_save``. Any SupportOrganizationData field may be given (``contacts``: a list
    of SupportContactData)."""

    class Meta:
        model = SupportOrganization

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"支援機関{n}")
    kind = "other"
    actor = None

    @classmethod
    def _create(
        cls,
        model_class: type[SupportOrganization],
        *args: Any,
        organization: Organization,
        actor: User | None,
        **fields: Any,
    ) -> SupportOrganization:
        return support_organization_save(
            organization=organization, data=SupportOrganizationData(**fields), actor=actor
        )


class SchemeFactory(ServiceFactory[DispatchScheme]):
    """A dispatch scheme of a support organization of the same implementing organization, through
    ``scheme_save`` (3 visits per company per 年度, SMEs only, anywhere, unless said otherwise). Any
    SchemeData field may be given; ``support_organization`` is the record."""

    class Meta:
        model = DispatchScheme

    organization = factory.SubFactory(OrganizationFactory)
    support_organization = factory.SubFactory(
        SupportOrganizationFactory, organization=factory.SelfAttribute("..organization")
    )
    name = factory.Sequence(lambda n: f"専門家派遣制度{n}")
    visits_per_year = 3
    actor = None

    @classmethod
    def _create(
        cls,
        model_class: type[DispatchScheme],
        *args: Any,
        organization: Organization,
        support_organization: SupportOrganization,
        actor: User | None,
        **fields: Any,
    ) -> DispatchScheme:
        data = SchemeData(support_organization_id=support_organization.pk, **fields)
        return scheme_save(organization=organization, data=data, actor=actor)


class SkillFactory(DjangoModelFactory[Skill]):
    """A skill of the taxonomy with the dispatch themes it serves. The taxonomy is seeded by a
    migration: a skill of that name is taken and given these themes, so that a test pins what it
    relies on."""

    class Meta:
        model = Skill

    name = factory.Sequence(lambda n: f"スキル{n}")
    themes = factory.LazyFunction(list)

    @classmethod
    def _create(cls, model_class: type[Skill], *args: Any, name: str, themes: list[str]) -> Skill:
        return model_class.objects.update_or_create(name=name, defaults={"themes": themes})[0]


class ExpertFactory(ServiceFactory[Expert]):
    """An expert of an implementing organization through ``expert_save``: ``skills`` (records) and
    ``qualifications`` (QualificationData), and ``user`` for one who signs in (a user of role expert of
    that organization). Any other ExpertData field may be given."""

    class Meta:
        model = Expert

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"専門 {n}")
    user = None
    skills = factory.LazyFunction(list)
    qualifications = factory.LazyFunction(list)
    actor = None

    @classmethod
    def _create(
        cls,
        model_class: type[Expert],
        *args: Any,
        organization: Organization,
        user: User | None,
        skills: list[Skill],
        actor: User | None,
        **fields: Any,
    ) -> Expert:
        data = ExpertData(
            user_id=user.pk if user is not None else None, skill_ids=[skill.pk for skill in skills], **fields
        )
        expert, _created_user = expert_save(organization=organization, data=data, actor=actor)
        return expert


class PartnerFactory(DjangoModelFactory[PartnerAccount]):
    """A support organization's person who decides on its schemes' requests: a user of role partner
    (``user__email``, ``user__name``) and the partner account that ties them to the support
    organization (rows: there is no service that makes partner users yet)."""

    class Meta:
        model = PartnerAccount

    support_organization = factory.SubFactory(SupportOrganizationFactory)
    organization = factory.SelfAttribute("support_organization.organization")
    user = factory.SubFactory(
        UserFactory, organization=factory.SelfAttribute("..organization"), role=Role.PARTNER
    )


class DispatchFactory(ServiceFactory[DispatchRequest]):
    """A request to dispatch an expert to a company under a scheme, created as a draft by ``actor``
    (staff or a coordinator of the organization); then, if given, ``expert`` assigned, ``submit``ted,
    and approved by ``approved_by`` (a partner of the scheme's support organization). Any DispatchData
    field but the scheme may be given (2 visits on the IT theme unless said otherwise).

    Made alone, everything comes from one new organization: an SME in 横浜 (30 people), a scheme, and
    a staff member who files it."""

    class Meta:
        model = DispatchRequest

    organization = factory.SubFactory(OrganizationFactory)
    company = factory.SubFactory(
        CompanyFactory, organization=factory.SelfAttribute("..organization"), in_yokohama=True, employees=30
    )
    scheme = factory.SubFactory(SchemeFactory, organization=factory.SelfAttribute("..organization"))
    actor = factory.SubFactory(UserFactory, organization=factory.SelfAttribute("..organization"))
    theme = "it"
    requested_visits = 2
    expert = None
    submit = False
    approved_by = None

    @classmethod
    def _create(
        cls,
        model_class: type[DispatchRequest],
        *args: Any,
        organization: Organization,
        company: Company,
        scheme: DispatchScheme,
        actor: User,
        expert: Expert | None,
        submit: bool,
        approved_by: User | None,
        **fields: Any,
    ) -> DispatchRequest:
        request = services.dispatch_create(
            organization=organization,
            company=company,
            data=services.DispatchData(scheme_id=scheme.pk, **fields),
            actor=actor,
        )
        if expert is not None:
            request = services.dispatch_assign_expert(request=request, expert=expert, actor=actor)
        if submit or approved_by is not None:
            request = services.dispatch_submit(request=request, actor=actor)
        if approved_by is not None:
            request = services.dispatch_approve(request=request, actor=approved_by)
        return request


# --- Shorthands of the tests of the pages outside the console (partner, expert, member) ----------------


def file_request(
    organization: Organization,
    company: Company,
    scheme: DispatchScheme,
    actor: User,
    *,
    visits: int = 2,
    theme: str = "it",
    submit: bool = True,
    expert: Expert | None = None,
) -> DispatchRequest:
    """A request as staff file it in the console: preferred dates and purpose written, submitted."""
    return DispatchFactory.create(
        organization=organization,
        company=company,
        scheme=scheme,
        actor=actor,
        theme=theme,
        requested_visits=visits,
        preferred_dates="平日の午後",
        purpose="受注から出荷までを見える化したい",
        expert=expert,
        submit=submit,
    )


def approved_request(
    organization: Organization,
    company: Company,
    scheme: DispatchScheme,
    staff: User,
    partner: User,
    expert: Expert,
    visits: int = 2,
) -> DispatchRequest:
    """A filed request with its expert, approved by the partner."""
    request = file_request(organization, company, scheme, staff, visits=visits, expert=expert)
    return services.dispatch_approve(request=request, actor=partner)


def make_company(organization: Organization, name: str) -> Company:
    """Another SME of 横浜市中区 (12 people)."""
    return CompanyFactory.create(organization=organization, name=name, in_yokohama=True, employees=12)
