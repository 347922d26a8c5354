"""Console pages of expert dispatch requests, from draft to closed: the list, the request form, the
request's page (the rule check, the matching, the steps each user may take, visits, report, rating,
history) and the completion report PDF. Who may take which step, and in which state, is the services'
answer (``services.dispatch_can_*``); reads come from ouentai.network.selectors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.permissions import ConsoleMixin
from ouentai.community.models import Company
from ouentai.core.audit import audit_entries_for
from ouentai.core.calendar import local_today
from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error
from ouentai.core.http import int_param, pdf_response, query_without
from ouentai.network import selectors, services
from ouentai.network.choices import EXPERT_ASSIGNABLE, REPORTED_STATUSES
from ouentai.network.documents import dispatch_report_pdf, report_sections
from ouentai.network.forms_dispatch import CancelForm, ConfirmForm, DispatchFilterForm, DispatchForm
from ouentai.network.models import DispatchRequest
from ouentai.network.rules import scheme_rules_text, visit_hours

PER_PAGE = 50


def _found(dispatch: DispatchRequest | None) -> DispatchRequest:
    if dispatch is None:
        raise Http404
    return dispatch


class DispatchListView(ConsoleMixin, View):
    """The organization's dispatch requests, newest first, filtered by status, scheme, fiscal year (the
    current one by default) and company name; pages of 50. A constant number of queries."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = DispatchFilterForm(
            request.GET, schemes=selectors.scheme_choices(organization_id=self.organization.pk)
        )
        dispatches = selectors.dispatch_list(
            organization_id=self.organization.pk,
            filters=selectors.DispatchFilters(
                status=form.value("status"),
                scheme_id=form.value("scheme"),
                fiscal_year=form.year_value(),
                q=form.value("q") or "",
            ),
        )
        page = Paginator(dispatches, PER_PAGE).get_page(request.GET.get("page"))
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
        return _found(selectors.dispatch_for_console(organization_id=self.organization.pk, pk=pk))

    def not_editable(self, dispatch: DispatchRequest | None) -> HttpResponseBase | None:
        """Only drafts are edited: anything else goes back to its page with a word why."""
        if dispatch is None or services.dispatch_can_edit(self.user, dispatch):
            return None
        messages.error(self.request, _("提出した申請は変更できません。"))
        return redirect("network_console:dispatch", pk=dispatch.pk)

    def company_from(self, value: str | None) -> Company | None:
        return selectors.dispatch_company(organization_id=self.organization.pk, pk=int_param(value))

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
        if (back := self.not_editable(dispatch)) is not None:
            return back
        if dispatch is not None:
            form = DispatchForm(
                initial=DispatchForm.initial_from(dispatch), organization=self.organization, request=dispatch
            )
            return self.render_form(dispatch, form, dispatch.company)
        initial: dict[str, Any] = {"requested_visits": 1}
        company = self.company_from(request.GET.get("company"))
        engagement = selectors.dispatch_engagement(
            organization_id=self.organization.pk, pk=int_param(request.GET.get("engagement"))
        )
        if engagement is not None:
            company = engagement.company
            initial["engagement"] = engagement.pk
        if company is not None:
            initial["company"] = company.pk
        if (only := selectors.scheme_only_active(organization_id=self.organization.pk)) is not None:
            initial["scheme"] = only
        form = DispatchForm(initial=initial, organization=self.organization, company=company)
        return self.render_form(None, form, company)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
        dispatch = self.get_object(pk)
        if (back := self.not_editable(dispatch)) is not None:
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


class DispatchDetailView(ConsoleMixin, View):
    """A dispatch request: what was asked, how it stands against the scheme's rules, the matching
    (experts ranked with every reason, a button to choose one), the steps the user may take now,
    visits, the report (and its PDF once reported), the rating and the history. POST ``action`` =
    submit, cancel, assign, confirm or close: a user who may not ask for it gets 403; a refusal of the
    service is shown beside its form, status 400."""

    def get_object(self, pk: int) -> DispatchRequest:
        return _found(selectors.dispatch_for_console(organization_id=self.organization.pk, pk=pk))

    def render_page(
        self,
        dispatch: DispatchRequest,
        bound: dict[str, forms.Form] | None = None,
        action_error: str = "",
        status: int = 200,
    ) -> HttpResponse:
        user = self.user
        reported = dispatch.status in REPORTED_STATUSES
        context: dict[str, Any] = {
            "dispatch": dispatch,
            "rules": selectors.dispatch_rule_status(dispatch, today=local_today()),
            "rules_text": scheme_rules_text(dispatch.scheme, selectors.area_names(self.organization.pk)),
            # The matching is shown while the expert may still be chosen.
            "candidates": selectors.expert_candidates(dispatch)
            if dispatch.status in EXPERT_ASSIGNABLE
            else [],
            "hours": visit_hours(dispatch.visits.all(), dispatch.scheme),
            "sections": report_sections(dispatch) if reported else [],
            "is_reported": reported,
            "can_edit": services.dispatch_can_edit(user, dispatch),
            "can_submit": services.dispatch_can_submit(user, dispatch),
            "can_cancel": services.dispatch_can_cancel(user, dispatch),
            "can_assign": services.dispatch_can_assign(user, dispatch),
            "can_confirm": services.dispatch_can_confirm(user, dispatch),
            "can_close": services.dispatch_can_close(user, dispatch),
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
        if action not in services.CONSOLE_ACTIONS:
            raise Http404
        if not services.dispatch_action_permitted(action, self.user, dispatch):
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
                expert = selectors.expert_get(
                    organization_id=self.organization.pk, pk=int_param(request.POST.get("expert"))
                )
                if expert is None:
                    raise Http404
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
        dispatch = _found(selectors.dispatch_for_console(organization_id=self.organization.pk, pk=pk))
        if dispatch.status not in REPORTED_STATUSES:
            raise Http404
        return pdf_response(dispatch_report_pdf(dispatch), f"dispatch-{dispatch.pk}-report.pdf")
