"""KPIs of an engagement and their measurements (whether each is reached: engagements.rules)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.models import User
from ouentai.core.audit import audit_record
from ouentai.core.errors import DomainError
from ouentai.engagements.choices import KpiDirection
from ouentai.engagements.models import Engagement, Kpi, KpiMeasurement
from ouentai.engagements.rules import kpi_progress, kpi_reached

__all__ = ["KpiData", "kpi_measure", "kpi_progress", "kpi_reached", "kpi_save"]


@dataclass(frozen=True)
class KpiData:
    name: str
    unit: str
    direction: str
    baseline_value: Decimal
    baseline_on: dt.date
    target_value: Decimal
    target_on: dt.date
    order: int = 0


def kpi_save(*, engagement: Engagement, data: KpiData, actor: User, kpi: Kpi | None = None) -> Kpi:
    """Create or change a KPI. The target must be an improvement on the baseline in the KPI's direction
    and dated after it."""
    if not data.name.strip():
        raise DomainError(_("指標の名前を入力してください。"), code="kpi.name", field="name")
    if data.direction not in KpiDirection.values:
        raise DomainError(_("良くなる向きを選んでください。"), code="kpi.direction", field="direction")
    if data.target_on <= data.baseline_on:
        raise DomainError(_("目標期日は基準日より後にしてください。"), code="kpi.dates", field="target_on")
    better = (
        data.target_value > data.baseline_value
        if data.direction == KpiDirection.INCREASE
        else data.target_value < data.baseline_value
    )
    if not better:
        raise DomainError(
            _("目標値は、基準値より良くなる向きに設定してください。"),
            code="kpi.target_direction",
            field="target_value",
        )
    if kpi is not None and kpi.engagement_id != engagement.pk:
        raise DomainError(_("別の案件のKPIです。"), code="kpi.scope")
    with transaction.atomic():
        kpi = kpi or Kpi(engagement=engagement)
        for name, value in data.__dict__.items():
            setattr(kpi, name, value)
        kpi.save()
        audit_record(
            actor=actor, action="engagements.kpi.saved", target=engagement, details={"kpi": kpi.name}
        )
    return kpi


def kpi_measure(
    *, kpi: Kpi, measured_on: dt.date, value: Decimal, actor: User, note: str = ""
) -> KpiMeasurement:
    """Record an actual value of a KPI (not before its baseline date)."""
    if measured_on < kpi.baseline_on:
        raise DomainError(
            _("測定日は基準日以降にしてください。"), code="kpi.measured_on", field="measured_on"
        )
    with transaction.atomic():
        measurement = KpiMeasurement.objects.create(
            kpi=kpi, measured_on=measured_on, value=value, note=note[:300], recorded_by=actor
        )
        audit_record(
            actor=actor,
            action="engagements.kpi.measured",
            target=kpi.engagement,
            details={"kpi": kpi.name, "on": measured_on.isoformat(), "value": str(value)},
        )
    return measurement
