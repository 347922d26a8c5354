"""Pure rules of engagements, without the database: whether a KPI is reached and how far it has come.
Every page that shows a KPI (the console's engagement and KPI pages, the plan document, the member
area) reads them through selectors.engagement_kpi_statuses."""

from __future__ import annotations

from decimal import Decimal

from ouentai.engagements.choices import KpiDirection
from ouentai.engagements.models import Kpi


def kpi_reached(kpi: Kpi, latest: Decimal | None) -> bool | None:
    """Reached when the latest actual is at or beyond the target in the KPI's direction; None while
    nothing has been measured."""
    if latest is None:
        return None
    if kpi.direction == KpiDirection.DECREASE:
        return latest <= kpi.target_value
    return latest >= kpi.target_value


def kpi_progress(kpi: Kpi, latest: Decimal | None) -> Decimal | None:
    """How far from the baseline towards the target the latest actual is, in percent (may exceed 100
    or be negative)."""
    if latest is None or kpi.target_value == kpi.baseline_value:
        return None
    return ((latest - kpi.baseline_value) / (kpi.target_value - kpi.baseline_value) * 100).quantize(
        Decimal("0.1")
    )
