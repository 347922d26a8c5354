"""The console's KPI page of an engagement: per KPI a line chart with its table of numbers, reached or
not and the progress; forms to add a KPI, change one and record a measurement. Also the KPI summary the
engagement page shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views import View

from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error
from ouentai.core.http import int_param
from ouentai.core.numbers import number_text, with_unit
from ouentai.engagements import selectors, services
from ouentai.engagements.charts import Point, kpi_chart
from ouentai.engagements.forms import KpiForm, MeasurementForm
from ouentai.engagements.models import Engagement, Kpi
from ouentai.engagements.selectors import KpiStatus
from ouentai.engagements.views.mixins import EngagementConsoleMixin


@dataclass(frozen=True)
class KpiSummary:
    """A KPI with its latest actual, whether it is reached and how far it has come, as displayed."""

    kpi: Kpi
    baseline: str
    target: str
    latest: str
    latest_on: dt.date | None
    reached: bool | None
    progress: Decimal | None


def kpi_summary(status: KpiStatus) -> KpiSummary:
    kpi, latest = status.kpi, status.latest
    return KpiSummary(
        kpi=kpi,
        baseline=with_unit(kpi.baseline_value, kpi.unit),
        target=with_unit(kpi.target_value, kpi.unit),
        latest=with_unit(latest.value, kpi.unit) if latest else "",
        latest_on=latest.measured_on if latest else None,
        reached=status.reached,
        progress=status.progress,
    )


@dataclass
class KpiBlock:
    """Everything the KPI page shows of one KPI."""

    summary: KpiSummary
    chart: SafeString
    rows: list[tuple[str, dt.date, str, str]]  # (kind, date, value, note)
    edit_form: KpiForm
    measure_form: MeasurementForm
    open_edit: bool = False

    @property
    def kpi(self) -> Kpi:
        return self.summary.kpi


class KpiView(EngagementConsoleMixin, View):
    """The engagement's KPIs: per KPI a line chart with its table of numbers, reached or not and the
    progress; forms to add a KPI, change one and record a measurement. POST ``action`` = add, edit or
    measure (with ``kpi``)."""

    def blocks(self, statuses: list[KpiStatus], bound: dict[str, forms.Form]) -> list[KpiBlock]:
        blocks = []
        for status in statuses:
            kpi, measurements = status.kpi, status.measurements
            rows = [(_("基準値"), kpi.baseline_on, number_text(kpi.baseline_value), "")]
            rows += [(_("実績"), m.measured_on, number_text(m.value), m.note) for m in measurements]
            rows.append((_("目標値"), kpi.target_on, number_text(kpi.target_value), ""))
            rows.sort(key=lambda row: row[1])
            edit_key, measure_key = f"edit-{kpi.pk}", f"measure-{kpi.pk}"
            edit_form = bound.get(edit_key) or KpiForm(initial=KpiForm.initial_from(kpi), prefix=edit_key)
            measure_form = bound.get(measure_key) or MeasurementForm(prefix=measure_key)
            assert isinstance(edit_form, KpiForm) and isinstance(measure_form, MeasurementForm)
            blocks.append(
                KpiBlock(
                    summary=kpi_summary(status),
                    chart=kpi_chart(
                        chart_id=f"kpi-{kpi.pk}-chart",
                        name=kpi.name,
                        unit=kpi.unit,
                        baseline=Point(kpi.baseline_on, kpi.baseline_value),
                        target=Point(kpi.target_on, kpi.target_value),
                        actuals=[Point(m.measured_on, m.value) for m in measurements],
                    ),
                    rows=rows,
                    edit_form=edit_form,
                    measure_form=measure_form,
                    open_edit=edit_key in bound,
                )
            )
        return blocks

    def render_page(
        self, engagement: Engagement, bound: dict[str, forms.Form] | None = None, status: int = 200
    ) -> HttpResponse:
        bound = bound or {}
        new_form = bound.get("new") or KpiForm(prefix="new")
        return render(
            self.request,
            "engagements/console/kpis.html",
            {
                "engagement": engagement,
                "blocks": self.blocks(selectors.engagement_kpi_statuses(engagement), bound),
                "new_form": new_form,
                "open_new": "new" in bound,
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(self.get_engagement(pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        engagement = self.get_engagement(pk)
        action = request.POST.get("action", "")
        kpi: Kpi | None = None
        if action in ("edit", "measure"):
            kpi = selectors.kpi_get(engagement=engagement, pk=int_param(request.POST.get("kpi")))
            if kpi is None:
                raise Http404
        form: KpiForm | MeasurementForm
        if action == "add":
            key = "new"
            form = KpiForm(request.POST, prefix=key)
        elif action == "edit" and kpi is not None:
            key = f"edit-{kpi.pk}"
            form = KpiForm(request.POST, prefix=key)
        elif action == "measure" and kpi is not None:
            key = f"measure-{kpi.pk}"
            form = MeasurementForm(request.POST, prefix=key)
        else:
            raise Http404
        if form.is_valid():
            try:
                if isinstance(form, KpiForm):
                    saved = services.kpi_save(
                        engagement=engagement, data=form.to_data(), kpi=kpi, actor=self.user
                    )
                    message = _("KPI「%(name)s」を保存しました。") % {"name": saved.name}
                else:
                    assert kpi is not None
                    d = form.cleaned_data
                    services.kpi_measure(
                        kpi=kpi,
                        measured_on=d["measured_on"],
                        value=d["value"],
                        note=d.get("note") or "",
                        actor=self.user,
                    )
                    message = _("「%(name)s」の実績を記録しました。") % {"name": kpi.name}
                    saved = kpi
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, message)
                return redirect(f"{reverse('engagements_console:kpis', args=[engagement.pk])}#kpi-{saved.pk}")
        return self.render_page(engagement, {key: form}, status=400)
