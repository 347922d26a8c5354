"""Factories of the engagements app: engagements (engagement_create: the lead is a console user of the
organization, the first phase recorded like every later change) and their KPIs (kpi_save, kpi_measure:
the target an improvement on the baseline, measurements not before the baseline date)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.community.models import Company
from ouentai.engagements import services
from ouentai.engagements.choices import KpiDirection, Phase
from ouentai.engagements.models import Engagement, Kpi
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.community.factories import CompanyFactory
from tests.factories import ServiceFactory


class EngagementFactory(ServiceFactory[Engagement]):
    """An engagement of a company, led by a coordinator of the organization who also opens it (``actor``,
    the lead unless given). Any EngagementData field may be given (``members``: users, for
    ``member_ids``), and the ``phase`` it enters at."""

    class Meta:
        model = Engagement

    organization = factory.SubFactory(OrganizationFactory)
    company = factory.SubFactory(CompanyFactory, organization=factory.SelfAttribute("..organization"))
    lead = factory.SubFactory(
        UserFactory, organization=factory.SelfAttribute("..organization"), role=Role.COORDINATOR
    )
    actor = factory.SelfAttribute("lead")
    title = "受注から出荷までの見える化"
    started_on = dt.date(2026, 10, 1)
    phase = Phase.STRATEGY
    members = factory.LazyFunction(list)

    @classmethod
    def _create(
        cls,
        model_class: type[Engagement],
        *args: Any,
        organization: Organization,
        company: Company,
        lead: User,
        actor: User,
        phase: str,
        members: list[User],
        **fields: Any,
    ) -> Engagement:
        data = services.EngagementData(lead_id=lead.pk, member_ids=tuple(m.pk for m in members), **fields)
        return services.engagement_create(
            organization=organization, company=company, data=data, phase=phase, actor=actor
        )


class KpiFactory(ServiceFactory[Kpi]):
    """A KPI of an engagement (売上高, 1,000万円 → 1,200万円 from 2026-10-01 to 2027-09-30), saved by
    ``actor`` (the engagement's lead unless given), with ``measurements`` monthly actual values from
    2027-01-15 on, rising 60 a month from 1,050."""

    class Meta:
        model = Kpi

    engagement = factory.SubFactory(EngagementFactory)
    actor = factory.SelfAttribute("engagement.lead")
    name = "売上高"
    unit = "万円"
    direction = KpiDirection.INCREASE
    baseline_value = Decimal("1000")
    baseline_on = dt.date(2026, 10, 1)
    target_value = Decimal("1200")
    target_on = dt.date(2027, 9, 30)
    measurements = 0

    @classmethod
    def _create(
        cls,
        model_class: type[Kpi],
        *args: Any,
        engagement: Engagement,
        actor: User,
        measurements: int,
        **fields: Any,
    ) -> Kpi:
        kpi = services.kpi_save(engagement=engagement, data=services.KpiData(**fields), actor=actor)
        for i in range(measurements):
            services.kpi_measure(
                kpi=kpi, measured_on=dt.date(2027, 1 + i, 15), value=Decimal(1050 + 60 * i), actor=actor
            )
        return kpi
