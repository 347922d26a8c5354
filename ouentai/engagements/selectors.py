"""Reads of the engagements app, always scoped by organization (console) or by the member's company
(member area), with the joins that keep query counts constant."""

from __future__ import annotations

import uuid

from django.db.models import Prefetch, Q, QuerySet

from ouentai.accounts.models import Organization, User
from ouentai.community.models import Company
from ouentai.engagements.models import DiagnosisResult, Engagement, Kpi, KpiMeasurement, PlanVersion


def engagement_list(
    *,
    organization: Organization,
    lead_id: int | None = None,
    status: str = "",
    phase: str = "",
    search: str = "",
) -> QuerySet[Engagement]:
    """The organization's engagements with company and lead loaded; ``lead_id`` filters by coordinator
    (lead or member)."""
    queryset = Engagement.objects.filter(organization=organization).select_related("company", "lead")
    if lead_id:
        queryset = queryset.filter(Q(lead_id=lead_id) | Q(members__pk=lead_id)).distinct()
    if status:
        queryset = queryset.filter(status=status)
    if phase:
        queryset = queryset.filter(phase=phase)
    if search:
        queryset = queryset.filter(Q(title__icontains=search) | Q(company__name__icontains=search))
    return queryset.order_by("-started_on", "-pk")


def engagement_list_for_company(company: Company) -> QuerySet[Engagement]:
    """A company's engagements, latest start first, with their lead (one query)."""
    return (
        Engagement.objects.filter(organization_id=company.organization_id, company=company)
        .select_related("lead")
        .order_by("-started_on", "-pk")
    )


def engagement_get(*, organization: Organization, pk: int) -> Engagement | None:
    return (
        Engagement.objects.filter(organization=organization, pk=pk)
        .select_related("company", "lead")
        .prefetch_related("members")
        .first()
    )


def engagement_kpis(engagement: Engagement) -> list[Kpi]:
    """KPIs with their measurements in date order (two queries)."""
    return list(
        engagement.kpis.prefetch_related(
            Prefetch("measurements", queryset=KpiMeasurement.objects.order_by("measured_on", "pk"))
        )
    )


def plan_versions(engagement: Engagement) -> QuerySet[PlanVersion]:
    return engagement.plan_versions.select_related("created_by").order_by("-number")


def engagements_for_member(user: User) -> QuerySet[Engagement]:
    """What a member sees: the engagements of their own company, nothing else (none without a member
    account)."""
    account = getattr(user, "member_account", None)
    if account is None:
        return Engagement.objects.none()
    return Engagement.objects.filter(
        company_id=account.company_id, organization_id=account.organization_id
    ).select_related("company", "lead")


def diagnosis_results_for_company(
    *, organization: Organization, company_id: int
) -> QuerySet[DiagnosisResult]:
    """A company's diagnosis results, oldest first (before / after an engagement)."""
    return DiagnosisResult.objects.filter(organization=organization, company_id=company_id).order_by(
        "created_at", "pk"
    )


def diagnosis_result_by_token(token: uuid.UUID | str) -> DiagnosisResult | None:
    """A diagnosis result found by the secret in its link (the person who took it)."""
    return DiagnosisResult.objects.select_related("questionnaire", "company").filter(token=token).first()
