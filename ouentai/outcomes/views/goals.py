"""The outcome goals in the console: the 年度 dashboard (each indicator's actual against its target,
month by month, beside last year), the rows behind every number, and the forms where the organization's
administrators and office staff set the year's targets and enter manual results."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.permissions import ConsoleMixin
from ouentai.core.calendar import fiscal_year, fiscal_year_text, local_today
from ouentai.core.charts import Series, line_chart
from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error
from ouentai.core.numbers import with_unit
from ouentai.outcomes import selectors, services
from ouentai.outcomes.forms import ManualResultsForm, TargetsForm, YearForm
from ouentai.outcomes.indicators import RULES
from ouentai.outcomes.models import Indicator
from ouentai.outcomes.selectors import FiscalYearOutcomes, Outcome, month_end, months_of

PAGE_SIZE = 50


class OutcomesMixin(ConsoleMixin):
    def year_context(self, request: HttpRequest) -> tuple[int, dict[str, Any]]:
        """The 年度 asked for (?year=, this year when absent or not offered) and its picker."""
        today = local_today()
        years = selectors.target_years(organization=self.organization, today=today)
        try:
            year = int(request.GET.get("year", ""))
        except ValueError:
            year = fiscal_year(today)
        if year not in years:
            year = fiscal_year(today)
        form = YearForm(initial={"year": year}, years=years, labels={y: fiscal_year_text(y) for y in years})
        return year, {"year": year, "year_label": fiscal_year_text(year), "year_form": form, "today": today}

    def manager_only(self) -> None:
        if not services.outcomes_may_manage(user=self.user):
            raise PermissionDenied

    def indicator(self, key: str) -> Indicator:
        indicator = selectors.indicator_get(key)
        if indicator is None:
            raise Http404
        return indicator


def _points(outcome: Outcome, data: FiscalYearOutcomes) -> tuple[list[tuple[dt.date, Decimal]], ...]:
    actual = [(data.first, Decimal(0))]
    last_year = [(data.first, Decimal(0))]
    for row in outcome.months:
        end = month_end(row.month)
        last_year.append((end, row.last_year_cumulative))
        if row.cumulative is not None and data.as_of is not None:
            actual.append((min(end, data.as_of), row.cumulative))
    target = [(data.first, Decimal(0)), (data.last, outcome.target.target)] if outcome.target else []
    return actual, target, last_year


def outcome_chart(outcome: Outcome, data: FiscalYearOutcomes, index: int) -> SafeString:
    """The year's cumulative actual against the target line and last year's cumulative."""
    unit = outcome.indicator.unit
    actual, target, last_year = _points(outcome, data)
    description = _("%(year)sの実績は%(actual)s。") % {
        "year": data.label,
        "actual": with_unit(outcome.actual, unit),
    }
    if outcome.target is not None:
        description += _("目標は%(target)s（年度末に向けて均等に進む線で表示）。") % {
            "target": with_unit(outcome.target.target, unit)
        }
    description += _("前年度の同じ時期は%(last)s。") % {
        "last": with_unit(outcome.last_year_same_period, unit)
    }
    return line_chart(
        chart_id=f"outcome-{index}",
        title=_("%(name)sの累計") % {"name": outcome.label},
        description=description,
        unit=unit,
        series=[
            Series(name=_("実績（累計）"), points=actual, style="actual", label_last=True),
            Series(name=_("目標線"), points=target, style="target"),
            Series(name=_("前年度（累計）"), points=last_year, style="reference"),
        ],
        first=data.first,
        last=data.last,
        css_class="chart outcome-chart",
        zero_based=True,
    )


class DashboardView(OutcomesMixin, View):
    """Every indicator of the chosen 年度: actual to date, target and achievement, last year's same
    period, the monthly cumulative chart with its table; each number links to its rows."""

    def get(self, request: HttpRequest) -> HttpResponse:
        year, context = self.year_context(request)
        data = selectors.outcomes_for(organization=self.organization, year=year, today=context["today"])
        context.update(
            data=data,
            blocks=[
                (outcome, outcome_chart(outcome, data, index)) for index, outcome in enumerate(data.outcomes)
            ],
            may_manage=services.outcomes_may_manage(user=self.user),
        )
        return render(request, "outcomes/dashboard.html", context)


def _month_param(value: str, year: int) -> dt.date | None:
    """?month=2026-05 → 2026-05-01 when it is a month of the 年度, else None (the whole year)."""
    year_text, _dash, month_text = value.partition("-")
    try:
        month = dt.date(int(year_text), int(month_text), 1)
    except ValueError:
        return None
    return month if month in months_of(year) else None


class RecordsView(OutcomesMixin, View):
    """The rows one indicator counts in a 年度 or one month of it, newest first, 50 per page."""

    def get(self, request: HttpRequest, key: str) -> HttpResponse:
        indicator = self.indicator(key)
        year, context = self.year_context(request)
        month = _month_param(request.GET.get("month", ""), year)
        rule = RULES.get(indicator.rule)
        query = {"year": str(year), **({"month": f"{month:%Y-%m}"} if month else {})}
        context.update(indicator=indicator, month=month, query=urlencode(query), months=months_of(year))
        if rule is None:
            results = selectors.manual_results_for(
                organization=self.organization, indicator=indicator, year=year
            )
            context.update(
                label=indicator.name,
                definition=indicator.definition,
                manual_results=[
                    results[m] for m in months_of(year) if m in results and (month is None or m == month)
                ],
                may_manage=services.outcomes_may_manage(user=self.user),
            )
            return render(request, "outcomes/records.html", context)
        counted = selectors.outcome_records(
            organization=self.organization, rule=rule, year=year, month=month, today=context["today"]
        )
        page = Paginator(counted, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = selectors.record_rows(
            organization=self.organization, rule=rule, keys=[pk for _day, pk in page]
        )
        context.update(
            label=rule.label,
            definition=rule.definition,
            page=page,
            total=len(counted),
            columns=[column.label for column in rule.columns],
            rows=[(rule.link(row), [column.value(row) for column in rule.columns]) for row in rows],
        )
        return render(request, "outcomes/records.html", context)


class TargetsView(OutcomesMixin, View):
    """A 年度's target and baseline for every indicator, saved all at once."""

    def _indicators(self) -> list[tuple[Indicator, str, str]]:
        rows = []
        for indicator in selectors.indicators_active():
            rule = RULES.get(indicator.rule)
            rows.append(
                (indicator, str(rule.label) if rule else indicator.name, indicator.get_unit_display())
            )
        return rows

    def _render(self, request: HttpRequest, form: TargetsForm, context: dict[str, Any]) -> HttpResponse:
        data = selectors.outcomes_for(
            organization=self.organization, year=context["year"] - 1, today=context["today"]
        )
        context.update(
            form=form, last_year={outcome.indicator.pk: outcome.actual for outcome in data.outcomes}
        )
        return render(request, "outcomes/targets.html", context)

    def get(self, request: HttpRequest) -> HttpResponse:
        self.manager_only()
        year, context = self.year_context(request)
        targets = selectors.targets_for(organization=self.organization, year=year)
        return self._render(request, TargetsForm(indicators=self._indicators(), targets=targets), context)

    def post(self, request: HttpRequest) -> HttpResponse:
        self.manager_only()
        year, context = self.year_context(request)
        targets = selectors.targets_for(organization=self.organization, year=year)
        form = TargetsForm(request.POST, indicators=self._indicators(), targets=targets)
        if form.is_valid():
            try:
                services.targets_save(
                    organization=self.organization, year=year, values=form.values(), actor=self.user
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request, _("%(year)sの成果目標を保存しました。") % {"year": fiscal_year_text(year)}
                )
                return redirect(f"{reverse('outcomes_console:dashboard')}?{urlencode({'year': year})}")
        return self._render(request, form, context)


