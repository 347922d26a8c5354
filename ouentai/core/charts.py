"""Line charts, one way for the whole product (engagement KPIs, fiscal-year outcomes): SVG drawn on the
server, dates along the x axis, the value axis with its unit, a legend on top.

- No inline ``style`` attributes (the CSP forbids them): colours, widths and dashes are SVG presentation
  attributes; the size on the page comes from the stylesheet (class ``chart``, or the ``css_class``
  given).
- Every chart is an image for assistive technology: ``role="img"`` with a ``<title>`` and a ``<desc>``
  that ``aria-labelledby`` points at; the description says in words what the chart shows. Pages put a
  table of the same numbers right after each chart, which stays the source.
- Readable without colour: each series style differs by dash pattern AND marker shape, not only by
  colour (``actual``: solid line, filled circles; ``target``: dashed line, diamonds; ``reference``:
  dotted grey line, hollow squares), so a chart holds at most one series of each style. The legend
  shows each line sample with its marker, and every point has a ``<title>`` (date and value) shown on
  hover."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ouentai.core.numbers import number_text, with_unit

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 52, 44
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
INK, MUTED, GRID = "#1d2433", "#4f5a6b", "#d5dbe3"
FONT = "Noto Sans CJK JP, Noto Sans JP, sans-serif"


@dataclass(frozen=True)
class _Look:
    """How a series style is drawn: colour, line width and dash, marker shape."""

    colour: str
    width: str
    dash: str  # "" for a solid line
    marker: str  # circle, diamond or square
    filled: bool


LOOKS = {
    "actual": _Look(colour="#1f5f8b", width="2.5", dash="", marker="circle", filled=True),
    "target": _Look(colour="#b3541e", width="2", dash="6 4", marker="diamond", filled=True),
    "reference": _Look(colour="#4f5a6b", width="2", dash="1 5", marker="square", filled=False),
}


@dataclass(frozen=True)
class Series:
    """One line of a chart. ``points`` in date order; ``style`` is ``actual`` (solid line, filled
    circles), ``target`` (dashed line, diamonds) or ``reference`` (dotted grey line, hollow squares,
    e.g. last year); ``label_last`` writes the last point's value with the unit beside it."""

    name: str
    points: Sequence[tuple[dt.date, Decimal]]
    style: str = "actual"
    label_last: bool = False


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
    # Multiples of the step from the start (no running sum, whose errors add up) until one reaches high.
    ticks = [round(start, 10)]
    while ticks[-1] < high:
        ticks.append(round(start + len(ticks) * step, 10))
    return ticks


