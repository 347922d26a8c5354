"""The expert's pages (/network/expert/): their own dispatches once approved, one dispatch with what a
visit needs (the company's name, address and phone; the request's purpose and preferred dates), the
visit log and the completion report, and the report as a PDF.

An expert sees only the dispatches they are assigned to, and only from approval on: a draft or a
request still waiting for the support organization is 404, like another expert's."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error
from ouentai.network import services
from ouentai.network.choices import DispatchStatus
from ouentai.network.forms_external import ReportForm, VisitForm
from ouentai.network.models import DispatchRequest, DispatchVisit
from ouentai.network.views.common import ExpertMixin, report_rows

DISPATCHES_PER_PAGE = 50
# From approval on; a request cancelled after approval stays visible (the expert may have planned it).
EXPERT_STATUSES = (
    DispatchStatus.APPROVED,
    DispatchStatus.IN_PROGRESS,
    DispatchStatus.REPORTED,
    DispatchStatus.CONFIRMED,
    DispatchStatus.CLOSED,
)
REPORTED_STATUSES = (DispatchStatus.REPORTED, DispatchStatus.CONFIRMED, DispatchStatus.CLOSED)
# Upcoming and in-progress dispatches first.
STATUS_ORDER = Case(
    When(status=DispatchStatus.IN_PROGRESS, then=Value(0)),
    When(status=DispatchStatus.APPROVED, then=Value(1)),
    When(status=DispatchStatus.REPORTED, then=Value(2)),
    When(status=DispatchStatus.CONFIRMED, then=Value(3)),
    When(status=DispatchStatus.CLOSED, then=Value(4)),
    default=Value(5),
    output_field=IntegerField(),
)


class ExpertDispatchesMixin(ExpertMixin):
    def expert_dispatches(self) -> QuerySet[DispatchRequest]:
        """The expert's own dispatches from approval on (a cancelled one only if it had been approved:
        the approval's date stays on it)."""
        return DispatchRequest.objects.filter(
            organization_id=self.expert.organization_id, expert=self.expert
        ).filter(Q(status__in=EXPERT_STATUSES) | Q(status=DispatchStatus.CANCELLED, decided_at__isnull=False))

    def get_dispatch(self, pk: int) -> DispatchRequest:
        dispatch = (
            self.expert_dispatches()
            .select_related("company", "scheme__support_organization")
            .prefetch_related(
                Prefetch("visits", queryset=DispatchVisit.objects.order_by("visited_on", "starts_at", "pk"))
            )
            .filter(pk=pk)
            .first()
        )
        if dispatch is None:
            raise Http404
        dispatch.expert = self.expert
        return dispatch


class ExpertHomeView(ExpertDispatchesMixin, View):
    """The expert's dispatches: in progress and upcoming first, then reported and closed ones."""

    def get(self, request: HttpRequest) -> HttpResponse:
        queryset = (
            self.expert_dispatches()
            .select_related("company", "scheme")
            .annotate(visit_count=Count("visits"), rank=STATUS_ORDER)
            .order_by("rank", F("first_preferred_on").asc(nulls_last=True), "-pk")
        )
        page = Paginator(queryset, DISPATCHES_PER_PAGE).get_page(request.GET.get("page"))
        context = {"expert": self.expert, "page": page, "query": ""}
        return render(request, "network/expert/home.html", context)


class ExpertDispatchView(ExpertDispatchesMixin, View):
    """One dispatch: the company and the request, the visits with a form to log one, the completion
    report form once a visit is logged, and the report (with its PDF) once submitted."""

    def render_page(
        self, dispatch: DispatchRequest, forms_: dict[str, Any] | None = None, status: int = 200
    ) -> HttpResponse:
        visits = list(dispatch.visits.all())
        active = dispatch.status in (DispatchStatus.APPROVED, DispatchStatus.IN_PROGRESS)
        can_log = active and len(visits) < dispatch.requested_visits
        can_report = dispatch.status == DispatchStatus.IN_PROGRESS and bool(visits)
        forms_ = forms_ or {}
        context = {
            "expert": self.expert,
            "dispatch": dispatch,
            "company": dispatch.company,
            "visits": visits,
            "hours": sum((visit.hours for visit in visits), Decimal(0)),
            "visits_left": max(dispatch.requested_visits - len(visits), 0),
            "can_log": can_log,
            "can_report": can_report,
            "reported": dispatch.status in REPORTED_STATUSES,
            "report": report_rows(dispatch),
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
                    services.visit_log(
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
