"""Totals per scheme for a fiscal year: requests, visits, hours, companies and the fees the scheme
covers, for the support organization's own reporting. Two queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ouentai.accounts.models import Organization
from ouentai.network.choices import COUNTS_AGAINST_LIMIT
from ouentai.network.models import DispatchRequest, DispatchScheme, DispatchVisit


@dataclass
class SchemeTotal:
    scheme: DispatchScheme
    requests: int = 0
    visits: int = 0
    # Minutes counted for the fee: each visit up to the scheme's hours per visit.
    minutes: int = 0
    companies: set[int] = field(default_factory=set)

    @property
    def hours(self) -> Decimal:
        """Hours counted, rounded once (half up) from the sum of minutes."""
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def company_count(self) -> int:
        return len(self.companies)

    @property
    def fee(self) -> int:
        """The fee for the counted time, in 円 (from minutes, rounded once)."""
        return int(
            (Decimal(self.minutes) * self.scheme.fee_per_hour / 60).quantize(
                Decimal(1), rounding=ROUND_HALF_UP
            )
        )

    @property
    def covered_fee(self) -> int:
        """The part of the fee the scheme covers, in 円."""
        return int(
            (Decimal(self.fee) * self.scheme.fee_share_percent / 100).quantize(
                Decimal(1), rounding=ROUND_HALF_UP
            )
        )


def dispatch_totals(
    *, organization: Organization, fiscal_year: int, support_organization_id: int | None = None
) -> list[SchemeTotal]:
    """One row per scheme of the organization (only the support organization's, when given): requests
    counted from submission on (not rejected/cancelled), visits and hours actually logged."""
    schemes = DispatchScheme.objects.filter(organization=organization).select_related("support_organization")
    if support_organization_id is not None:
        schemes = schemes.filter(support_organization_id=support_organization_id)
    rows = {scheme.pk: SchemeTotal(scheme) for scheme in schemes}
    visits = DispatchVisit.objects.filter(
        request__scheme_id__in=rows.keys(),
        request__fiscal_year=fiscal_year,
        request__status__in=COUNTS_AGAINST_LIMIT,
    ).select_related("request")
    for visit in visits:
        row = rows[visit.request.scheme_id]
        row.visits += 1
        cap = int(row.scheme.hours_per_visit * 60) if row.scheme.hours_per_visit else visit.minutes
        row.minutes += min(visit.minutes, cap)
        row.companies.add(visit.request.company_id)
    counted = DispatchRequest.objects.filter(
        scheme_id__in=rows.keys(), fiscal_year=fiscal_year, status__in=COUNTS_AGAINST_LIMIT
    ).values_list("scheme_id", "company_id")
    for scheme_id, company_id in counted:
        rows[scheme_id].requests += 1
        rows[scheme_id].companies.add(company_id)
    return sorted(rows.values(), key=lambda r: (r.scheme.support_organization.name, r.scheme.name))
