"""The support organization's pages (/network/partner/): the requests filed to its own schemes, one
request with what it needs to decide (the company, the rule check in words, the expert) and the
approve/reject forms, and the totals of its schemes per fiscal year with CSV/xlsx export.

A partner sees nothing of another support organization's schemes (404), never a draft, and of the
company only what the decision needs: no contact person's name, e-mail or phone. Reads come from
ouentai.network.selectors; whether the partner may decide is services.dispatch_can_decide."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from ouentai.core.calendar import fiscal_year, local_today, wareki_fiscal_year
from ouentai.core.errors import DomainError
from ouentai.core.exports import EXPORT_FORMATS, export_response
from ouentai.core.forms import add_domain_error
from ouentai.network import selectors, services
from ouentai.network.choices import PARTNER_TABS
from ouentai.network.forms_external import ApproveForm, FiscalYearForm, RejectForm
from ouentai.network.models import DispatchRequest
from ouentai.network.rules import visit_hours
from ouentai.network.views.common import PartnerMixin

REQUESTS_PER_PAGE = 50
DEFAULT_TAB = "submitted"


class PartnerHomeView(PartnerMixin, View):
    """The requests to the partner's schemes, newest first, by tab (申請中 first)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        tab = request.GET.get("tab", DEFAULT_TAB)
        tabs = {key: statuses for key, _label, statuses in PARTNER_TABS}
        if tab not in tabs:
            tab = DEFAULT_TAB
        per_status = selectors.dispatch_counts_for_partner(self.account)
        tab_links = [
            {
                "key": key,
                "label": label,
                "count": sum(per_status.values())
                if not statuses
                else sum(per_status.get(status, 0) for status in statuses),
                "current": key == tab,
            }
            for key, label, statuses in PARTNER_TABS
        ]
        queryset = selectors.dispatch_page_for_partner(self.account, tabs[tab])
        page = Paginator(queryset, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
        context = {
            "support_organization": self.support_organization,
            "tabs": tab_links,
            "tab": tab,
            "page": page,
            "query": f"tab={tab}",
        }
        return render(request, "network/partner/home.html", context)


class PartnerRequestView(PartnerMixin, View):
    """One request to the partner's scheme: the company (no contact persons), the request, the rule
    check, the expert (name and qualifications), visits and report once there; approve or reject while
    it is 申請中."""

    def get_request(self, pk: int) -> DispatchRequest:
        dispatch = selectors.dispatch_for_partner(self.account, pk)
        if dispatch is None:
            raise Http404
        return dispatch

    def render_page(
        self, dispatch: DispatchRequest, forms_: dict[str, Any] | None = None, status: int = 200
    ) -> HttpResponse:
        context = {
            "support_organization": self.support_organization,
            "dispatch": dispatch,
            "company": dispatch.company,
            "check": selectors.dispatch_rule_status(dispatch, today=local_today()),
            "hours": visit_hours(dispatch.visits.all(), dispatch.scheme),
            "report": selectors.report_rows(dispatch),
            "can_decide": services.dispatch_can_decide(self.user, dispatch),
            "approve_form": ApproveForm(),
            "reject_form": RejectForm(),
            **(forms_ or {}),
        }
        return render(self.request, "network/partner/request.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(self.get_request(pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        dispatch = self.get_request(pk)
        action = request.POST.get("action", "")
        if action == "approve":
            form: ApproveForm | RejectForm = ApproveForm(request.POST)
            name = "approve_form"
        elif action == "reject":
            form = RejectForm(request.POST)
            name = "reject_form"
        else:
            raise Http404
        if form.is_valid():
            try:
                if action == "approve":
                    services.dispatch_approve(
                        request=dispatch, actor=self.user, note=form.cleaned_data["note"]
                    )
                    message = _("申請を承認しました。")
                else:
                    services.dispatch_reject(
                        request=dispatch, actor=self.user, note=form.cleaned_data["note"]
                    )
                    message = _("申請を却下しました。事務局に理由が伝わります。")
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, message)
                return redirect("network:partner_request", pk=dispatch.pk)
        return self.render_page(self.get_request(pk), {name: form}, status=400)


# --- totals ------------------------------------------------------------------------------------------


def _year_label(year: int) -> str:
    return f"{year}年度（{wareki_fiscal_year(year)}）"


class PartnerTotalsMixin(PartnerMixin):
    def fiscal_years(self) -> list[tuple[int, str]]:
        """This fiscal year, the one before, and every year the partner's schemes have requests in,
        newest first."""
        years = selectors.dispatch_fiscal_years(
            organization_id=self.account.organization_id, support_organization_id=self.support_organization.pk
        )
        return [(year, _year_label(year)) for year in years]

    def chosen_year(self, years: list[tuple[int, str]]) -> int:
        form = FiscalYearForm(self.request.GET, years=years)
        if form.is_valid():
            return int(form.cleaned_data["year"])
        return fiscal_year(local_today())

    def totals(self, year: int) -> list[selectors.SchemeTotal]:
        return selectors.dispatch_totals(
            organization_id=self.account.organization_id,
            fiscal_year=year,
            support_organization_id=self.support_organization.pk,
        )


class PartnerTotalsView(PartnerTotalsMixin, View):
    """Per scheme of the partner for a fiscal year: requests, visits, hours, companies, fees."""

    def get(self, request: HttpRequest) -> HttpResponse:
        years = self.fiscal_years()
        year = self.chosen_year(years)
        rows = self.totals(year)
        context = {
            "support_organization": self.support_organization,
            "form": FiscalYearForm({"year": year}, years=years),
            "year": year,
            "rows": rows,
            "sum": selectors.totals_sum(rows),
        }
        return render(request, "network/partner/totals.html", context)


def _totals_export_rows(rows: list[selectors.SchemeTotal], year: int) -> list[list[Any]]:
    label = _year_label(year)
    header = [
        _("支援機関"), _("制度"), _("年度"), _("申請件数"), _("訪問回数"), _("時間"), _("企業数"),
        _("謝金（円）"), _("制度の負担額（円）"),
    ]  # fmt: skip
    lines: list[list[Any]] = [header]
    for row in rows:
        lines.append(
            [
                row.scheme.support_organization.name,
                row.scheme.name,
                label,
                row.requests,
                row.visits,
                float(row.hours),
                row.company_count,
                row.fee,
                row.covered_fee,
            ]
        )
    total = selectors.totals_sum(rows)
    lines.append(
        [
            "",
            _("合計"),
            label,
            total.requests,
            total.visits,
            float(total.hours),
            total.company_count,
            total.fee,
            total.covered_fee,
        ]
    )
    return lines


class PartnerTotalsExportView(PartnerTotalsMixin, View):
    """The totals of the chosen fiscal year as CSV (UTF-8 with BOM) or .xlsx; every export is audited."""

    def get(self, request: HttpRequest, fmt: str) -> HttpResponseBase:
        if fmt not in EXPORT_FORMATS:
            raise Http404
        year = self.chosen_year(self.fiscal_years())
        rows = self.totals(year)
        services.dispatch_totals_exported(
            organization=self.support_organization.organization,
            fiscal_year=year,
            support_organization_id=self.support_organization.pk,
            file_format=fmt,
            rows=len(rows),
            actor=self.user,
        )
        lines = _totals_export_rows(rows, year)
        return export_response(
            lines,
            file_format=fmt,
            filename_stem=f"dispatch-totals-{self.support_organization.pk}-{year}",
            title=_("派遣の集計"),
        )
