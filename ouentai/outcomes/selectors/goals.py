"""Reads of the outcome goals: one organization's 年度 with each indicator's actual against its target,
month by month, beside the same period of the year before; the rows behind any number; the years to
offer. Queries per page are constant: one per computed indicator (this year and last together), one
for the manual results, one for the targets."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from ouentai.accounts.models import Organization
from ouentai.core.calendar import fiscal_year, fiscal_year_bounds, fiscal_year_text
from ouentai.outcomes.indicators import RULES, Rule, counted
from ouentai.outcomes.models import Indicator, ManualResult, Target

ZERO = Decimal(0)


def months_of(year: int) -> list[dt.date]:
    """The first days of the twelve months of a 年度, April first."""
    return [dt.date(year + (month < 4), month, 1) for month in (*range(4, 13), 1, 2, 3)]


def month_end(month: dt.date) -> dt.date:
    following = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def year_before(day: dt.date) -> dt.date:
    """The same day a year earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def counted_span(year: int, today: dt.date) -> dt.date | None:
    """The last day counted so far in a 年度: its end once it is over, today while it runs, None before
    it starts."""
    first, last = fiscal_year_bounds(year)
    if today < first:
        return None
    return min(today, last)


@dataclass(frozen=True)
class MonthRow:
    month: dt.date
    count: Decimal | None  # None: a month not reached yet
    cumulative: Decimal | None
    last_year_cumulative: Decimal
    target_line: Decimal | None  # the target spread evenly over the year, to the end of this month


@dataclass(frozen=True)
class Outcome:
    indicator: Indicator
    rule: Rule | None  # None for a manual indicator
    target: Target | None
    actual: Decimal
    last_year_same_period: Decimal
    last_year_total: Decimal
    months: list[MonthRow]

    @property
    def label(self) -> str:
        return str(self.rule.label) if self.rule else self.indicator.name

    @property
    def definition(self) -> str:
        return str(self.rule.definition) if self.rule else self.indicator.definition

    @property
    def achievement(self) -> int | None:
        """The actual as a whole percentage of the target (None without a positive target)."""
        if self.target is None or self.target.target <= 0:
            return None
        return int(self.actual * 100 / self.target.target)

    @property
    def expected(self) -> Decimal | None:
        """Where the target line stands at the last month counted."""
        reached = [row.target_line for row in self.months if row.cumulative is not None]
        return reached[-1] if reached and reached[-1] is not None else None


@dataclass(frozen=True)
class FiscalYearOutcomes:
    year: int
    label: str
    first: dt.date
    last: dt.date
    as_of: dt.date | None  # the last day counted; None for a year not begun
    outcomes: list[Outcome]


def indicators_active() -> QuerySet[Indicator]:
    return Indicator.objects.filter(active=True).order_by("position", "pk")


def indicator_get(key: str) -> Indicator | None:
    return Indicator.objects.filter(key=key, active=True).first()


def _months(
    year: int,
    as_of: dt.date | None,
    this_year: dict[dt.date, Decimal],
    last_year: dict[dt.date, Decimal],
    target: Target | None,
) -> list[MonthRow]:
    rows = []
    cumulative = ZERO
    last_cumulative = ZERO
    for index, month in enumerate(months_of(year)):
        reached = as_of is not None and month <= as_of
        count = this_year.get(month, ZERO) if reached else None
        if count is not None:
            cumulative += count
        last_cumulative += last_year.get(dt.date(month.year - 1, month.month, 1), ZERO)
        rows.append(
            MonthRow(
                month=month,
                count=count,
                cumulative=cumulative if reached else None,
                last_year_cumulative=last_cumulative,
                target_line=(target.target * (index + 1) / 12).quantize(Decimal("0.1")) if target else None,
            )
        )
    return rows


def _by_month(days: dict[dt.date, Decimal]) -> dict[dt.date, Decimal]:
    months: dict[dt.date, Decimal] = {}
    for day, value in days.items():
        months[day.replace(day=1)] = months.get(day.replace(day=1), ZERO) + value
    return months