def _month_start(day: dt.date, months_ahead: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 + months_ahead
    return dt.date(index // 12, index % 12 + 1, 1)


def date_text(day: dt.date) -> str:
    """「2027年2月15日」."""
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


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
        label = _("%(m)d月%(d)d日") % {"m": day.month, "d": day.day} if ticks else date_text(day)
        ticks.append((day, label))
    return ticks


def _marker(look: _Look, x: float, y: float, title: str = "") -> str:
    """The marker of a series style at (x, y), with a ``<title>`` for hover when one is given."""
    inner = format_html("<title>{}</title>", title) if title else ""
    fill = look.colour if look.filled else "#fff"
    if look.marker == "diamond":
        return format_html(
            '<polygon points="{x},{y0} {x1},{y} {x},{y1} {x0},{y}" fill="{fill}" stroke="{c}" '
            'stroke-width="1">{inner}</polygon>',
            x=x,
            y=y,
            x0=round(x - 6, 1),
            x1=round(x + 6, 1),
            y0=round(y - 6, 1),
            y1=round(y + 6, 1),
            fill=fill,
            c=look.colour,
            inner=inner,
        )
    if look.marker == "square":
        return format_html(
            '<rect x="{x}" y="{y}" width="9" height="9" fill="{fill}" stroke="{c}" stroke-width="2">'
            "{inner}</rect>",
            x=round(x - 4.5, 1),
            y=round(y - 4.5, 1),
            fill=fill,
            c=look.colour,
            inner=inner,
        )
    return format_html(
        '<circle cx="{x}" cy="{y}" r="4.5" fill="{fill}" stroke="{c}" stroke-width="1">{inner}</circle>',
        x=x,
        y=y,
        fill=fill,
        c=look.colour,
        inner=inner,
    )


def _line_attributes(look: _Look) -> str:
    dash = format_html(' stroke-dasharray="{}" stroke-linecap="round"', look.dash) if look.dash else ""
    return format_html(
        'fill="none" stroke="{c}" stroke-width="{w}" stroke-linejoin="round"{dash}',
        c=look.colour,
        w=look.width,
        dash=dash,
    )


def _text_width(text: str) -> int:
    """A rough width at font size 12: full-width characters about 12 px, the others about 7."""
    return sum(12 if ord(char) >= 0x2E80 else 7 for char in text)


def _legend(series: Sequence[Series]) -> str:
    """One entry per series, top left: the line sample with its marker, then the name."""
    parts = ['<g aria-hidden="true">']
    x, y = LEFT + 6, 16
    for line in series:
        look = LOOKS[line.style]
        parts.append(
            format_html(
                '<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" {attrs}/>{marker}'
                '<text x="{tx}" y="{ty}" fill="{ink}">{name}</text>',
                x1=x,
                x2=x + 28,
                y=y,
                attrs=_line_attributes(look),
                marker=_marker(look, x + 14, y),
                tx=x + 34,
                ty=y + 4,
                ink=INK,
                name=line.name,
            )
        )
        x += 34 + _text_width(line.name) + 18
    parts.append("</g>")
    return "".join(parts)


def _axes(
    ticks: Sequence[float],
    days: Sequence[tuple[dt.date, str]],
    x: Callable[[dt.date], float],
    y: Callable[[float], float],
    unit: str,
) -> str:
    """The unit above the value axis, the grid lines with their values, the date axis with its marks."""
    parts = [
        format_html(
            '<text x="8" y="{y}" fill="{muted}" aria-hidden="true">{unit}</text>',
            y=TOP - 18,
            muted=MUTED,
            unit=_("（単位：%(unit)s）") % {"unit": unit} if unit else _("（値）"),
        ),
        '<g aria-hidden="true">',
    ]
    decimals = 0 if all(float(tick).is_integer() for tick in ticks) else 2
    for tick in ticks:
        parts.append(
            format_html(
                '<line x1="{l}" y1="{y}" x2="{r}" y2="{y}" stroke="{g}" stroke-width="1"/>'
                '<text x="{tx}" y="{ty}" text-anchor="end" fill="{muted}">{label}</text>',
                l=LEFT,
                r=WIDTH - RIGHT,
                y=y(tick),
                ty=round(y(tick) + 4, 1),
                tx=LEFT - 8,
                g=GRID,
                muted=MUTED,
                label=number_text(Decimal(f"{tick:.{decimals}f}")),
            )
        )
    bottom = TOP + PLOT_H
    parts.append(
        format_html(
            '<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="{muted}" stroke-width="1"/>',
            l=LEFT,
            r=WIDTH - RIGHT,
            b=bottom,
            muted=MUTED,
        )
    )
    for day, label in days:
        parts.append(
            format_html(
                '<line x1="{x}" y1="{b}" x2="{x}" y2="{b6}" stroke="{muted}" stroke-width="1"/>'
                '<text x="{x}" y="{ty}" text-anchor="middle" fill="{muted}">{label}</text>',
                x=x(day),
                b=bottom,
                b6=bottom + 6,
                ty=bottom + 22,
                muted=MUTED,
                label=label,
            )
        )
    parts.append("</g>")
    return "".join(parts)


def _value_range(values: Sequence[float], zero_based: bool) -> list[float]:
    """The value axis ticks: covering every value, from 0 when ``zero_based``, 0..1 with no values."""
    if not values:
        return value_ticks(0, 1)
    low, high = min(values), max(values)
    if zero_based:
        low, high = min(low, 0.0), max(high, 0.0)
        if low == high:  # all zero: the axis still starts at 0
            high = 1.0
    return value_ticks(low, high)


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    unit: str,
    series: Sequence[Series],
    first: dt.date | None = None,
    last: dt.date | None = None,
    css_class: str = "chart",
    zero_based: bool = False,
) -> SafeString:
    """The SVG of a line chart. ``chart_id`` makes the ids of its title and description unique on the
    page; ``description`` says in words what the chart shows. ``first`` and ``last`` fix the x range
    (by default the first and last date of all points; points outside it are left out);
    ``zero_based`` starts the value axis at 0 (cumulative counts). A series with no points appears in
    the legend only; a line is drawn through two points or more. Raises ValueError for an unknown
    style, two series of one style (they would differ by colour only) or ``first`` after ``last``."""
    styles = [line.style for line in series]
    for style in styles:
        if style not in LOOKS:
            raise ValueError(f"unknown series style {style!r}")
    if len(set(styles)) != len(styles):
        raise ValueError("two series of the same style differ by colour only")
    dates = [day for line in series for day, _value in line.points]
    first = first or min(dates, default=last)
    last = last or max(dates, default=first)
    if first and last and first > last:
        raise ValueError(f"first {first} is after last {last}")
    shown = [
        [(day, value) for day, value in line.points if first and last and first <= day <= last]
        for line in series
    ]
    ticks = _value_range([float(value) for points in shown for _day, value in points], zero_based)
    low, high = ticks[0], ticks[-1]
    span = max((last - first).days, 1) if first and last else 1

    def x(day: dt.date) -> float:
        return round(LEFT + (day - first).days / span * PLOT_W, 1) if first else LEFT

    def y(value: float | Decimal) -> float:
        return round(TOP + (high - float(value)) / (high - low) * PLOT_H, 1)

    parts: list[str] = [
        format_html(
            '<svg class="{css}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" '
            'height="{h}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="{font}" '
            'font-size="12"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>',
            css=css_class,
            w=WIDTH,
            h=HEIGHT,
            id=chart_id,
            font=FONT,
            title=title,
            desc=description,
        ),
        _legend(series),
        _axes(ticks, date_ticks(first, last) if first and last else [], x, y, unit),
    ]
    # Every line first, then every marker, so that no line hides a point of another series.
    parts.append('<g aria-hidden="true">')
    for line, points in zip(series, shown, strict=True):
        if len(points) >= 2:
            parts.append(
                format_html(
                    '<polyline class="chart-{style}" points="{points}" {attrs}/>',
                    style=line.style,
                    points=" ".join(f"{x(day)},{y(value)}" for day, value in points),
                    attrs=_line_attributes(LOOKS[line.style]),
                )
            )
    for line, points in zip(series, shown, strict=True):
        look = LOOKS[line.style]
        parts.append(format_html('<g class="chart-{}">', line.style))
        for day, value in points:
            hover = _("%(name)s：%(date)s %(value)s") % {
                "name": line.name,
                "date": date_text(day),
                "value": with_unit(value, unit),
            }
            parts.append(_marker(look, x(day), y(value), hover))
        parts.append("</g>")
    # The last values written beside their points, moved apart when two would overlap.
    placed: list[tuple[float, float]] = []
    for line, points in zip(series, shown, strict=True):
        if not (line.label_last and points):
            continue
        day, value = points[-1]
        px, py = x(day), y(value)
        right = px < LEFT + PLOT_W * 0.8
        lx = px + 8 if right else px - 8
        ly = py - 10 if py > TOP + 14 else py + 20
        step = 16 if ly < TOP + PLOT_H / 2 else -16
        for _other in placed:
            if not any(abs(lx - ox) < 90 and abs(ly - oy) < 15 for ox, oy in placed):
                break
            ly += step
        placed.append((lx, ly))
        parts.append(
            format_html(
                '<text x="{x}" y="{y}" text-anchor="{anchor}" fill="{c}" font-weight="bold">{label}</text>',
                x=lx,
                y=ly,
                anchor="start" if right else "end",
                c=LOOKS[line.style].colour,
                label=with_unit(value, unit),
            )
        )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every piece above is built with format_html)
