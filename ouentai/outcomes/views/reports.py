"""The annual reports (年度報告) in the console: the versions of a 年度 with the progress of the one being
built (the page refreshes itself meanwhile), the button that requests a new version (administrators
and office staff), and the downloads of the workbook and the PDF (every console role of the
organization; another organization's report is a 404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from ouentai.core.calendar import fiscal_year, fiscal_year_text, local_today
from ouentai.core.errors import DomainError
from ouentai.core.http import int_param, private
from ouentai.outcomes import services
from ouentai.outcomes.choices import ReportStatus
from ouentai.outcomes.forms import YearForm
from ouentai.outcomes.selectors import reports as report_selectors
from ouentai.outcomes.views.goals import OutcomesMixin

# Seconds between the page's refreshes while a report is being built (as the company import's page).
REFRESH_SECONDS = 2


class ReportsView(OutcomesMixin, View):
    """GET: the versions of the chosen 年度 (?year=, the running one when absent or not offered).
    POST: request a new version (administrators and office staff only)."""

    def report_year(self, value: str | None) -> tuple[int, dict[str, Any]]:
        today = local_today()
        years = services.annual_report_years(today=today)
        year = int_param(value)
        if year not in years:
            year = fiscal_year(today)
        form = YearForm(initial={"year": year}, years=years, labels={y: fiscal_year_text(y) for y in years})
        return year, {"year": year, "year_label": fiscal_year_text(year), "year_form": form}

    def get(self, request: HttpRequest) -> HttpResponse:
        year, context = self.report_year(request.GET.get("year"))
        reports = list(report_selectors.annual_report_list(organization=self.organization, year=year))
        stalled = {report.pk for report in reports if services.annual_report_stalled(report)}
        context.update(
            reports=reports,
            stalled=stalled,
            running=any(report.in_progress and report.pk not in stalled for report in reports),
            refresh_seconds=REFRESH_SECONDS,
            may_manage=services.outcomes_may_manage(user=self.user),
        )
        return render(request, "outcomes/reports.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        self.manager_only()
        year = int_param(request.POST.get("year"))
        try:
            report = services.annual_report_request(
                organization=self.organization, year=year, actor=self.user
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request,
                _("%(year)sの年度報告（第%(version)d版）の作成を始めました。")
                % {"year": fiscal_year_text(report.fiscal_year), "version": report.version},
            )
        return redirect(f"{reverse('outcomes_console:reports')}?{urlencode({'year': year})}")


def report_filename(fiscal_year: int, version: int, extension: str) -> str:
    """年度報告_2026年度_第2版.xlsx"""
    return (
        _("年度報告_%(year)d年度_第%(version)d版") % {"year": fiscal_year, "version": version}
        + f".{extension}"
    )


class ReportFileView(OutcomesMixin, View):
    """A finished report's workbook or PDF, as a download named in Japanese (RFC 5987 filename*)."""

    extension = ""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        report = report_selectors.annual_report_get(organization=self.organization, pk=pk)
        if report is None or report.status != ReportStatus.DONE:
            raise Http404
        stored: FieldFile = report.xlsx if self.extension == "xlsx" else report.pdf
        if not stored:
            raise Http404
        try:
            handle = stored.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=report_filename(report.fiscal_year, report.version, self.extension),
        )
        response["X-Content-Type-Options"] = "nosniff"
        return private(response)
