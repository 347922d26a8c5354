"""The case library as staff see it: every case of their organization, whatever its status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from ouentai.cases.choices import CaseStatus
from ouentai.cases.models import Case, CaseConsent, CaseKpi, CaseMedia
from ouentai.engagements.models import Engagement


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    q: str = ""


def case_list(*, organization_id: int, filters: CaseFilters) -> QuerySet[Case]:
    """The organization's cases, newest first, with company and author (one query)."""
    queryset = Case.objects.filter(organization_id=organization_id).select_related("company", "author")
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.q.strip():
        queryset = queryset.filter(title__icontains=filters.q.strip())
    return queryset.order_by("-updated_at", "-pk")


def case_get(*, organization_id: int, pk: int | None) -> Case | None:
    """One case of the organization with everything its page shows (None for another organization's)."""
    if not pk:
        return None
    return (
        Case.objects.filter(organization_id=organization_id, pk=pk)
        .select_related("company", "engagement", "author", "reviewer", "presented_at")
        .prefetch_related(
            Prefetch("kpis", queryset=CaseKpi.objects.order_by("order", "pk")),
            Prefetch("media", queryset=CaseMedia.objects.order_by("order", "pk")),
            Prefetch("consents", queryset=CaseConsent.objects.select_related("given_by", "recorded_by")),
            "schemes",
            "experts",
            "trainings",
        )
        .first()
    )


def case_list_for_engagement(engagement: Engagement) -> QuerySet[Case]:
    return Case.objects.filter(organization_id=engagement.organization_id, engagement=engagement).order_by(
        "-pk"
    )


def case_list_for_company(*, company_id: int) -> QuerySet[Case]:
    """A company's cases for its members: those they are asked to consent to, or have (one query)."""
    return (
        Case.objects.filter(company_id=company_id)
        .exclude(status__in=[CaseStatus.DRAFT, CaseStatus.REVIEW])
        .order_by("-pk")
    )


def case_media_get(*, case: Case, pk: int) -> CaseMedia | None:
    return CaseMedia.objects.filter(case=case, pk=pk).first() if pk else None


def case_consent_get(*, case: Case, pk: int) -> CaseConsent | None:
    return CaseConsent.objects.filter(case=case, pk=pk).first() if pk else None


def case_list_for_company_console(company: Any) -> QuerySet[Case]:
    """A company's cases for its page in the console, with their engagement (one query)."""
    return (
        Case.objects.filter(organization_id=company.organization_id, company_id=company.pk)
        .select_related("engagement")
        .order_by("-pk")
    )
