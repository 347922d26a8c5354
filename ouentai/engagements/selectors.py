"""Reads of the engagements app, always scoped by organization (console) or by the member's company
(member area), with the joins that keep query counts constant."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DateTimeField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from ouentai.accounts.models import Organization, User
from ouentai.community.models import Company
from ouentai.engagements.choices import Phase
from ouentai.engagements.models import (
    Attachment,
    ChecklistCheck,
    ChecklistItem,
    DiagnosisResult,
    Engagement,
    Kpi,
    KpiMeasurement,
    Note,
    PhaseChange,
    PlanVersion,
    StageRule,
)
from ouentai.engagements.rules import kpi_progress, kpi_reached

# How many notes an engagement's page shows, newest first.
NOTES_ON_PAGE = 100


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


@dataclass(frozen=True)
class BoardColumn:
    """One phase of the board, in process order, with its engagements (each with ``days_in_phase``)."""

    phase: str
    label: str
    engagements: list[Engagement]


def engagement_board(
    *,
    organization: Organization,
    lead_id: int | None = None,
    status: str = "",
    now: dt.datetime | None = None,
) -> list[BoardColumn]:
    """The board: a column per phase in process order, each engagement with how many days it has been
    in its phase (since the latest phase change). One query."""
    latest = PhaseChange.objects.filter(engagement=OuterRef("pk")).order_by("-changed_at", "-pk")
    engagements = engagement_list(organization=organization, lead_id=lead_id, status=status).annotate(
        phase_since=Subquery(latest.values("changed_at")[:1], output_field=DateTimeField())
    )
    now = now or timezone.now()
    by_phase: dict[str, list[Engagement]] = {phase: [] for phase in Phase.values}
    for engagement in engagements:
        since = getattr(engagement, "phase_since", None) or engagement.created_at
        engagement.days_in_phase = max((now - since).days, 0)  # type: ignore[attr-defined]
        by_phase[engagement.phase].append(engagement)
    return [BoardColumn(value, str(label), by_phase[value]) for value, label in Phase.choices]


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


@dataclass(frozen=True)
class KpiStatus:
    """A KPI as it stands: its measurements in date order, the latest, whether the target is reached
    (None while nothing is measured) and the progress from baseline to target in percent."""

    kpi: Kpi
    measurements: list[KpiMeasurement]
    latest: KpiMeasurement | None
    reached: bool | None
    progress: Decimal | None


def engagement_kpi_statuses(engagement: Engagement) -> list[KpiStatus]:
    """Every KPI of the engagement as it stands (two queries). The one place "reached" is worked out
    for a page: the console's engagement and KPI pages, the plan form and snapshot, the member area."""
    statuses = []
    for kpi in engagement_kpis(engagement):
        measurements = list(kpi.measurements.all())
        latest = measurements[-1] if measurements else None
        value = latest.value if latest else None
        statuses.append(
            KpiStatus(kpi, measurements, latest, kpi_reached(kpi, value), kpi_progress(kpi, value))
        )
    return statuses


def kpi_get(*, engagement: Engagement, pk: int | None) -> Kpi | None:
    """One KPI of the engagement (None for another engagement's)."""
    return engagement.kpis.filter(pk=pk).first() if pk else None


def engagement_phase_changes(engagement: Engagement) -> list[PhaseChange]:
    """Every move of the engagement between phases, oldest first, with who made it."""
    return list(engagement.phase_changes.select_related("actor"))


def engagement_checks(engagement: Engagement) -> dict[int, ChecklistCheck]:
    """The engagement's ticked checklist items: item id → who ticked it and when."""
    return {check.item_id: check for check in engagement.checks.select_related("done_by")}


def checklist_item_get(*, organization: Organization, pk: int | None) -> ChecklistItem | None:
    """One checklist item of the organization (None for another organization's)."""
    return ChecklistItem.objects.filter(organization=organization, pk=pk).first() if pk else None


def engagement_notes(engagement: Engagement) -> list[Note]:
    """The engagement's notes, newest first, with their authors (the latest ``NOTES_ON_PAGE``)."""
    return list(engagement.notes.select_related("author")[:NOTES_ON_PAGE])


def engagement_attachments(engagement: Engagement) -> list[Attachment]:
    """The engagement's files, newest first, with who uploaded them."""
    return list(engagement.attachments.select_related("uploaded_by"))


def attachment_get(*, engagement: Engagement, pk: int) -> Attachment | None:
    """One file of the engagement (None for another engagement's), with the engagement attached."""
    attachment = Attachment.objects.filter(engagement=engagement, pk=pk).first()
    if attachment is not None:
        attachment.engagement = engagement
    return attachment


def plan_versions(engagement: Engagement) -> QuerySet[PlanVersion]:
    return engagement.plan_versions.select_related("created_by").order_by("-number")


def plan_version_list_brief(engagement: Engagement) -> list[PlanVersion]:
    """The plan's versions, newest first, without their texts (lists and links need the number, title
    and date only; the PDF has the texts)."""
    return list(engagement.plan_versions.defer("sections", "kpis").order_by("-number"))


def plan_version_get(*, engagement: Engagement, number: int) -> PlanVersion | None:
    """One version of the engagement's plan, by its number."""
    return (
        PlanVersion.objects.filter(engagement=engagement, number=number)
        .select_related("engagement__company", "engagement__organization", "engagement__lead")
        .first()
    )


def engagements_for_member(user: User) -> QuerySet[Engagement]:
    """What a member sees: the engagements of their own company, nothing else (none without a member
    account)."""
    account = getattr(user, "member_account", None)
    if account is None:
        return Engagement.objects.none()
    return Engagement.objects.filter(
        company_id=account.company_id, organization_id=account.organization_id
    ).select_related("company", "lead")


def engagement_list_for_member(user: User) -> list[tuple[Engagement, PlanVersion | None]]:
    """The member's company's engagements, latest start first, each with its latest plan version
    (without the texts), in two queries."""
    engagements = engagements_for_member(user).prefetch_related(
        Prefetch(
            "plan_versions",
            queryset=PlanVersion.objects.defer("sections", "kpis").order_by("-number"),
            to_attr="versions",
        )
    )
    rows: list[tuple[Engagement, PlanVersion | None]] = []
    for engagement in engagements.order_by("-started_on", "-pk"):
        versions: list[PlanVersion] = getattr(engagement, "versions", [])
        rows.append((engagement, versions[0] if versions else None))
    return rows


def engagement_get_for_member(user: User, pk: int) -> Engagement | None:
    """One engagement of the member's own company (None for any other)."""
    return engagements_for_member(user).filter(pk=pk).first()


def diagnosis_results_for_company(
    *, organization: Organization | int, company_id: int
) -> QuerySet[DiagnosisResult]:
    """A company's diagnosis results, oldest first (before / after an engagement); ``.reverse()`` for
    the newest first."""
    organization_id = organization if isinstance(organization, int) else organization.pk
    return DiagnosisResult.objects.filter(organization_id=organization_id, company_id=company_id).order_by(
        "created_at", "pk"
    )


def diagnosis_result_by_token(token: uuid.UUID | str) -> DiagnosisResult | None:
    """A diagnosis result found by the secret in its link (the person who took it)."""
    return DiagnosisResult.objects.select_related("questionnaire", "company").filter(token=token).first()


def stage_rules_for(*, questionnaire_id: int) -> list[StageRule]:
    """The thresholds and texts of a questionnaire's stages, stage 1 first."""
    return list(StageRule.objects.filter(questionnaire_id=questionnaire_id))
