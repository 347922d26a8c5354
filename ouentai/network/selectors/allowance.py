"""How many visits a company has left under a scheme in a fiscal year, and how a request stands against
its scheme's rules. The services call ``visits_left`` inside a transaction that holds the company's row
lock, so that two requests racing for the last visits cannot both pass; pages call
``dispatch_rule_status`` to say the same thing in words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet, Sum
from django.utils import timezone

from ouentai.community.models import Company
from ouentai.network.choices import COUNTS_AGAINST_LIMIT, DispatchStatus
from ouentai.network.models import DispatchRequest, DispatchScheme
from ouentai.network.rules import company_area_codes, dispatch_problem


def _counted(
    *, scheme: DispatchScheme, company: Company, fiscal_year: int, exclude_pk: int | None
) -> QuerySet[DispatchRequest]:
    queryset = DispatchRequest.objects.filter(
        scheme=scheme, company=company, fiscal_year=fiscal_year, status__in=COUNTS_AGAINST_LIMIT
    )
    return queryset.exclude(pk=exclude_pk) if exclude_pk is not None else queryset


def visits_used(
    *, scheme: DispatchScheme, company: Company, fiscal_year: int, exclude_pk: int | None = None
) -> int:
    """Visits requested under the scheme for the company in the fiscal year, by every request that
    counts (submitted onwards, not rejected or cancelled)."""
    queryset = _counted(scheme=scheme, company=company, fiscal_year=fiscal_year, exclude_pk=exclude_pk)
    return int(queryset.aggregate(n=Sum("requested_visits"))["n"] or 0)


def visits_left(
    *, scheme: DispatchScheme, company: Company, fiscal_year: int, theme: str, exclude_pk: int | None = None
) -> tuple[int, int]:
    """(the limit that binds, visits left) for one more request of ``theme``. Two rules, whatever the
    order of the requests: visits of themes without an allowance of their own stay within the scheme's
    yearly number, and all visits together stay within the largest allowance of the themes requested
    (中小企業119: 3 a year, 5 when IT is among them)."""
    rows = (
        _counted(scheme=scheme, company=company, fiscal_year=fiscal_year, exclude_pk=exclude_pk)
        .values_list("theme")
        .annotate(n=Sum("requested_visits"))
    )
    used = {row_theme: int(n or 0) for row_theme, n in rows}
    own = {key for key, value in (scheme.visits_per_theme or {}).items() if value}
    total_limit = max(scheme.limit_for(t) for t in {*used, theme})
    total_left = total_limit - sum(used.values())
    if theme in own:
        return total_limit, max(total_left, 0)
    general_left = scheme.visits_per_year - sum(n for t, n in used.items() if t not in own)
    if general_left < total_left:
        return scheme.visits_per_year, max(general_left, 0)
    return total_limit, max(total_left, 0)


@dataclass(frozen=True)
class RuleStatus:
    """How a request stands against its scheme: the limit that binds for its theme in its 年度, what
    other requests use, what is left before and after this one, eligibility, and the first rule it
    breaks now (for drafts and requests waiting for a decision; "" if none)."""

    fiscal_year: int
    limit: int
    used_by_others: int
    requested: int
    left_before: int
    counts: bool  # rejected and cancelled requests never use the allowance
    is_sme: bool | None
    area_limited: bool
    in_area: bool
    problem: str

    @property
    def left_after(self) -> int:
        return max(self.left_before - (self.requested if self.counts else 0), 0)


def dispatch_check_day(request: DispatchRequest, today: dt.date) -> dt.date:
    """The day the scheme's application window is checked on: today for a draft (it is submitted now),
    the day of submission afterwards (as the approval checks it)."""
    if request.status != DispatchStatus.DRAFT and request.submitted_at is not None:
        return timezone.localdate(request.submitted_at)
    return today


def dispatch_rule_status(request: DispatchRequest, *, today: dt.date) -> RuleStatus:
    """The request against its scheme's rules, with the same counting and the same rule as the
    services that submit and approve it (two queries)."""
    scheme, company = request.scheme, request.company
    limit, left = visits_left(
        scheme=scheme,
        company=company,
        fiscal_year=request.fiscal_year,
        theme=request.theme,
        exclude_pk=request.pk,
    )
    problem = ""
    if request.status in (DispatchStatus.DRAFT, DispatchStatus.SUBMITTED):
        error = dispatch_problem(
            scheme=scheme,
            company=company,
            visits=request.requested_visits,
            fiscal_year=request.fiscal_year,
            today=dispatch_check_day(request, today),
            limit=limit,
            left=left,
        )
        problem = str(error.message) if error is not None else ""
    areas = set(scheme.area_code_list)
    return RuleStatus(
        fiscal_year=request.fiscal_year,
        limit=limit,
        used_by_others=visits_used(
            scheme=scheme, company=company, fiscal_year=request.fiscal_year, exclude_pk=request.pk
        ),
        requested=request.requested_visits,
        left_before=left,
        counts=request.status not in (DispatchStatus.REJECTED, DispatchStatus.CANCELLED),
        is_sme=company.is_sme,
        area_limited=bool(areas),
        in_area=bool(company_area_codes(company) & areas),
        problem=problem,
    )
