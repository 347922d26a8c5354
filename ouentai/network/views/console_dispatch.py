"""Console pages of expert dispatch: requests from draft to closed (with the matching and the rule
check), the completion report PDF, and the totals per scheme and 年度 with their export."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    QueryDict,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.choices import INBOX_MANAGER_ROLES
from ouentai.accounts.permissions import ConsoleMixin
from ouentai.community.models import Company
from ouentai.core.audit import audit_entries_for
from ouentai.core.calendar import local_today
from ouentai.core.errors import DomainError
from ouentai.core.exports import EXPORT_FORMATS, export_response
from ouentai.core.forms import add_domain_error
from ouentai.core.http import int_param, pdf_response, query_without
from ouentai.core.numbers import number_text
from ouentai.core.templatetags.ouentai import fiscal_year_label
from ouentai.engagements.models import Engagement
from ouentai.network import services
from ouentai.network.choices import DispatchStatus
from ouentai.network.documents import dispatch_report_pdf, report_sections
from ouentai.network.forms_dispatch import (
    CancelForm,
    ConfirmForm,
    DispatchFilterForm,
    DispatchForm,
    TotalsFilterForm,
)
from ouentai.network.models import DispatchRequest, DispatchScheme, Expert, SupportOrganization
from ouentai.network.services import directory
from ouentai.network.views.console import (
    PER_PAGE,
    area_names,
    scheme_rules,
)

ASSIGNABLE = (DispatchStatus.DRAFT, DispatchStatus.SUBMITTED, DispatchStatus.APPROVED)
CANCELLABLE = (DispatchStatus.DRAFT, DispatchStatus.SUBMITTED, DispatchStatus.APPROVED)
REPORTED = (DispatchStatus.REPORTED, DispatchStatus.CONFIRMED, DispatchStatus.CLOSED)


def _scheme_choices(organization_id: int) -> list[tuple[int, str]]:
    schemes = DispatchScheme.objects.filter(organization_id=organization_id).select_related(
        "support_organization"
    )
    return [(s.pk, f"{s.support_organization.name}　{s.name}") for s in schemes]


class DispatchListView(ConsoleMixin, View):
    """The organization's dispatch requests, newest first, filtered by status, scheme, fiscal year (the
    current one by default) and company name; pages of 50. A constant number of queries."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = DispatchFilterForm(request.GET, schemes=_scheme_choices(self.organization.pk))
        dispatches = DispatchRequest.objects.filter(organization=self.organization)
        if status := form.value("status"):
            dispatches = dispatches.filter(status=status)
        if scheme := form.value("scheme"):
            dispatches = dispatches.filter(scheme_id=scheme)
        if year := form.year_value():
            dispatches = dispatches.filter(fiscal_year=year)
        if q := form.value("q"):
            dispatches = dispatches.filter(Q(company__name__icontains=q) | Q(company__name_kana__icontains=q))
        dispatches = dispatches.select_related("company", "scheme", "scheme__support_organization", "expert")
        page = Paginator(dispatches.order_by("-created_at", "-pk"), PER_PAGE).get_page(
            request.GET.get("page")
        )
        return render(
            request,
            "network/console/dispatches.html",
            {
                "filter_form": form,
                "page": page,
                "total": page.paginator.count,
                "query": query_without(request.GET, "page"),
            },
        )