def outcomes_for(*, organization: Organization, year: int, today: dt.date) -> FiscalYearOutcomes:
    """Every active indicator of the organization's 年度 ``year`` as it stands on ``today``."""
    first, last = fiscal_year_bounds(year)
    as_of = counted_span(year, today)
    previous_first = fiscal_year_bounds(year - 1)[0]
    # Last year counts to the same day a year before while this year runs, and in full once it is over.
    last_year_until = (
        year_before(as_of) if as_of is not None and as_of < last else first - dt.timedelta(days=1)
    )
    indicators = list(indicators_active())
    targets = {
        target.indicator_id: target
        for target in Target.objects.filter(organization=organization, fiscal_year=year)
    }
    manual: dict[int, dict[dt.date, Decimal]] = {}
    for result in ManualResult.objects.filter(
        organization=organization, month__gte=previous_first, month__lte=last
    ):
        manual.setdefault(result.indicator_id, {})[result.month] = result.value
    outcomes = []
    for indicator in indicators:
        rule = RULES.get(indicator.rule)
        amounts: dict[dt.date, Decimal]
        if rule is not None:
            until = max(as_of or previous_first, first - dt.timedelta(days=1))
            days = Counter(row.day for row in counted(rule, organization.pk, previous_first, until))
            amounts = {day: Decimal(n) for day, n in days.items()}
            cutoff = last_year_until
        else:
            amounts = manual.get(indicator.pk, {})
            # Manual results are dated the first of their month: last year's same period runs to the
            # end of the same month.
            cutoff = (
                year_before(as_of).replace(day=1) if as_of is not None and as_of < last else last_year_until
            )
        reached = as_of or first - dt.timedelta(days=1)
        this_days = {day: value for day, value in amounts.items() if first <= day <= reached}
        last_days = {day: value for day, value in amounts.items() if day < first}
        this_months, last_months = _by_month(this_days), _by_month(last_days)
        same_period = sum((value for day, value in last_days.items() if day <= cutoff), start=ZERO)
        target = targets.get(indicator.pk)
        outcomes.append(
            Outcome(
                indicator=indicator,
                rule=rule,
                target=target,
                actual=sum(this_months.values(), start=ZERO),
                last_year_same_period=same_period,
                last_year_total=sum(last_months.values(), start=ZERO),
                months=_months(year, as_of, this_months, last_months, target),
            )
        )
    return FiscalYearOutcomes(
        year=year, label=fiscal_year_text(year), first=first, last=last, as_of=as_of, outcomes=outcomes
    )


def outcome_records(
    *, organization: Organization, rule: Rule, year: int, month: dt.date | None, today: dt.date
) -> list[tuple[dt.date, int]]:
    """(day, primary key) of the rows an indicator counts in a 年度 (or one month of it), newest first:
    exactly the rows behind the number on the dashboard."""
    first, last = fiscal_year_bounds(year)
    as_of = counted_span(year, today)
    if as_of is None:
        return []
    if month is not None:
        if not first <= month <= last:
            return []
        first, as_of = month, min(month_end(month), as_of)
    return [(row.day, row.pk) for row in reversed(counted(rule, organization.pk, first, as_of))]


def record_rows(*, organization: Organization, rule: Rule, keys: list[int]) -> list[Any]:
    """The rows of one page of ``outcome_records``, in the same order. One query."""
    found = {row.pk: row for row in rule.rows(organization.pk).filter(pk__in=keys)}
    return [found[key] for key in keys if key in found]


def target_years(*, organization: Organization, today: dt.date) -> list[int]:
    """The years to offer: from the first with a target (at most ten years back) to next year."""
    current = fiscal_year(today)
    earliest = (
        Target.objects.filter(organization=organization)
        .order_by("fiscal_year")
        .values_list("fiscal_year", flat=True)
        .first()
    )
    start = max(min(earliest or current - 2, current - 2), current - 10)
    return list(range(current + 1, start - 1, -1))


def targets_for(*, organization: Organization, year: int) -> dict[int, Target]:
    return {
        target.indicator_id: target
        for target in Target.objects.filter(organization=organization, fiscal_year=year).select_related(
            "set_by"
        )
    }


def manual_results_for(
    *, organization: Organization, indicator: Indicator, year: int
) -> dict[dt.date, ManualResult]:
    first, last = fiscal_year_bounds(year)
    return {
        result.month: result
        for result in ManualResult.objects.filter(
            organization=organization, indicator=indicator, month__gte=first, month__lte=last
        ).select_related("entered_by")
    }
