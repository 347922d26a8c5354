"""Reads of the annual reports (年度報告): the versions of one 年度 and one report, always of the
organization asking."""

from __future__ import annotations

from django.db.models import QuerySet

from ouentai.accounts.models import Organization
from ouentai.outcomes.models import AnnualReport


def annual_report_list(*, organization: Organization, year: int) -> QuerySet[AnnualReport]:
    """The versions of a year, newest first, with who asked for them (one query)."""
    return (
        AnnualReport.objects.filter(organization=organization, fiscal_year=year)
        .select_related("requested_by")
        .order_by("-version")
    )


def annual_report_get(*, organization: Organization, pk: int) -> AnnualReport | None:
    return AnnualReport.objects.filter(organization=organization, pk=pk).first()
