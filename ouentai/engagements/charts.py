"""Server-rendered SVG line charts of KPIs: the baseline as a point, the target as a dashed line (and a
mark on its date), the actual measurements as a line with points, dates along the x axis and the value
axis with the unit. Every chart is an image with a title and a description for screen readers; pages
put a table of the same numbers right after it.

No inline style attributes (the CSP forbids them): colours and dashes are SVG presentation attributes,
sizes come from the stylesheet (class ``eng-chart``)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ouentai.core.numbers import number_text, with_unit

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 52, 44
INK, MUTED, GRID = "#1d2433", "#4f5a6b", "#d5dbe3"
ACTUAL, TARGET, BASELINE = "#1f5f8b", "#b3541e", "#4f5a6b"


@dataclass(frozen=True)
class Point:
    on: dt.date
    value: Decimal


def _nice_step(raw: float) -> float:
    """The 1, 2, 2.5 or 5 × 10ⁿ step nearest above ``raw``."""
    exponent = math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * 10**exponent
        if step >= raw:
            return step
    return 10 ** (exponent + 1)


def value_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values covering [low, high], about ``count`` of them."""
    if high == low:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    step = _nice_step((high - low) / (count - 1))
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _month_start(day: dt.date, months_ahead: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 + months_ahead
    return dt.date(index // 12, index % 12 + 1, 1)


def date_ticks(first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    """Dates to mark on the x axis with their labels: month starts (about six) over long spans, else
    about five evenly spaced days. The year is written on the first mark and where it changes."""
    span = (last - first).days
    ticks: list[tuple[dt.date, str]] = []
    if span > 62:
        months = (last.year - first.year) * 12 + last.month - first.month
        step = max(1, math.ceil(months / 6))
        day = _month_start(first, 0 if first.day == 1 else 1)
        while day <= last:
            year_shown = not ticks or ticks[-1][0].year != day.year
            label = (
                _("%(y)d年%(m)d月") % {"y": day.year, "m": day.month}
                if year_shown
                else _("%(m)d月") % {"m": day.month}
            )
            ticks.append((day, label))
            day = _month_start(day, step)
        return ticks
    pieces = 4 if span >= 4 else max(span, 1)
    seen: set[dt.date] = set()
    for index in range(pieces + 1):
        day = first + dt.timedelta(days=round(span * index / pieces))
        if day in seen:
            continue
        seen.add(day)
        if not ticks:
            label = _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}
        else:
            label = _("%(m)d月%(d)d日") % {"m": day.month, "d": day.day}
        ticks.append((day, label))
    return ticks


def _date_long(day: dt.date) -> str:
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


def chart_description(*, unit: str, baseline: Point, target: Point, actuals: Sequence[Point]) -> str:
    text = _("基準値 %(b)s（%(bd)s）、目標値 %(t)s（%(td)s）。") % {
        "b": with_unit(baseline.value, unit),
        "bd": _date_long(baseline.on),
        "t": with_unit(target.value, unit),
        "td": _date_long(target.on),
    }
    if not actuals:
        return text + _("実績はまだ測定されていません。")
    latest = actuals[-1]
    return text + _("実績 %(n)d件、最新は %(v)s（%(d)s）。") % {
        "n": len(actuals),
        "v": with_unit(latest.value, unit),
        "d": _date_long(latest.on),
    }


def kpi_chart(
    *, chart_id: str, name: str, unit: str, baseline: Point, target: Point, actuals: Sequence[Point]
) -> SafeString:
    """The SVG of one KPI (``actuals`` in date order). ``chart_id`` makes the ids of its title and
    description unique on the page."""
    dates = [baseline.on, target.on, *(point.on for point in actuals)]
    first, last = min(dates), max(dates)
    span = max((last - first).days, 1)
    values = [float(baseline.value), float(target.value), *(float(point.value) for point in actuals)]
    ticks = value_ticks(min(values), max(values))
    low, high = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: dt.date) -> float:
        return round(LEFT + (day - first).days / span * plot_w, 1)

    def y(value: float | Decimal) -> float:
        return round(TOP + (high - float(value)) / (high - low) * plot_h, 1)

    parts: list[str] = [
        format_html(
            '<svg class="eng-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" '
            'height="{h}" role="img" aria-labelledby="{id}-title {id}-desc" '
            'font-family="Noto Sans CJK JP, Noto Sans JP, sans-serif" font-size="12">'
            '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>',
            w=WIDTH,
            h=HEIGHT,
            id=chart_id,
            title=_("%(name)sの推移") % {"name": name},
            desc=chart_description(unit=unit, baseline=baseline, target=target, actuals=actuals),
        )
    ]
    # Legend, top left; the unit above the value axis.
    legend_y = 16
    parts.append(
        format_html(
            '<g aria-hidden="true">'
            '<circle cx="{x0}" cy="{ly}" r="4.5" fill="#fff" stroke="{b}" stroke-width="2"/>'
            '<text x="{x0t}" y="{lt}" fill="{ink}">{baseline}</text>'
            '<line x1="{x1}" y1="{ly}" x2="{x1e}" y2="{ly}" stroke="{a}" stroke-width="2.5"/>'
            '<circle cx="{x1c}" cy="{ly}" r="4" fill="{a}"/>'
            '<text x="{x1t}" y="{lt}" fill="{ink}">{actual}</text>'
            '<line x1="{x2}" y1="{ly}" x2="{x2e}" y2="{ly}" stroke="{t}" stroke-width="2" stroke-dasharray="6 4"/>'
            '<text x="{x2t}" y="{lt}" fill="{ink}">{target}</text>'
            "</g>",
            x0=LEFT + 6,
            x0t=LEFT + 16,
            x1=LEFT + 84,
            x1e=LEFT + 108,
            x1c=LEFT + 96,
            x1t=LEFT + 114,
            x2=LEFT + 160,
            x2e=LEFT + 188,
            x2t=LEFT + 194,
            ly=legend_y,
            lt=legend_y + 4,
            b=BASELINE,
            a=ACTUAL,
            t=TARGET,
            ink=INK,
            baseline=_("基準値"),
            actual=_("実績"),
            target=_("目標値"),
        )
    )
    parts.append(
        format_html(
            '<text x="{x}" y="{y}" fill="{muted}" aria-hidden="true">{unit}</text>',
            x=8,
            y=TOP - 18,
            muted=MUTED,
            unit=_("（単位：%(unit)s）") % {"unit": unit} if unit else _("（値）"),
        )
    )
    # Value axis: grid lines and labels.
    decimals = 0 if all(float(tick).is_integer() for tick in ticks) else 2
    grid = ['<g aria-hidden="true">']
    for tick in ticks:
        label = number_text(Decimal(f"{tick:.{decimals}f}"))
        grid.append(
            format_html(
                '<line x1="{l}" y1="{y}" x2="{r}" y2="{y}" stroke="{g}" stroke-width="1"/>'
                '<text x="{tx}" y="{ty}" text-anchor="end" fill="{muted}">{label}</text>',
                l=LEFT,
                r=WIDTH - RIGHT,
                y=y(tick),
                ty=y(tick) + 4,
                tx=LEFT - 8,
                g=GRID,
                muted=MUTED,
                label=label,
            )
        )
    # Date axis: the baseline line, ticks and labels.
    grid.append(
        format_html(
            '<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="{muted}" stroke-width="1"/>',
            l=LEFT,
            r=WIDTH - RIGHT,
            b=TOP + plot_h,
            muted=MUTED,
        )
    )
    for day, label in date_ticks(first, last):
        grid.append(
            format_html(
                '<line x1="{x}" y1="{b}" x2="{x}" y2="{b6}" stroke="{muted}" stroke-width="1"/>'
                '<text x="{x}" y="{ty}" text-anchor="middle" fill="{muted}">{label}</text>',
                x=x(day),
                b=TOP + plot_h,
                b6=TOP + plot_h + 6,
                ty=TOP + plot_h + 22,
                muted=MUTED,
                label=label,
            )
        )
    grid.append("</g>")
    parts.extend(grid)
    # The target: a dashed line at its value, a diamond on its date, its value written above.
    ty, tx = y(target.value), x(target.on)
    parts.append(
        format_html(
            '<g aria-hidden="true">'
            '<line x1="{l}" y1="{y}" x2="{r}" y2="{y}" stroke="{t}" stroke-width="2" stroke-dasharray="6 4"/>'
            '<polygon points="{x},{y1} {x2},{y} {x},{y2} {x0},{y}" fill="{t}"/>'
            '<text x="{lx}" y="{ly}" text-anchor="{anchor}" fill="{t}" font-weight="bold">{label}</text>'
            "</g>",
            l=LEFT,
            r=WIDTH - RIGHT,
            y=ty,
            x=tx,
            x0=tx - 6,
            x2=tx + 6,
            y1=ty - 6,
            y2=ty + 6,
            t=TARGET,
            lx=tx - 10 if tx > LEFT + plot_w / 2 else tx + 10,
            anchor="end" if tx > LEFT + plot_w / 2 else "start",
            ly=ty - 8 if ty > TOP + 14 else ty + 18,
            label=_("目標 %(v)s") % {"v": with_unit(target.value, unit)},
        )
    )
    # The actuals as a line from the baseline, with a point for each measurement.
    path = [(x(baseline.on), y(baseline.value)), *((x(p.on), y(p.value)) for p in actuals)]
    parts.append('<g aria-hidden="true">')
    if actuals:
        parts.append(
            format_html(
                '<polyline points="{points}" fill="none" stroke="{a}" stroke-width="2.5" '
                'stroke-linejoin="round"/>',
                points=" ".join(f"{px},{py}" for px, py in path),
                a=ACTUAL,
            )
        )
    parts.append(
        format_html(
            '<circle cx="{x}" cy="{y}" r="5.5" fill="#fff" stroke="{b}" stroke-width="2.5"/>',
            x=path[0][0],
            y=path[0][1],
            b=BASELINE,
        )
    )
    for (px, py), point in zip(path[1:], actuals, strict=True):
        parts.append(
            format_html(
                '<circle cx="{x}" cy="{y}" r="4.5" fill="{a}"><title>{label}</title></circle>',
                x=px,
                y=py,
                a=ACTUAL,
                label=f"{_date_long(point.on)} {with_unit(point.value, unit)}",
            )
        )
    if actuals:
        latest_x, latest_y = path[-1]
        parts.append(
            format_html(
                '<text x="{x}" y="{y}" text-anchor="{anchor}" fill="{a}" font-weight="bold">{label}</text>',
                x=latest_x + (8 if latest_x < LEFT + plot_w * 0.8 else -8),
                y=latest_y - 10 if latest_y > TOP + 14 else latest_y + 20,
                anchor="start" if latest_x < LEFT + plot_w * 0.8 else "end",
                a=ACTUAL,
                label=with_unit(actuals[-1].value, unit),
            )
        )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every piece above is built with format_html)
