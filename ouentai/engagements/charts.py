"""The line chart of a KPI, drawn by the shared ``core.charts.line_chart``: the actual measurements as a
solid line starting at the baseline, the target as a dashed line at its value up to its date (with its
mark there), the baseline as its own point. The description says the same numbers in words; pages put
a table of them right after the chart. Sizes come from the stylesheet (class ``eng-chart``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ouentai.core.charts import Series, date_text, date_ticks, line_chart, value_ticks
from ouentai.core.numbers import number_text, with_unit

# date_ticks, value_ticks and number_text stay importable from here for the code that looks for them here.
__all__ = ["Point", "chart_description", "date_ticks", "kpi_chart", "number_text", "value_ticks"]


@dataclass(frozen=True)
class Point:
    on: dt.date
    value: Decimal


def chart_description(*, unit: str, baseline: Point, target: Point, actuals: Sequence[Point]) -> str:
    text = _("基準値 %(b)s（%(bd)s）、目標値 %(t)s（%(td)s）。") % {
        "b": with_unit(baseline.value, unit),
        "bd": date_text(baseline.on),
        "t": with_unit(target.value, unit),
        "td": date_text(target.on),
    }
    if not actuals:
        return text + _("実績はまだ測定されていません。")
    latest = actuals[-1]
    return text + _("実績 %(n)d件、最新は %(v)s（%(d)s）。") % {
        "n": len(actuals),
        "v": with_unit(latest.value, unit),
        "d": date_text(latest.on),
    }


def kpi_chart(
    *, chart_id: str, name: str, unit: str, baseline: Point, target: Point, actuals: Sequence[Point]
) -> SafeString:
    """The SVG of one KPI (``actuals`` in date order). ``chart_id`` makes the ids of its title and
    description unique on the page."""
    # The target line runs at the target value from the start of the chart to the target date.
    start = min(baseline.on, target.on, *(point.on for point in actuals))
    target_points = [(day, target.value) for day in sorted({start, target.on})]
    return line_chart(
        chart_id=chart_id,
        title=_("%(name)sの推移") % {"name": name},
        description=chart_description(unit=unit, baseline=baseline, target=target, actuals=actuals),
        unit=unit,
        series=[
            # Drawn in this order: the baseline's hollow square covers the start of the actuals line.
            Series(
                name=_("実績"),
                points=[(p.on, p.value) for p in (baseline, *actuals)] if actuals else [],
                style="actual",
                label_last=True,
            ),
            Series(name=_("目標値"), points=target_points, style="target", label_last=True),
            Series(name=_("基準値"), points=[(baseline.on, baseline.value)], style="reference"),
        ],
        css_class="eng-chart",
    )
