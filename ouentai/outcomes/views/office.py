"""The program office's area (/office/): the comparison of implementing organizations for a 年度, an
indicator's trend over the years, and the same aggregates as open data (CSV). The role has no other
area, and these pages show nothing but suppressed aggregates."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.choices import Role
from ouentai.core.calendar import fiscal_year, fiscal_year_text, local_today
from ouentai.core.exports import export_response
from ouentai.outcomes.forms import YearForm
from ouentai.outcomes.indicators import indicator_label
from ouentai.outcomes.selectors import office

YEARS_SHOWN = 10
TREND_YEARS = 5


class OfficeMixin(LoginRequiredMixin):
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if getattr(request.user, "role", None) != Role.PROGRAM_OFFICE or not request.user.is_active:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def year_context(self) -> tuple[int, dict[str, Any]]:
        current = fiscal_year(local_today())
        years = list(range(current, current - YEARS_SHOWN, -1))
        try:
            year = int(self.request.GET.get("year", ""))
        except ValueError:
            year = current
        if year not in years:
            year = current
        form = YearForm(initial={"year": year}, years=years, labels={y: fiscal_year_text(y) for y in years})
        return year, {"year": year, "year_label": fiscal_year_text(year), "year_form": form}


class HomeView(OfficeMixin, View):
    """Every implementing organization's numbers of the 年度 beside each other, by region."""

    def get(self, request: HttpRequest) -> HttpResponse:
        year, context = self.year_context()
        comparison = office.office_comparison(year=year)
        context.update(
            comparison=comparison,
            labels=[(indicator, indicator_label(indicator)) for indicator in comparison.indicators],
        )
        return render(request, "outcomes/office/home.html", context)


class TrendView(OfficeMixin, View):
    """One indicator over the last five years, by region and for the country."""

    def get(self, request: HttpRequest) -> HttpResponse:
        indicators = office.office_indicators()
        chosen = next((i for i in indicators if i.key == request.GET.get("indicator")), None) or (
            indicators[0] if indicators else None
        )
        if chosen is None:
            raise Http404
        current = fiscal_year(local_today())
        years = list(range(current - TREND_YEARS + 1, current + 1))
        trend = office.office_trends(indicator=chosen, years=years)
        context = {
            "trend": trend,
            "label": indicator_label(chosen),
            "choices": [(indicator.key, indicator_label(indicator)) for indicator in indicators],
            "year_labels": [fiscal_year_text(year) for year in years],
            "threshold": office.suppression_threshold(),
        }
        return render(request, "outcomes/office/trend.html", context)


class OpenDataView(OfficeMixin, View):
    """The comparison of a 年度 as a CSV file (UTF-8 with BOM, opens in Excel)."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        year, _context = self.year_context()
        header = [
            _("年度"), _("年度の表記"), _("区分"), _("地域"), _("実施機関"), _("指標"), _("指標名"), _("値（X：秘匿）"),
            _("単位"),
        ]  # fmt: skip
        return export_response(
            [header, *office.open_data_rows(year=year)],
            file_format="csv",
            filename_stem=f"ouentai-outcomes-fy{year}",
            title=_("成果の集計"),
        )