class DispatchFormView(ConsoleMixin, View):
    """Create a request (``?company=<pk>`` or ``?engagement=<pk>`` preselects the company and the
    engagement) or change a draft. The scheme's rules are checked by the service; a refusal is shown
    beside its field (e.g. the visits left this 年度 beside 希望する訪問回数), status 400."""

    def get_object(self, pk: int | None) -> DispatchRequest | None:
        if pk is None:
            return None
        request = get_object_or_404(
            DispatchRequest.objects.select_related("company", "scheme"), organization=self.organization, pk=pk
        )
        return request

    def not_draft(self, dispatch: DispatchRequest | None) -> HttpResponseBase | None:
        """Only drafts are edited: anything else goes back to its page with a word why."""
        if dispatch is None or dispatch.status == DispatchStatus.DRAFT:
            return None
        messages.error(self.request, _("提出した申請は変更できません。"))
        return redirect("network_console:dispatch", pk=dispatch.pk)

    def company_from(self, value: str | None) -> Company | None:
        pk = int_param(value)
        return Company.objects.filter(organization=self.organization, pk=pk).first() if pk else None

    def render_form(
        self, dispatch: DispatchRequest | None, form: DispatchForm, company: Company | None, status: int = 200
    ) -> HttpResponse:
        return render(
            self.request,
            "network/console/dispatch_form.html",
            {"dispatch": dispatch, "form": form, "company": company},
            status=status,
        )

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
        dispatch = self.get_object(pk)
        if (back := self.not_draft(dispatch)) is not None:
            return back
        if dispatch is not None:
            form = DispatchForm(
                initial=DispatchForm.initial_from(dispatch), organization=self.organization, request=dispatch
            )
            return self.render_form(dispatch, form, dispatch.company)
        initial: dict[str, Any] = {"requested_visits": 1}
        company = self.company_from(request.GET.get("company"))
        engagement_id = int_param(request.GET.get("engagement"))
        if engagement_id:
            engagement = (
                Engagement.objects.filter(organization=self.organization, pk=engagement_id)
                .select_related("company")
                .first()
            )
            if engagement is not None:
                company = engagement.company
                initial["engagement"] = engagement.pk
        if company is not None:
            initial["company"] = company.pk
        schemes = DispatchScheme.objects.filter(organization=self.organization, is_active=True)
        if len(ids := list(schemes.values_list("pk", flat=True)[:2])) == 1:
            initial["scheme"] = ids[0]
        form = DispatchForm(initial=initial, organization=self.organization, company=company)
        return self.render_form(None, form, company)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
        dispatch = self.get_object(pk)
        if (back := self.not_draft(dispatch)) is not None:
            return back
        company = dispatch.company if dispatch is not None else self.company_from(request.POST.get("company"))
        form = DispatchForm(request.POST, organization=self.organization, request=dispatch, company=company)
        if not form.is_valid():
            return self.render_form(dispatch, form, company, status=400)
        try:
            if dispatch is None:
                if company is None:
                    raise DomainError(_("企業を選んでください。"), code="dispatch.company", field="company")
                saved = services.dispatch_create(
                    organization=self.organization, company=company, data=form.to_data(), actor=self.user
                )
            else:
                saved = services.dispatch_update(request=dispatch, data=form.to_data(), actor=self.user)
        except DomainError as error:
            add_domain_error(form, error)
            return self.render_form(dispatch, form, company, status=400)
        messages.success(
            request, _("%(company)sの派遣申請（下書き）を保存しました。") % {"company": saved.company.name}
        )
        return redirect("network_console:dispatch", pk=saved.pk)


@dataclass(frozen=True)
class RuleStatus:
    """How the request stands against the scheme's limit for its theme in its 年度."""

    limit: int
    used_by_others: int
    this_request: int
    left: int
    problem: str  # the first rule the request breaks now ("" if none), for drafts and submitted ones


