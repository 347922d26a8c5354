"""What a case is prefilled from: the engagement's phases and KPIs, the dispatches and experts that
supported it, the training its company attended, the company's IT-management stage before."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ouentai.engagements.choices import Phase
from ouentai.engagements.models import DiagnosisResult, Engagement, Kpi
from ouentai.engagements.selectors import engagement_kpi_statuses
from ouentai.events.choices import EventKind
from ouentai.events.models import Event
from ouentai.events.selectors import registration_list_attended
from ouentai.network.choices import REPORTED_STATUSES
from ouentai.network.models import DispatchScheme, Expert
from ouentai.network.selectors.dispatch import dispatch_list_for_record


@dataclass(frozen=True)
class KpiFigures:
    """A KPI's before (its baseline) and after (its latest measurement) as recorded."""

    kpi: Kpi
    before_value: Decimal
    before_on: dt.date
    after_value: Decimal
    after_on: dt.date


@dataclass(frozen=True)
class CaseSources:
    phases: list[str]
    kpis: list[KpiFigures]
    schemes: list[DispatchScheme]
    experts: list[Expert]
    trainings: list[Event]
    it_stage_before: int | None


def engagement_phases_done(engagement: Engagement) -> list[str]:
    """The phases the engagement went through, in the process's order (one query)."""
    seen = {engagement.phase}
    for change in engagement.phase_changes.all():
        seen.update(p for p in (change.from_phase, change.to_phase) if p)
    return [phase for phase in Phase.values if phase in seen]


def kpi_figures(engagement: Engagement) -> list[KpiFigures]:
    """The engagement's KPIs that have a measurement after the baseline (two queries)."""
    figures = []
    for status in engagement_kpi_statuses(engagement):
        if status.latest is None:
            continue
        kpi = status.kpi
        figures.append(
            KpiFigures(
                kpi, kpi.baseline_value, kpi.baseline_on, status.latest.value, status.latest.measured_on
            )
        )
    return figures


def case_sources(engagement: Engagement) -> CaseSources:
    """Everything a case about this engagement is prefilled from, in a constant number of queries."""
    dispatches = [
        d
        for d in dispatch_list_for_record(
            organization_id=engagement.organization_id, engagement_id=engagement.pk
        )
        if d.status in REPORTED_STATUSES
    ]
    schemes = list({d.scheme_id: d.scheme for d in dispatches}.values())
    experts = list({d.expert_id: d.expert for d in dispatches if d.expert is not None}.values())
    trainings = [
        r.event
        for r in registration_list_attended(
            organization_id=engagement.organization_id, company_id=engagement.company_id
        )
    ]
    first = (
        DiagnosisResult.objects.filter(
            company_id=engagement.company_id, created_at__date__lte=engagement.started_on
        )
        .order_by("-created_at")
        .first()
    ) or DiagnosisResult.objects.filter(company_id=engagement.company_id).order_by("created_at").first()
    return CaseSources(
        phases=engagement_phases_done(engagement),
        kpis=kpi_figures(engagement),
        schemes=schemes,
        experts=experts,
        trainings=list({e.pk: e for e in trainings}.values()),
        it_stage_before=first.stage if first else None,
    )


def case_event_choices(*, organization_id: int) -> list[tuple[int, str]]:
    """The organization's case presentations (事例発表会), newest first, to say where a case was
    presented (one query)."""
    events = Event.objects.filter(organization_id=organization_id, kind=EventKind.CASES).order_by(
        "-starts_at", "-pk"
    )
    return [(event.pk, event.title) for event in events]
