"""The case page's small before/after chart, drawn on the server as SVG (no script, nothing inline that
the CSP refuses). Each KPI has its own scale, since their units differ: its two bars are drawn against
the larger of its two values. The KPI table under the chart is the source; the chart repeats it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ouentai.cases.selectors.public import PublicKpi
from ouentai.core.numbers import number_text

# Drawn small (480 wide) with large type, so that it stays readable when a phone scales it down.
WIDTH = 480
LABEL_HEIGHT = 26
BAR_HEIGHT = 22
BAR_GAP = 4
GROUP_GAP = 18
BAR_LEFT = 70  # room for 「支援前」「支援後」
BAR_MAX = 280  # the rest is room for the value after the bar


@dataclass(frozen=True)
class Bar:
    y: int
    width: int
    text: str  # the value with its unit, written after the bar
    text_x: int
    text_y: int


@dataclass(frozen=True)
class BarGroup:
    label: str
    label_y: int
    before: Bar
    after: Bar


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bar_left: int
    bar_height: int
    groups: list[BarGroup]


def _bar(value: Decimal, largest: Decimal, unit: str, y: int) -> Bar:
    width = int(BAR_MAX * abs(value) / largest) if largest else 0
    width = max(width, 2) if value else 0
    return Bar(
        y=y,
        width=width,
        text=f"{number_text(value)}{unit}",
        text_x=BAR_LEFT + width + 6,
        text_y=y + BAR_HEIGHT - 6,
    )


def kpi_chart(kpis: list[PublicKpi]) -> BarChart | None:
    """The geometry of the chart (None when there is no KPI to draw)."""
    if not kpis:
        return None
    groups = []
    y = 0
    for kpi in kpis:
        largest = max(abs(kpi.before_value), abs(kpi.after_value))
        label_y = y + LABEL_HEIGHT - 6
        before_y = y + LABEL_HEIGHT
        after_y = before_y + BAR_HEIGHT + BAR_GAP
        groups.append(
            BarGroup(
                label=kpi.name,
                label_y=label_y,
                before=_bar(kpi.before_value, largest, kpi.unit, before_y),
                after=_bar(kpi.after_value, largest, kpi.unit, after_y),
            )
        )
        y = after_y + BAR_HEIGHT + GROUP_GAP
    return BarChart(
        width=WIDTH, height=y - GROUP_GAP + 4, bar_left=BAR_LEFT, bar_height=BAR_HEIGHT, groups=groups
    )