class DispatchDetailView(ConsoleMixin, View):
    """A dispatch request: what was asked, how it stands against the scheme's rules, the matching
    (experts ranked with every reason, a button to choose one), actions by state, visits, the report
    (and its PDF once reported), the rating and the history. POST ``action`` = submit, cancel, assign,
    confirm or close; a refusal is shown beside its form, status 400."""

    def get_object(self, pk: int) -> DispatchRequest:
        return get_object_or_404(
            DispatchRequest.objects.select_related(
                "company", "engagement", "scheme", "scheme__support_organization", "expert", "created_by",
                "decided_by",
            ),
            organization=self.organization,
            pk=pk,
        )  # fmt: skip

    def can_cancel(self, dispatch: DispatchRequest) -> bool:
        return dispatch.status in CANCELLABLE and (
            self.user.manages_inbox or dispatch.created_by_id == self.user.pk
        )

    def rule_status(self, dispatch: DispatchRequest) -> RuleStatus:
        # The same allowance rule the services apply (per theme, whatever the order of requests).
        limit, left = services.visits_left(
            scheme=dispatch.scheme,
            company=dispatch.company,
            fiscal_year=dispatch.fiscal_year,
            theme=dispatch.theme,
            exclude_pk=dispatch.pk,
        )
        used = services.visits_used(
            scheme=dispatch.scheme,
            company=dispatch.company,
            fiscal_year=dispatch.fiscal_year,
            exclude_pk=dispatch.pk,
        )
        # What is left once this request counts (a draft counts from submission on; a rejected or
        # cancelled one never does).
        counts = dispatch.status not in (DispatchStatus.REJECTED, DispatchStatus.CANCELLED)
        this = dispatch.requested_visits
        problem = ""
        if dispatch.status in (DispatchStatus.DRAFT, DispatchStatus.SUBMITTED):
            try:
                services.dispatch_check(
                    scheme=dispatch.scheme,
                    company=dispatch.company,
                    theme=dispatch.theme,
                    visits=this,
                    fiscal_year=dispatch.fiscal_year,
                    today=local_today(),
                    exclude_pk=dispatch.pk,
                )
            except DomainError as error:
                problem = str(error.message)
        return RuleStatus(limit, used, this, max(left - (this if counts else 0), 0), problem)

    def render_page(
        self,
        dispatch: DispatchRequest,
        bound: dict[str, forms.Form] | None = None,
        action_error: str = "",
        status: int = 200,
    ) -> HttpResponse:
        manages = self.user.manages_inbox
        candidates = services.expert_candidates(dispatch) if dispatch.status in ASSIGNABLE else []
        visits = list(dispatch.visits.all())
        context: dict[str, Any] = {
            "dispatch": dispatch,
            "rules": self.rule_status(dispatch),
            "rules_text": scheme_rules(dispatch.scheme, area_names(self.organization.pk)),
            "candidates": candidates,
            "visits": visits,
            "total_hours": sum((visit.hours for visit in visits), Decimal(0)),
            "sections": report_sections(dispatch) if dispatch.status in REPORTED else [],
            "is_reported": dispatch.status in REPORTED,
            "can_edit": dispatch.status == DispatchStatus.DRAFT,
            "can_submit": dispatch.status == DispatchStatus.DRAFT,
            "can_cancel": self.can_cancel(dispatch),
            "can_assign": manages and dispatch.status in ASSIGNABLE,
            "can_confirm": manages and dispatch.status == DispatchStatus.REPORTED,
            "can_close": manages and dispatch.status == DispatchStatus.CONFIRMED,
            "cancel_form": CancelForm(),
            "confirm_form": ConfirmForm(),
            "action_error": action_error,
            "audit_entries": audit_entries_for(dispatch)[:50],
        }
        context.update(bound or {})
        return render(self.request, "network/console/dispatch_detail.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(self.get_object(pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        dispatch = self.get_object(pk)
        action = request.POST.get("action", "")
        allowed = {
            "submit": dispatch.status == DispatchStatus.DRAFT,
            "cancel": self.can_cancel(dispatch),
            "assign": self.user.manages_inbox,
            "confirm": self.user.manages_inbox,
            "close": self.user.manages_inbox,
        }
        if action not in allowed:
            raise Http404
        if not allowed[action] and action != "submit":
            raise PermissionDenied
        try:
            if action == "submit":
                services.dispatch_submit(request=dispatch, actor=self.user)
                message = _("申請を支援機関に提出しました。")
            elif action == "cancel":
                cancel_form = CancelForm(request.POST)
                cancel_form.is_valid()
                services.dispatch_cancel(
                    request=dispatch, actor=self.user, note=cancel_form.cleaned_data.get("note") or ""
                )
                message = _("申請を取り消しました。")
            elif action == "assign":
                expert = get_object_or_404(
                    Expert, organization=self.organization, pk=int_param(request.POST.get("expert"))
                )
                services.dispatch_assign_expert(request=dispatch, expert=expert, actor=self.user)
                message = _("専門家を「%(name)s」に決めました。") % {"name": expert.name}
            elif action == "confirm":
                form = ConfirmForm(request.POST)
                if not form.is_valid():
                    return self.render_page(dispatch, {"confirm_form": form}, status=400)
                try:
                    services.dispatch_confirm(
                        request=dispatch,
                        actor=self.user,
                        rating=form.cleaned_data["rating"],
                        comment=form.cleaned_data.get("comment") or "",
                    )
                except DomainError as error:
                    add_domain_error(form, error)
                    return self.render_page(self.get_object(pk), {"confirm_form": form}, status=400)
                message = _("企業に代わって確認と評価を記録しました。")
            else:
                services.dispatch_close(request=dispatch, actor=self.user)
                message = _("派遣を完了にしました。")
        except DomainError as error:
            return self.render_page(self.get_object(pk), action_error=str(error.message), status=400)
        messages.success(request, message)
        return redirect("network_console:dispatch", pk=dispatch.pk)


class DispatchReportPdfView(ConsoleMixin, View):
    """The completion report as a PDF; 404 until the expert has reported."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        dispatch = get_object_or_404(DispatchRequest, organization=self.organization, pk=pk)
        if dispatch.status not in REPORTED:
            raise Http404
        return pdf_response(dispatch_report_pdf(dispatch), f"dispatch-{dispatch.pk}-report.pdf")


# --- Totals ---------------------------------------------------------------------------------------------


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


def totals_rows(rows: list[services.SchemeTotal]) -> tuple[list[TotalsRow], TotalsRow]:
    """The table's rows and its total row (companies counted once across schemes)."""
    table = [
        TotalsRow(r.scheme.name, r.scheme.support_organization.name, r.requests, r.visits,
                  Decimal(r.hours).quantize(Decimal("0.1")),
                  r.company_count, r.fee, r.covered_fee)
        for r in rows
    ]  # fmt: skip
    companies: set[int] = set()
    for r in rows:
        companies |= r.companies
    total = TotalsRow(
        _("合計"),
        "",
        sum(r.requests for r in table),
        sum(r.visits for r in table),
        sum((r.hours for r in table), Decimal("0.0")),
        len(companies),
        sum(r.fee for r in table),
        sum(r.covered_fee for r in table),
    )
    return table, total


class TotalsMixin(ConsoleMixin):
    def filters(self, request: HttpRequest) -> TotalsFilterForm:
        organizations = SupportOrganization.objects.filter(organization=self.organization).order_by("name")
        return TotalsFilterForm(request.GET, organizations=list(organizations.values_list("pk", "name")))

    def compute(self, form: TotalsFilterForm) -> tuple[int, int | None, list[TotalsRow], TotalsRow]:
        year, support_id = form.year_value(), form.support_organization_value()
        rows, total = totals_rows(
            services.dispatch_totals(
                organization=self.organization, fiscal_year=year, support_organization_id=support_id
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
