"""Totals per scheme for a fiscal year: requests, visits, hours, companies and the fees the scheme
covers, for the organization's and the support organization's own reporting. Hours and fees count
each visit as ``rules.counted_minutes`` does (up to the scheme's hours per visit), like the report PDF
and every page: the totals of one request's scheme equal its report's hours."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ouentai.core.calendar import fiscal_year as fiscal_year_of
from ouentai.core.calendar import local_today
from ouentai.network.choices import COUNTS_AGAINST_LIMIT
from ouentai.network.models import DispatchRequest, DispatchScheme, DispatchVisit
from ouentai.network.rules import counted_minutes, covered_fee_of, fee_of, hours_of, visit_minutes


@dataclass
class SchemeTotal:
    scheme: DispatchScheme
    requests: int = 0
    visits: int = 0
    # Minutes counted for the hours and the fee: each visit up to the scheme's hours per visit.
    minutes: int = 0
    companies: set[int] = field(default_factory=set)

    @property
    def hours(self) -> Decimal:
        """Hours counted, rounded once (half up) from the sum of minutes."""
        return hours_of(self.minutes)

    @property
    def company_count(self) -> int:
        return len(self.companies)

    @property
    def fee(self) -> int:
        """The fee for the counted time, in 円 (from minutes, rounded once)."""
        return fee_of(self.minutes, self.scheme.fee_per_hour)

    @property
    def covered_fee(self) -> int:
        """The part of the fee the scheme covers, in 円."""
        return covered_fee_of(self.fee, self.scheme.fee_share_percent)


def dispatch_totals(
    *, organization_id: int, fiscal_year: int, support_organization_id: int | None = None
) -> list[SchemeTotal]:
    """One row per scheme of the organization (only the support organization's, when given): requests
    counted from submission on (not rejected/cancelled), visits and hours actually logged. Two
    queries."""
    schemes = DispatchScheme.objects.filter(organization_id=organization_id).select_related(
        "support_organization"
    )
    if support_organization_id is not None:
        schemes = schemes.filter(support_organization_id=support_organization_id)
    rows = {scheme.pk: SchemeTotal(scheme) for scheme in schemes}
    visits = DispatchVisit.objects.filter(
        request__scheme_id__in=rows.keys(),
        request__fiscal_year=fiscal_year,
        request__status__in=COUNTS_AGAINST_LIMIT,
    ).values_list("request__scheme_id", "request__company_id", "starts_at", "ends_at")
    for scheme_id, company_id, starts_at, ends_at in visits:
        row = rows[scheme_id]
        row.visits += 1
        row.minutes += counted_minutes(visit_minutes(starts_at, ends_at), row.scheme.hours_per_visit)
        row.companies.add(company_id)
    counted = DispatchRequest.objects.filter(
        scheme_id__in=rows.keys(), fiscal_year=fiscal_year, status__in=COUNTS_AGAINST_LIMIT
    ).values_list("scheme_id", "company_id")
    for scheme_id, company_id in counted:
        rows[scheme_id].requests += 1
        rows[scheme_id].companies.add(company_id)
    return sorted(rows.values(), key=lambda r: (r.scheme.support_organization.name, r.scheme.name))


@dataclass(frozen=True)
class TotalsSum:
    """The sum over schemes: a company served by two schemes counted once, hours rounded once from
    the minutes, fees added as each scheme rounded them."""

    requests: int
    visits: int
    minutes: int
    company_count: int
    fee: int
    covered_fee: int

    @property
    def hours(self) -> Decimal:
        return hours_of(self.minutes)


def totals_sum(rows: list[SchemeTotal]) -> TotalsSum:
    companies: set[int] = set()
    for row in rows:
        companies |= row.companies
    return TotalsSum(
        requests=sum(row.requests for row in rows),
        visits=sum(row.visits for row in rows),
        minutes=sum(row.minutes for row in rows),
        company_count=len(companies),
        fee=sum(row.fee for row in rows),
        covered_fee=sum(row.covered_fee for row in rows),
    )


def dispatch_fiscal_years(*, organization_id: int, support_organization_id: int | None = None) -> list[int]:
    """This fiscal year, the one before, and every year with requests (of the support organization's
    schemes, when given), newest first (one query)."""
    requests = DispatchRequest.objects.filter(organization_id=organization_id)
    if support_organization_id is not None:
        requests = requests.filter(scheme__support_organization_id=support_organization_id)
    current = fiscal_year_of(local_today())
    years = set(requests.values_list("fiscal_year", flat=True).distinct()) | {current, current - 1}
    return sorted(years, reverse=True)