class ManualResultsView(OutcomesMixin, View):
    """The monthly results of a manual indicator in a 年度, for the months reached so far."""

    def _form(
        self, request: HttpRequest, indicator: Indicator, year: int, today: dt.date
    ) -> ManualResultsForm:
        months = [month for month in months_of(year) if month <= today]
        results = selectors.manual_results_for(organization=self.organization, indicator=indicator, year=year)
        data = request.POST if request.method == "POST" else None
        return ManualResultsForm(data, months=months, results=results, unit=indicator.get_unit_display())

    def get(self, request: HttpRequest, key: str) -> HttpResponse:
        self.manager_only()
        indicator = self.indicator(key)
        if not indicator.is_manual:
            raise Http404
        year, context = self.year_context(request)
        context.update(indicator=indicator, form=self._form(request, indicator, year, context["today"]))
        return render(request, "outcomes/manual.html", context)

    def post(self, request: HttpRequest, key: str) -> HttpResponse:
        self.manager_only()
        indicator = self.indicator(key)
        if not indicator.is_manual:
            raise Http404
        year, context = self.year_context(request)
        form = self._form(request, indicator, year, context["today"])
        if form.is_valid():
            try:
                services.manual_results_save(
                    organization=self.organization, indicator=indicator, values=form.values(), actor=self.user
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("%(name)sの実績を保存しました。") % {"name": indicator.name})
                return redirect(f"{reverse('outcomes_console:dashboard')}?{urlencode({'year': year})}")
        context.update(indicator=indicator, form=form)
        return render(request, "outcomes/manual.html", context)
