"""Reads of the network's directory: support organizations with their contacts, key persons, schemes
and partner accounts; experts with their skills, qualifications and current load; the names of areas;
and who a partner's or an expert's login stands for. Scoped by the organization; each list takes a
constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from ouentai.accounts.models import OrganizationArea, User
from ouentai.core.jp import DESIGNATED_CITIES
from ouentai.network.choices import ACTIVE_LOAD, PREFECTURES
from ouentai.network.models import (
    DispatchRequest,
    DispatchScheme,
    Expert,
    KeyPerson,
    PartnerAccount,
    Skill,
    SupportOrganization,
)

# How many of an expert's dispatches their console page lists (newest first).
DISPATCHES_ON_EXPERT_PAGE = 100


def area_names(organization_id: int) -> dict[str, str]:
    """Code → name: the 47 prefectures, the designated cities and the organization's own areas."""
    names = {f"{index:02d}": name for index, name in enumerate(PREFECTURES, start=1)}
    names.update(DESIGNATED_CITIES)
    names.update(OrganizationArea.objects.filter(organization_id=organization_id).values_list("code", "name"))
    return names


# --- support organizations and schemes --------------------------------------------------------------------


def support_organization_list(*, organization_id: int) -> QuerySet[SupportOrganization]:
    """The organization's support organizations by name with ``scheme_count`` and their contacts (two
    queries)."""
    return (
        SupportOrganization.objects.filter(organization_id=organization_id)
        .annotate(scheme_count=Count("schemes", distinct=True))
        .prefetch_related("contacts")
        .order_by("name")
    )


def support_organization_choices(*, organization_id: int) -> list[tuple[int, str]]:
    return list(
        SupportOrganization.objects.filter(organization_id=organization_id)
        .order_by("name")
        .values_list("pk", "name")
    )


def support_organization_get(*, organization_id: int, pk: int | None) -> SupportOrganization | None:
    if not pk:
        return None
    return SupportOrganization.objects.filter(organization_id=organization_id, pk=pk).first()


@dataclass(frozen=True)
class SupportOrganizationRecords:
    """What a support organization's page lists besides the organization itself."""

    contacts: list[object]
    key_persons: list[KeyPerson]
    schemes: list[DispatchScheme]
    partners: list[PartnerAccount]


def support_organization_records(support_organization: SupportOrganization) -> SupportOrganizationRecords:
    organization_id = support_organization.organization_id
    return SupportOrganizationRecords(
        contacts=list(support_organization.contacts.all()),
        key_persons=list(
            KeyPerson.objects.filter(
                organization_id=organization_id, support_organization=support_organization
            )
        ),
        schemes=list(support_organization.schemes.filter(organization_id=organization_id).order_by("name")),
        partners=list(
            PartnerAccount.objects.filter(
                organization_id=organization_id, support_organization=support_organization
            )
            .select_related("user")
            .order_by("user__name")
        ),
    )


def scheme_get(*, organization_id: int, pk: int | None) -> DispatchScheme | None:
    if not pk:
        return None
    return (
        DispatchScheme.objects.filter(organization_id=organization_id, pk=pk)
        .select_related("support_organization")
        .first()
    )


def scheme_choices(
    *, organization_id: int, active_or: int | None = None, active_only: bool = False
) -> list[tuple[int, str]]:
    """(pk, 「支援機関　制度名」) of the organization's schemes; with ``active_only``, only those taking
    requests (and ``active_or``, the scheme a request already has)."""
    schemes = DispatchScheme.objects.filter(organization_id=organization_id).select_related(
        "support_organization"
    )
    return [
        (s.pk, f"{s.support_organization.name}　{s.name}")
        for s in schemes
        if not active_only or s.is_active or s.pk == active_or
    ]


def scheme_only_active(*, organization_id: int) -> int | None:
    """The one scheme taking requests, when there is exactly one (preselected on a new request)."""
    ids = list(
        DispatchScheme.objects.filter(organization_id=organization_id, is_active=True).values_list(
            "pk", flat=True
        )[:2]
    )
    return ids[0] if len(ids) == 1 else None


# --- experts ----------------------------------------------------------------------------------------------


def skill_choices() -> list[tuple[int, str]]:
    return list(Skill.objects.values_list("pk", "name"))


def _with_load(experts: QuerySet[Expert]) -> QuerySet[Expert]:
    """Each expert with ``load``: their requests filed and not yet reported."""
    return experts.annotate(
        load=Count("dispatches", filter=Q(dispatches__status__in=ACTIVE_LOAD), distinct=True)
    )


@dataclass(frozen=True)
class ExpertFilters:
    skill_id: int | None = None
    available: bool | None = None
    q: str = ""


def expert_list(*, organization_id: int, filters: ExpertFilters) -> QuerySet[Expert]:
    """The organization's experts by フリガナ with load, skills and qualifications (three queries per
    page)."""
    experts = Expert.objects.filter(organization_id=organization_id)
    if filters.skill_id:
        experts = experts.filter(skills__pk=filters.skill_id)
    if filters.available is not None:
        experts = experts.filter(is_available=filters.available)
    if filters.q:
        experts = experts.filter(Q(name__icontains=filters.q) | Q(name_kana__icontains=filters.q))
    return (
        _with_load(experts).prefetch_related("skills", "qualifications").order_by("name_kana", "name", "pk")
    )


def expert_get(*, organization_id: int, pk: int | None) -> Expert | None:
    """One expert with load, login, skills and qualifications."""
    if not pk:
        return None
    return (
        _with_load(Expert.objects.filter(organization_id=organization_id, pk=pk))
        .select_related("user")
        .prefetch_related("skills", "qualifications")
        .first()
    )


def expert_dispatches(expert: Expert) -> list[DispatchRequest]:
    """The expert's dispatches, newest first (at most DISPATCHES_ON_EXPERT_PAGE)."""
    return list(
        expert.dispatches.filter(organization_id=expert.organization_id)
        .select_related("company", "scheme", "scheme__support_organization")
        .order_by("-created_at", "-pk")[:DISPATCHES_ON_EXPERT_PAGE]
    )


# --- who a login stands for ---------------------------------------------------------------------------


def partner_account_for(user: User) -> PartnerAccount | None:
    """The support organization a partner's login acts for (with it and the organization)."""
    return (
        PartnerAccount.objects.select_related("support_organization", "organization")
        .filter(user=user)
        .first()
    )


def expert_profile_for(user: User) -> Expert | None:
    return Expert.objects.filter(user=user).first()
