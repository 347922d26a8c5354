"""Reads of the support network, scoped by organization, with the joins that keep each page's query
count constant."""

from __future__ import annotations

from django.db.models import QuerySet

from ouentai.network.models import DispatchRequest

# How many dispatch requests a company's or an engagement's page lists (newest first).
DISPATCHES_ON_RECORD_PAGE = 20


def dispatch_list_for_record(
    *, organization_id: int, company_id: int | None = None, engagement_id: int | None = None
) -> QuerySet[DispatchRequest]:
    """A company's or an engagement's dispatch requests, newest first, with scheme, expert and visits
    (two queries whatever their number)."""
    queryset = DispatchRequest.objects.filter(organization_id=organization_id)
    if company_id is not None:
        queryset = queryset.filter(company_id=company_id)
    if engagement_id is not None:
        queryset = queryset.filter(engagement_id=engagement_id)
    return (
        queryset.select_related("scheme", "expert").prefetch_related("visits").order_by("-created_at", "-pk")
    )
