"""Reads of dispatch requests for each surface, scoped by organization and by who reads (the console's
staff, a support organization's partner, the assigned expert, the company's member), with the joins
that keep each page's query count constant whatever the number of requests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When

from ouentai.community.models import Company, MemberAccount
from ouentai.engagements.models import Engagement
from ouentai.network.choices import EXPERT_VISIBLE, REPORT_FIELDS, DispatchStatus
from ouentai.network.models import DispatchRequest, DispatchVisit, Expert, PartnerAccount, Qualification

# How many dispatch requests a company's or an engagement's page lists (newest first).
DISPATCHES_ON_RECORD_PAGE = 20
# How many the member's home page lists.
DISPATCHES_ON_MEMBER_PAGE = 20

_VISITS_IN_ORDER = Prefetch(
    "visits", queryset=DispatchVisit.objects.order_by("visited_on", "starts_at", "pk")
)


def dispatch_list_for_record(
    *, organization_id: int, company_id: int | None = None, engagement_id: int | None = None
) -> QuerySet[DispatchRequest]:
    """A company's or an engagement's dispatch requests, newest first, with scheme, expert and visits
    (two queries whatever their number)."""
    queryset = DispatchRequest.objects.filter(organization_id=organization_id)
    if company_id is not None:
        queryset = queryset.filter(company_id=company_id)
    if engagement_id is not None:
        queryset = queryset.filter(engagement_id=engagement_id)
    return (
        queryset.select_related("scheme", "expert").prefetch_related("visits").order_by("-created_at", "-pk")
    )


# --- console ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DispatchFilters:
    """The console list's filters; None (or "") leaves a filter out."""

    status: str | None = None
    scheme_id: int | None = None
    fiscal_year: int | None = None
    q: str = ""


def dispatch_list(*, organization_id: int, filters: DispatchFilters) -> QuerySet[DispatchRequest]:
    """The organization's requests, newest first, filtered by status, scheme, fiscal year and company
    name (or フリガナ), with company, scheme, support organization and expert (one query per page)."""
    queryset = DispatchRequest.objects.filter(organization_id=organization_id)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.scheme_id:
        queryset = queryset.filter(scheme_id=filters.scheme_id)
    if filters.fiscal_year:
        queryset = queryset.filter(fiscal_year=filters.fiscal_year)
    if filters.q:
        queryset = queryset.filter(
            Q(company__name__icontains=filters.q) | Q(company__name_kana__icontains=filters.q)
        )
    return queryset.select_related("company", "scheme", "scheme__support_organization", "expert").order_by(
        "-created_at", "-pk"
    )


def dispatch_for_console(*, organization_id: int, pk: int) -> DispatchRequest | None:
    """One request of the organization with what its console page shows (visits in order)."""
    return (
        DispatchRequest.objects.filter(organization_id=organization_id, pk=pk)
        .select_related(
            "company", "engagement", "scheme", "scheme__support_organization", "expert", "created_by",
            "decided_by",
        )
        .prefetch_related(_VISITS_IN_ORDER)
        .first()
    )  # fmt: skip


def dispatch_company(*, organization_id: int, pk: int | None) -> Company | None:
    """A company of the organization a request may be made for (None when not found)."""
    if not pk:
        return None
    return Company.objects.filter(organization_id=organization_id, pk=pk).first()


def dispatch_engagement(*, organization_id: int, pk: int | None) -> Engagement | None:
    """An engagement of the organization (with its company) a request may be made from."""
    if not pk:
        return None
    return Engagement.objects.filter(organization_id=organization_id, pk=pk).select_related("company").first()


# --- partner ------------------------------------------------------------------------------------------


def dispatch_list_for_partner(account: PartnerAccount) -> QuerySet[DispatchRequest]:
    """Requests to the partner's own schemes that were filed with it: drafts (and drafts withdrawn before
    submission) are the program office's own work and never shown."""
    return DispatchRequest.objects.filter(
        organization_id=account.organization_id,
        scheme__support_organization_id=account.support_organization_id,
        submitted_at__isnull=False,
    )


