"""Console pages of the plan document (計画書): write the next version, read a version, compare two, and
download the PDF; and a company's self-diagnosis results over time. Every console role may use them
(coordinators write plans); another organization's engagement or company is 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.permissions import ConsoleMixin
from ouentai.community.models import Company
from ouentai.community.selectors import company_get
from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error
from ouentai.engagements import documents, selectors, services
from ouentai.engagements.forms_plans import PlanCompareForm, PlanForm
from ouentai.engagements.models import DiagnosisResult, Engagement, PlanVersion, StageRule
from ouentai.engagements.views.diagnosis import axis_pos, stage_bands, stage_label
from ouentai.engagements.views.mixins import EngagementConsoleMixin


def _version_in(versions: list[PlanVersion], number: int) -> PlanVersion:
    found = next((v for v in versions if v.number == number), None)
    if found is None:
        raise Http404
    return found


class PlanEditView(EngagementConsoleMixin, View):
    """Write the next version of the plan: prefilled from the latest version (or, for the first, from the
    engagement's challenges and strategy), with the KPIs that the version will take in."""

    def render_form(
        self, engagement: Engagement, form: PlanForm, latest: PlanVersion | None, status: int = 200
    ) -> HttpResponse:
        kpis = [
            {"kpi": status.kpi, "latest": status.latest, "reached": status.reached}
            for status in selectors.engagement_kpi_statuses(engagement)
        ]
        return render(
            self.request,
            "engagements/console/plan_edit.html",
            {"engagement": engagement, "form": form, "latest": latest, "kpis": kpis},
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        engagement = self.get_engagement(pk)
        latest = selectors.plan_versions(engagement).first()
        form = PlanForm(initial=PlanForm.initial_for(engagement, latest))
        return self.render_form(engagement, form, latest)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        engagement = self.get_engagement(pk)
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                version = services.plan_save(
                    engagement=engagement,
                    title=form.cleaned_data["title"],
                    sections=form.sections(),
                    actor=self.user,
                    change_note=form.cleaned_data["change_note"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("第%(n)s版を保存しました。") % {"n": version.number})
                return redirect("engagements_console:plan_version", pk=engagement.pk, number=version.number)
        latest = selectors.plan_versions(engagement).first()
        return self.render_form(engagement, form, latest, status=400)


class PlanVersionView(EngagementConsoleMixin, View):
    """One saved version as written (sections and the KPI snapshot), who saved it and when, and every
    version of the plan."""

    def get(self, request: HttpRequest, pk: int, number: int) -> HttpResponse:
        engagement = self.get_engagement(pk)
        versions = list(selectors.plan_versions(engagement))
        version = _version_in(versions, number)
        previous = next((v for v in versions if v.number < number), None)  # newest first
        return render(
            request,
            "engagements/console/plan_version.html",
            {
                "engagement": engagement,
                "version": version,
                "previous": previous,
                "latest": versions[0],
                "versions": versions,
                "sections": documents.plan_sections(version),
                "kpis": documents.plan_kpi_rows(version),
            },
        )


class PlanCompareView(EngagementConsoleMixin, View):
    """Two versions side by side, section by section: removed and added lines marked in words, not only
    in colour; unchanged sections folded away. By default the previous version against the latest."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        engagement = self.get_engagement(pk)
        versions = list(selectors.plan_versions(engagement))
        numbers = sorted(v.number for v in versions)
        context: dict[str, Any] = {"engagement": engagement, "versions": versions, "diff": None}
        if len(numbers) < 2:
            context["form"] = None
            return render(request, "engagements/console/plan_compare.html", context)
        default = {"a": str(numbers[-2]), "b": str(numbers[-1])}
        chosen = {key: request.GET[key] for key in ("a", "b") if request.GET.get(key)}
        form = PlanCompareForm({**default, **chosen}, numbers=numbers)
        context["form"] = form
        status = 200
        if form.is_valid() and form.cleaned_data["a"] == form.cleaned_data["b"]:
            form.add_error("b", _("違う版を選んでください。"))
        if form.is_valid():
            older = _version_in(versions, form.cleaned_data["a"])
            newer = _version_in(versions, form.cleaned_data["b"])
            diff = services.plan_compare(older, newer)
            context.update(
                older=older,
                newer=newer,
                diff=diff,
                changed=sum(1 for section in diff if section.changed),
            )
        else:
            status = 400
        return render(request, "engagements/console/plan_compare.html", context, status=status)


class PlanPdfView(EngagementConsoleMixin, View):
    """The version as a PDF (the same document the company downloads from the member area)."""

    def get(self, request: HttpRequest, pk: int, number: int) -> HttpResponse:
        engagement = self.get_engagement(pk)
        version = selectors.plan_version_get(engagement=engagement, number=number)
        if version is None:
            raise Http404
        response = HttpResponse(documents.plan_pdf(version), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="plan-{engagement.pk}-v{version.number}.pdf"'
        patch_cache_control(response, private=True, no_store=True)
        return response


# --- results over time ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineRow:
    """A row of the results table: a diagnosis result, or the start of an engagement between them."""

    when: dt.date
    result: DiagnosisResult | None = None
    cells: tuple[str, ...] = ()
    stage_label: str = ""
    engagement: Engagement | None = None


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    plot_x: int
    plot_y: int
    plot_w: int
    plot_h: int
    bands: list[dict[str, str]]
    points: list[dict[str, str]]
    polyline: str
    starts: list[dict[str, str]]
    ticks: list[dict[str, str]]
    dates: list[dict[str, str]]


def _line_chart(
    results: list[DiagnosisResult], starts: list[Engagement], rules: list[StageRule]
) -> LineChart:
    """The overall score over time on the stage bands, with a dashed line where each engagement began."""
    width, height = 480, 250
    plot_x, plot_y, plot_w, plot_h = 30, 28, 394, 180
    inset = 24  # keeps the first and last points (and their values) off the plot's edges
    days = [timezone.localtime(r.created_at).date() for r in results] + [e.started_on for e in starts]
    first, last = min(days), max(days)
    if first == last:
        first, last = first - dt.timedelta(days=15), last + dt.timedelta(days=15)
    span = (last - first).days

    def x_of(day: dt.date) -> float:
        return plot_x + inset + (plot_w - 2 * inset) * (day - first).days / span

    def y_of(score: Decimal) -> float:
        return plot_y + plot_h * (1 - axis_pos(score))

    bands = [
        {
            "stage": str(band.stage),
            "y": f"{plot_y + plot_h * (1 - band.pos - band.size):.1f}",
            "h": f"{plot_h * band.size:.1f}",
            "label_y": f"{plot_y + plot_h * (1 - band.pos - band.size / 2) + 4:.1f}",
            "label": _("段階%(n)s") % {"n": band.stage},
        }
        for band in stage_bands(rules)
    ]
    points = []
    for result in results:
        day = timezone.localtime(result.created_at).date()
        points.append(
            {
                "x": f"{x_of(day):.1f}",
                "y": f"{y_of(result.score):.1f}",
                "label_y": f"{y_of(result.score) - 9:.1f}",
                "value": str(result.score),
            }
        )
    starts_marks = [
        {"x": f"{x_of(e.started_on):.1f}", "label": _("支援開始"), "title": e.title} for e in starts
    ]
    ticks = [
        {"y": f"{y_of(Decimal(v)):.1f}", "label_y": f"{y_of(Decimal(v)) + 4:.1f}", "label": str(v)}
        for v in range(1, 5)
    ]
    dates = [
        {"x": f"{x_of(day):.1f}", "label": f"{day:%Y/%m/%d}", "anchor": anchor}
        for day, anchor in ((first, "middle"), (last, "middle"))
    ]
    polyline = " ".join(f"{p['x']},{p['y']}" for p in points)
    return LineChart(
        width, height, plot_x, plot_y, plot_w, plot_h, bands, points, polyline, starts_marks, ticks, dates
    )


class CompanyDiagnosisView(ConsoleMixin, View):
    """A company's self-diagnosis results over time (before / after an engagement): a table with each
    dimension, and the overall score on a line chart with the engagements' start dates marked."""

    def get(self, request: HttpRequest, company_pk: int) -> HttpResponse:
        try:
            company: Company = company_get(organization=self.organization, pk=company_pk)
        except Company.DoesNotExist as missing:
            raise Http404 from missing
        results = list(
            selectors.diagnosis_results_for_company(organization=self.organization, company_id=company.pk)
        )
        engagements = list(reversed(selectors.engagement_list_for_company(company)))  # oldest first
        dimensions: list[str] = []
        for result in results:
            for entry in result.scores:
                if entry["name"] not in dimensions:
                    dimensions.append(entry["name"])
        rows = []
        for result in results:
            by_name = {entry["name"]: entry for entry in result.scores}
            cells = tuple(
                f"{by_name[name]['score']}（{_('段階%(n)s') % {'n': by_name[name]['stage']}}）"
                if name in by_name
                else "—"
                for name in dimensions
            )
            day = timezone.localtime(result.created_at).date()
            rows.append(TimelineRow(day, result=result, cells=cells, stage_label=stage_label(result.stage)))
        rows += [TimelineRow(e.started_on, engagement=e) for e in engagements]
        rows.sort(key=lambda row: (row.when, row.engagement is not None))
        chart = None
        if results:
            rules = selectors.stage_rules_for(questionnaire_id=results[-1].questionnaire_id)
            chart = _line_chart(results, engagements, rules)
        return render(
            request,
            "engagements/console/diagnosis_company.html",
            {
                "company": company,
                "results": results,
                "engagements": engagements,
                "dimensions": dimensions,
                "rows": rows,
                "chart": chart,
                "latest": results[-1] if results else None,
                "latest_label": stage_label(results[-1].stage) if results else "",
            },
        )
