"""The expert's pages (/network/expert/): their own dispatches once approved, one dispatch with what a
visit needs (the company's name, address and phone; the request's purpose and preferred dates), the
visit log and the completion report, and the report as a PDF.

An expert sees only the dispatches they are assigned to, and only from approval on: a draft or a
request still waiting for the support organization is 404, like another expert's."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error
from ouentai.core.numbers import number_text
from ouentai.network import selectors, services
from ouentai.network.choices import REPORTED_STATUSES, VISITS_OPEN
from ouentai.network.forms_external import ReportForm, VisitForm
from ouentai.network.models import DispatchRequest
from ouentai.network.rules import visit_hours, visit_line
from ouentai.network.views.common import ExpertMixin

DISPATCHES_PER_PAGE = 50


class ExpertDispatchesMixin(ExpertMixin):
    def get_dispatch(self, pk: int) -> DispatchRequest:
        dispatch = selectors.dispatch_for_expert(self.expert, pk)
        if dispatch is None:
            raise Http404
        return dispatch


class ExpertHomeView(ExpertDispatchesMixin, View):
    """The expert's dispatches: in progress and upcoming first, then reported and closed ones."""

    def get(self, request: HttpRequest) -> HttpResponse:
        queryset = selectors.dispatch_list_for_expert(self.expert)
        page = Paginator(queryset, DISPATCHES_PER_PAGE).get_page(request.GET.get("page"))
        context = {"expert": self.expert, "page": page, "query": ""}
        return render(request, "network/expert/home.html", context)


class ExpertDispatchView(ExpertDispatchesMixin, View):
    """One dispatch: the company and the request, the visits with a form to log one, the completion
    report form once a visit is logged, and the report (with its PDF) once submitted."""

    def render_page(
        self, dispatch: DispatchRequest, forms_: dict[str, Any] | None = None, status: int = 200
    ) -> HttpResponse:
        hours = visit_hours(dispatch.visits.all(), dispatch.scheme)
        can_log = services.visit_can_log(self.user, dispatch, logged=hours.count)
        can_report = services.report_can_submit(self.user, dispatch, logged=hours.count)
        forms_ = forms_ or {}
        context = {
            "expert": self.expert,
            "dispatch": dispatch,
            "company": dispatch.company,
            "hours": hours,
            "visits_left": max(dispatch.requested_visits - hours.count, 0),
            "can_log": can_log,
            "can_report": can_report,
            "visits_open": dispatch.status in VISITS_OPEN,
            "reported": dispatch.status in REPORTED_STATUSES,
            "report": selectors.report_rows(dispatch),
            "visit_form": forms_.get("visit_form") or (VisitForm() if can_log else None),
            "report_form": forms_.get("report_form")
            or (ReportForm(scheme=dispatch.scheme) if can_report else None),
        }
        return render(self.request, "network/expert/dispatch.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(self.get_dispatch(pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        dispatch = self.get_dispatch(pk)
        action = request.POST.get("action", "")
        url = reverse("network:expert_dispatch", args=[dispatch.pk])
        if action == "visit":
            visit_form = VisitForm(request.POST)
            if visit_form.is_valid():
                data = visit_form.cleaned_data
                try:
                    visit = services.visit_log(
                        request=dispatch,
                        actor=self.user,
                        visited_on=data["visited_on"],
                        starts_at=data["starts_at"],
                        ends_at=data["ends_at"],
                        summary=data["summary"],
                        next_steps=data["next_steps"],
                    )
                except DomainError as error:
                    add_domain_error(visit_form, error)
                else:
                    messages.success(request, _("訪問を記録しました。"))
                    line = visit_line(visit, dispatch.scheme)
                    if line.over_limit:
                        messages.warning(
                            request,
                            _(
                                "この制度の対象は1回%(limit)s時間までです。この訪問（%(hours)s時間）は"
                                "%(counted)s時間として数えます（報告書・集計・謝金とも）。"
                            )
                            % {
                                "limit": number_text(dispatch.scheme.hours_per_visit),
                                "hours": number_text(line.hours),
                                "counted": number_text(line.counted_hours),
                            },
                        )
                    return redirect(f"{url}#visits")
            return self.render_page(self.get_dispatch(pk), {"visit_form": visit_form}, status=400)
        if action == "report":
            report_form = ReportForm(request.POST, scheme=dispatch.scheme)
            if report_form.is_valid():
                try:
                    services.report_submit(request=dispatch, actor=self.user, fields=report_form.cleaned_data)
                except DomainError as error:
                    add_domain_error(report_form, error)
                else:
                    messages.success(request, _("完了報告を提出しました。企業の確認と評価をお待ちください。"))
                    return redirect(f"{url}#report")
            return self.render_page(self.get_dispatch(pk), {"report_form": report_form}, status=400)
        raise Http404


class ExpertReportPdfView(ExpertDispatchesMixin, View):
    """The completion report as a PDF, once submitted."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        dispatch = self.get_dispatch(pk)
        if dispatch.status not in REPORTED_STATUSES:
            raise Http404
        # Imported here: the PDF module pulls in WeasyPrint, which the other pages do not need.
        from ouentai.network.documents import dispatch_report_pdf

        response = HttpResponse(dispatch_report_pdf(dispatch), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="dispatch-report-{dispatch.pk}.pdf"'
        return response
