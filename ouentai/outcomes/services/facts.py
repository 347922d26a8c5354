"""The pre-aggregated yearly facts the program office reads: for each implementing organization,
indicator and 年度, the number counted and how many distinct companies (or people) it rests on. The
staff dashboard counts live; the comparison across hundreds of organizations reads these rows instead.
They are recounted with the very rules of the dashboard (``indicators.counted``), by the task queue every
hour for the running and the previous 年度, and in full by ``manage.py outcome_facts_rebuild``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from ouentai.accounts.choices import OrganizationKind
from ouentai.accounts.models import Organization
from ouentai.core.calendar import fiscal_year, fiscal_year_bounds, local_today
from ouentai.outcomes.indicators import RULES, counted
from ouentai.outcomes.models import Indicator, ManualResult, OutcomeFact
from ouentai.outcomes.selectors import counted_span


def outcome_facts_count(*, organization: Organization, year: int, today: dt.date) -> list[OutcomeFact]:
    """The facts of one organization and 年度 as the records stand (unsaved): one query per computed
    indicator and one for the manual results."""
    first, _last = fiscal_year_bounds(year)
    as_of = counted_span(year, today)
    indicators = list(Indicator.objects.filter(active=True).order_by("position", "pk"))
    manual: dict[int, Decimal] = {}
    if as_of is not None:
        manual = dict(
            ManualResult.objects.filter(organization=organization, month__gte=first, month__lte=as_of)
            .values("indicator_id")
            .annotate(total=Sum("value"))
            .values_list("indicator_id", "total")
        )
    facts = []
    for indicator in indicators:
        rule = RULES.get(indicator.rule)
        value, contributors = Decimal(0), 0
        if as_of is not None and rule is not None:
            rows = counted(rule, organization.pk, first, as_of)
            value, contributors = Decimal(len(rows)), len({row.contributor for row in rows})
        elif rule is None:
            value = manual.get(indicator.pk, Decimal(0))
        facts.append(
            OutcomeFact(
                organization=organization,
                indicator=indicator,
                fiscal_year=year,
                value=value,
                contributors=contributors if rule is not None else None,
                counted_through=as_of,
            )
        )
    return facts


def outcome_facts_refresh(*, organization: Organization, year: int, today: dt.date | None = None) -> int:
    """Recount and store the organization's facts of a 年度 (all in one transaction, so the program
    office never reads half a year); facts of indicators switched off are removed. Returns the number
    of facts written."""
    facts = outcome_facts_count(organization=organization, year=year, today=today or local_today())
    now = timezone.now()
    for fact in facts:
        fact.refreshed_at = now
    with transaction.atomic():
        OutcomeFact.objects.filter(organization=organization, fiscal_year=year).exclude(
            indicator_id__in=[fact.indicator_id for fact in facts]
        ).delete()
        OutcomeFact.objects.bulk_create(
            facts,
            update_conflicts=True,
            unique_fields=["organization", "indicator", "fiscal_year"],
            update_fields=["value", "contributors", "counted_through", "refreshed_at", "updated_at"],
        )
    return len(facts)


def outcome_facts_refresh_all(
    *,
    years: Iterable[int],
    organizations: Iterable[Organization] | None = None,
    progress: Callable[[int, int, Organization, int], None] | None = None,
) -> int:
    """Refresh the given years of every implementing organization (or of those given); ``progress`` is
    told (done, total, organization, year) after each. Returns the number of facts written."""
    chosen = list(
        organizations
        if organizations is not None
        else Organization.objects.filter(kind=OrganizationKind.IMPLEMENTING).order_by("pk")
    )
    years = list(years)
    total, done, written = len(chosen) * len(years), 0, 0
    today = local_today()
    for organization in chosen:
        for year in years:
            written += outcome_facts_refresh(organization=organization, year=year, today=today)
            done += 1
            if progress is not None:
                progress(done, total, organization, year)
    return written


def outcome_facts_refresh_recent() -> int:
    """The hourly task: the running 年度 and the one before (a case withdrawn or a registration
    cancelled late still changes last year's numbers)."""
    current = fiscal_year(local_today())
    return outcome_facts_refresh_all(years=[current - 1, current])