def dispatch_counts_for_partner(account: PartnerAccount) -> dict[str, int]:
    """Status → number of the partner's requests (one query)."""
    rows = dispatch_list_for_partner(account).values_list("status").annotate(n=Count("pk")).order_by()
    return {status: int(n) for status, n in rows}


def dispatch_page_for_partner(
    account: PartnerAccount, statuses: tuple[str, ...]
) -> QuerySet[DispatchRequest]:
    """The partner's requests in ``statuses`` (all when empty), last submitted first."""
    queryset = dispatch_list_for_partner(account).select_related("company", "scheme")
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    return queryset.order_by("-submitted_at", "-pk")


def dispatch_for_partner(account: PartnerAccount, pk: int) -> DispatchRequest | None:
    """One of the partner's requests with the expert's qualifications and the visits."""
    return (
        dispatch_list_for_partner(account)
        .select_related("company", "scheme__support_organization", "expert", "decided_by")
        .prefetch_related(
            Prefetch("expert__qualifications", queryset=Qualification.objects.order_by("kind", "pk")),
            _VISITS_IN_ORDER,
        )
        .filter(pk=pk)
        .first()
    )


# --- expert -------------------------------------------------------------------------------------------

# Upcoming and in-progress dispatches first.
_EXPERT_ORDER = Case(
    When(status=DispatchStatus.IN_PROGRESS, then=Value(0)),
    When(status=DispatchStatus.APPROVED, then=Value(1)),
    When(status=DispatchStatus.REPORTED, then=Value(2)),
    When(status=DispatchStatus.CONFIRMED, then=Value(3)),
    When(status=DispatchStatus.CLOSED, then=Value(4)),
    default=Value(5),
    output_field=IntegerField(),
)


def _expert_visible(expert: Expert) -> QuerySet[DispatchRequest]:
    """The expert's own dispatches from approval on (a cancelled one only if it had been approved: the
    approval's date stays on it)."""
    return DispatchRequest.objects.filter(organization_id=expert.organization_id, expert=expert).filter(
        Q(status__in=EXPERT_VISIBLE) | Q(status=DispatchStatus.CANCELLED, decided_at__isnull=False)
    )


def dispatch_list_for_expert(expert: Expert) -> QuerySet[DispatchRequest]:
    """The expert's dispatches: in progress and upcoming first (by first preferred date), then reported
    and closed ones; each with ``visit_count`` (one query per page)."""
    return (
        _expert_visible(expert)
        .select_related("company", "scheme")
        .annotate(visit_count=Count("visits"), rank=_EXPERT_ORDER)
        .order_by("rank", F("first_preferred_on").asc(nulls_last=True), "-pk")
    )


def dispatch_for_expert(expert: Expert, pk: int) -> DispatchRequest | None:
    dispatch = (
        _expert_visible(expert)
        .select_related("company", "scheme__support_organization")
        .prefetch_related(_VISITS_IN_ORDER)
        .filter(pk=pk)
        .first()
    )
    if dispatch is not None:
        dispatch.expert = expert
    return dispatch


# --- member -------------------------------------------------------------------------------------------


def dispatch_list_for_member(account: MemberAccount) -> QuerySet[DispatchRequest]:
    """The member's company's dispatches once filed with the support organization (drafts are the
    office's own work), last submitted first, each with ``visit_count``."""
    return (
        DispatchRequest.objects.filter(
            organization_id=account.organization_id, company_id=account.company_id, submitted_at__isnull=False
        )
        .select_related("scheme__support_organization", "expert")
        .annotate(visit_count=Count("visits"))
        .order_by("-submitted_at", "-pk")
    )


def dispatch_for_member(account: MemberAccount, pk: int) -> DispatchRequest | None:
    return dispatch_list_for_member(account).filter(pk=pk).first()


# --- the report's fields ---------------------------------------------------------------------------------


def report_rows(dispatch: DispatchRequest) -> list[dict[str, Any]]:
    """The completion report's written fields in their fixed order, with their labels."""
    report = dispatch.report or {}
    return [
        {"key": key, "label": label, "value": report.get(key, "")}
        for key, label in REPORT_FIELDS.items()
        if report.get(key)
    ]
