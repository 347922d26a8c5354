"""The support organization's pages (/network/partner/): the requests filed to its own schemes, one
request with what it needs to decide (the company, the rule check in words, the expert) and the
approve/reject forms, and the totals of its schemes per fiscal year with CSV/xlsx export.

A partner sees nothing of another support organization's schemes (404), never a draft, and of the
company only what the decision needs: no contact person's name, e-mail or phone."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ouentai.core.calendar import fiscal_year, local_today, wareki_fiscal_year
from ouentai.core.errors import DomainError
from ouentai.core.exports import EXPORT_FORMATS, export_response
from ouentai.core.forms import add_domain_error
from ouentai.network import services
from ouentai.network.choices import DispatchStatus
from ouentai.network.forms_external import ApproveForm, FiscalYearForm, RejectForm
from ouentai.network.models import DispatchRequest, DispatchVisit, Qualification
from ouentai.network.views.common import PartnerMixin, report_rows

REQUESTS_PER_PAGE = 50

# The tabs of the partner's list: what waits for a decision comes first.
TABS: list[tuple[str, Any, tuple[str, ...]]] = [
    ("submitted", gettext_lazy("申請中"), (DispatchStatus.SUBMITTED,)),
    ("active", gettext_lazy("承認済み・実施中"), (DispatchStatus.APPROVED, DispatchStatus.IN_PROGRESS)),
    (
        "done",
        gettext_lazy("報告済み・完了"),
        (DispatchStatus.REPORTED, DispatchStatus.CONFIRMED, DispatchStatus.CLOSED),
    ),
    ("refused", gettext_lazy("却下・取消"), (DispatchStatus.REJECTED, DispatchStatus.CANCELLED)),
    ("all", gettext_lazy("すべて"), ()),
]
DEFAULT_TAB = "submitted"


class PartnerRequestsMixin(PartnerMixin):
    def partner_requests(self) -> QuerySet[DispatchRequest]:
        """Requests to the partner's own schemes that were filed with it: drafts (and drafts withdrawn
        before submission) are the program office's own work and never shown."""
        return DispatchRequest.objects.filter(
            organization_id=self.account.organization_id,
            scheme__support_organization_id=self.support_organization.pk,
            submitted_at__isnull=False,
        )


class PartnerHomeView(PartnerRequestsMixin, View):
    """The requests to the partner's schemes, newest first, by tab (申請中 first)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        tab = request.GET.get("tab", DEFAULT_TAB)
        tabs = {key: statuses for key, _label, statuses in TABS}
        if tab not in tabs:
            tab = DEFAULT_TAB
        base = self.partner_requests()
        per_status = dict(base.values_list("status").annotate(n=Count("pk")).order_by())
        tab_links = [
            {
                "key": key,
                "label": label,
                "count": sum(per_status.values())
                if not statuses
                else sum(per_status.get(status, 0) for status in statuses),
                "current": key == tab,
            }
            for key, label, statuses in TABS
        ]
        queryset = base.select_related("company", "scheme").order_by("-submitted_at", "-pk")
        if tabs[tab]:
            queryset = queryset.filter(status__in=tabs[tab])
        page = Paginator(queryset, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
        context = {
            "support_organization": self.support_organization,
            "tabs": tab_links,
            "tab": tab,
            "page": page,
            "query": f"tab={tab}",
        }
        return render(request, "network/partner/home.html", context)


@dataclass(frozen=True)
class RuleCheck:
    """The scheme's rules applied to the request, in words the partner decides by."""

    fiscal_year: int
    limit: int  # the allowance that binds for this theme (services.visits_left)
    used_by_others: int
    requested: int
    left_before: int
    is_sme: bool | None
    area_limited: bool
    in_area: bool
    problem: str

    @property
    def left_after(self) -> int:
        return max(self.left_before - self.requested, 0)


