"""Console pages of the dispatch totals: per scheme and 年度 (optionally for one support organization),
requests, visits, hours, companies, fee and covered fee with a total row, and their export as CSV or
.xlsx. The numbers are selectors.dispatch_totals', counted as the report PDF counts them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.choices import INBOX_MANAGER_ROLES
from ouentai.accounts.permissions import ConsoleMixin
from ouentai.core.exports import EXPORT_FORMATS, export_response
from ouentai.core.numbers import number_text
from ouentai.core.templatetags.ouentai import fiscal_year_label
from ouentai.network import selectors
from ouentai.network.forms_dispatch import TotalsFilterForm
from ouentai.network.services import directory


@dataclass(frozen=True)
class TotalsRow:
    label: str
    support_organization: str
    requests: int
    visits: int
    hours: Decimal
    companies: int
    fee: int
    covered_fee: int


def totals_rows(rows: list[selectors.SchemeTotal]) -> tuple[list[TotalsRow], TotalsRow]:
    """The table's rows and its total row (selectors.totals_sum: companies counted once across schemes,
    hours rounded once)."""
    table = [
        TotalsRow(r.scheme.name, r.scheme.support_organization.name, r.requests, r.visits, r.hours,
                  r.company_count, r.fee, r.covered_fee)
        for r in rows
    ]  # fmt: skip
    total = selectors.totals_sum(rows)
    return table, TotalsRow(
        _("合計"),
        "",
        total.requests,
        total.visits,
        total.hours,
        total.company_count,
        total.fee,
        total.covered_fee,
    )


class TotalsMixin(ConsoleMixin):
    def filters(self, request: HttpRequest) -> TotalsFilterForm:
        organizations = selectors.support_organization_choices(organization_id=self.organization.pk)
        return TotalsFilterForm(request.GET, organizations=organizations)

    def compute(self, form: TotalsFilterForm) -> tuple[int, int | None, list[TotalsRow], TotalsRow]:
        year, support_id = form.year_value(), form.support_organization_value()
        rows, total = totals_rows(
            selectors.dispatch_totals(
                organization_id=self.organization.pk, fiscal_year=year, support_organization_id=support_id
            )
        )
        return year, support_id, rows, total


class TotalsView(TotalsMixin, View):
    """Totals per scheme for a fiscal year (the current one by default), optionally for one support
    organization: requests, visits, hours, companies, fee and covered fee, with a total row."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = self.filters(request)
        year, support_id, rows, total = self.compute(form)
        query = QueryDict(mutable=True)
        query["year"] = str(year)
        if support_id:
            query["support_organization"] = str(support_id)
        return render(
            request,
            "network/console/totals.html",
            {
                "filter_form": form,
                "year": year,
                "rows": rows,
                "total": total,
                "query": query.urlencode(),
                "can_export": self.user.manages_inbox,
            },
        )


class TotalsExportView(TotalsMixin, View):
    """The totals as CSV (UTF-8 with BOM) or .xlsx; staff and org admins; every export is audited."""

    allowed_roles = INBOX_MANAGER_ROLES

    def get(self, request: HttpRequest, fmt: str) -> HttpResponseBase:
        if fmt not in EXPORT_FORMATS:
            raise Http404
        form = self.filters(request)
        year, support_id, rows, total = self.compute(form)
        with transaction.atomic():
            directory.dispatch_totals_exported(
                organization=self.organization,
                fiscal_year=year,
                support_organization_id=support_id,
                file_format=fmt,
                rows=len(rows),
                actor=self.user,
            )
        header = [
            _("年度"), _("支援機関"), _("派遣制度"), _("申請件数"), _("訪問回数"), _("時間"), _("企業数"),
            _("謝金（円）"), _("制度の負担額（円）"),
        ]  # fmt: skip
        label = fiscal_year_label(year)
        data: list[list[Any]] = [header]
        for row in [*rows, total]:
            data.append([label, row.support_organization, row.label, row.requests, row.visits,
                         float(row.hours) if fmt == "xlsx" else number_text(row.hours), row.companies, row.fee,
                         row.covered_fee])  # fmt: skip
        return export_response(
            data, file_format=fmt, filename_stem=f"dispatch-totals-{year}", title=_("派遣の集計")
        )