def rule_check(dispatch: DispatchRequest) -> RuleCheck:
    scheme, company = dispatch.scheme, dispatch.company
    problem = ""
    if dispatch.status == DispatchStatus.SUBMITTED:
        try:
            services.dispatch_check(
                scheme=scheme,
                company=company,
                theme=dispatch.theme,
                visits=dispatch.requested_visits,
                fiscal_year=dispatch.fiscal_year,
                today=timezone.localdate(dispatch.submitted_at) if dispatch.submitted_at else local_today(),
                exclude_pk=dispatch.pk,
            )
        except DomainError as error:
            problem = str(error.message)
    areas = set(scheme.area_code_list)
    limit, left = services.visits_left(
        scheme=scheme,
        company=company,
        fiscal_year=dispatch.fiscal_year,
        theme=dispatch.theme,
        exclude_pk=dispatch.pk,
    )
    return RuleCheck(
        fiscal_year=dispatch.fiscal_year,
        limit=limit,
        used_by_others=services.visits_used(
            scheme=scheme, company=company, fiscal_year=dispatch.fiscal_year, exclude_pk=dispatch.pk
        ),
        requested=dispatch.requested_visits,
        left_before=left,
        is_sme=company.is_sme,
        area_limited=bool(areas),
        in_area=bool(services.company_area_codes(company) & areas),
        problem=problem,
    )


class PartnerRequestView(PartnerRequestsMixin, View):
    """One request to the partner's scheme: the company (no contact persons), the request, the rule
    check, the expert (name and qualifications), visits and report once there; approve or reject while
    it is 申請中."""

    def get_request(self, pk: int) -> DispatchRequest:
        dispatch = (
            self.partner_requests()
            .select_related("company", "scheme__support_organization", "expert", "decided_by")
            .prefetch_related(
                Prefetch("expert__qualifications", queryset=Qualification.objects.order_by("kind", "pk")),
                Prefetch("visits", queryset=DispatchVisit.objects.order_by("visited_on", "starts_at", "pk")),
            )
            .filter(pk=pk)
            .first()
        )
        if dispatch is None:
            raise Http404
        return dispatch

    def render_page(
        self, dispatch: DispatchRequest, forms_: dict[str, Any] | None = None, status: int = 200
    ) -> HttpResponse:
        visits = list(dispatch.visits.all())
        context = {
            "support_organization": self.support_organization,
            "dispatch": dispatch,
            "company": dispatch.company,
            "check": rule_check(dispatch),
            "visits": visits,
            "hours": sum((visit.hours for visit in visits), Decimal(0)),
            "report": report_rows(dispatch),
            "can_decide": dispatch.status == DispatchStatus.SUBMITTED,
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


class PartnerTotalsMixin(PartnerMixin):
    def fiscal_years(self) -> list[tuple[int, str]]:
        """This fiscal year, the one before, and every year the partner's schemes have requests in,
        newest first."""
        current = fiscal_year(local_today())
        years = set(
            DispatchRequest.objects.filter(
                organization_id=self.account.organization_id,
                scheme__support_organization_id=self.support_organization.pk,
            )
            .values_list("fiscal_year", flat=True)
            .distinct()
        )
        years |= {current, current - 1}
        return [(year, f"{year}年度（{wareki_fiscal_year(year)}）") for year in sorted(years, reverse=True)]

    def chosen_year(self, years: list[tuple[int, str]]) -> int:
        form = FiscalYearForm(self.request.GET, years=years)
        if form.is_valid():
            return int(form.cleaned_data["year"])
        return fiscal_year(local_today())

    def totals(self, year: int) -> list[services.SchemeTotal]:
        return services.dispatch_totals(
            organization=self.account.organization,
            fiscal_year=year,
            support_organization_id=self.support_organization.pk,
        )


@dataclass(frozen=True)
class TotalsSum:
    requests: int
    visits: int
    hours: Decimal
    company_count: int
    fee: int
    covered_fee: int


def totals_sum(rows: list[services.SchemeTotal]) -> TotalsSum:
    """The sum over the schemes (a company counted once even if served by two schemes)."""
    companies: set[int] = set()
    for row in rows:
        companies |= row.companies
    return TotalsSum(
        requests=sum(row.requests for row in rows),
        visits=sum(row.visits for row in rows),
        hours=sum((row.hours for row in rows), Decimal(0)),
        company_count=len(companies),
        fee=sum(row.fee for row in rows),
        covered_fee=sum(row.covered_fee for row in rows),
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
            "sum": totals_sum(rows),
        }
        return render(request, "network/partner/totals.html", context)


def _totals_export_rows(rows: list[services.SchemeTotal], year: int) -> list[list[Any]]:
    label = f"{year}年度（{wareki_fiscal_year(year)}）"
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
    total = totals_sum(rows)
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
