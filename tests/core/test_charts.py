"""The shared line chart: its scales, and SVG that is well-formed, labelled for screen readers, free of
inline styles and readable without colour."""

from __future__ import annotations

import datetime as dt
import itertools
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ouentai.core.charts import LEFT, RIGHT, WIDTH, Series, date_ticks, line_chart, value_ticks

SVG = "{http://www.w3.org/2000/svg}"
FY_FIRST, FY_LAST = dt.date(2026, 4, 1), dt.date(2027, 3, 31)
MONTHS = [dt.date(2026 + (m < 4), m, 1) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


def _chart(
    series: list[Series],
    *,
    first: dt.date | None = None,
    last: dt.date | None = None,
    zero_based: bool = False,
) -> ET.Element:
    svg = line_chart(
        chart_id="c1",
        title="相談件数",
        description="累計の相談件数",
        unit="件",
        series=series,
        first=first,
        last=last,
        zero_based=zero_based,
    )
    assert "style=" not in svg  # the CSP refuses inline styles
    return ET.fromstring(svg)


def _axis_values(root: ET.Element) -> list[float]:
    """The numbers written along the value axis, bottom to top."""
    labels = [t for t in root.iter(f"{SVG}text") if t.get("x") == str(LEFT - 8)]
    return [float((t.text or "").replace(",", "")) for t in labels]


def _xs(polyline: ET.Element) -> list[float]:
    return [float(pair.split(",")[0]) for pair in (polyline.get("points") or "").split()]


@pytest.mark.parametrize(
    ("low", "high"), [(1000, 1200), (0, 7), (-3.5, 12.2), (5, 5), (0, 0), (0.01, 0.07), (12, 98765)]
)
def test_value_ticks_cover_the_range(low: float, high: float) -> None:
    ticks = value_ticks(low, high)
    assert ticks[0] <= low and ticks[-1] >= high
    assert 3 <= len(ticks) <= 7
    steps = {round(b - a, 9) for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1  # evenly spaced


@given(st.integers(-(10**9), 10**9), st.integers(0, 10**9))
def test_value_ticks_cover_any_range(low: int, width: int) -> None:
    ticks = value_ticks(low / 100, (low + width) / 100)
    assert ticks[0] <= low / 100 and ticks[-1] >= (low + width) / 100
    assert 3 <= len(ticks) <= 7


def test_date_ticks_over_a_fiscal_year() -> None:
    ticks = date_ticks(FY_FIRST, FY_LAST)
    assert [label for _day, label in ticks] == ["2026年4月", "6月", "8月", "10月", "12月", "2027年2月"]
    assert all(day.day == 1 and FY_FIRST <= day <= FY_LAST for day, _label in ticks)


def test_line_chart_structure() -> None:
    root = _chart(
        [
            Series("実績", [(day, Decimal(i * 12)) for i, day in enumerate(MONTHS[:7])], label_last=True),
            Series("目標", [(day, Decimal(i * 10)) for i, day in enumerate(MONTHS)], style="target"),
            Series("前年度", [], style="reference"),
        ]
    )
    assert root.get("role") == "img" and root.get("class") == "chart"
    title_id, desc_id = (root.get("aria-labelledby") or "").split()
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.get("id") == title_id and title.text == "相談件数"
    assert desc is not None and desc.get("id") == desc_id and desc.text == "累計の相談件数"
    assert len({title_id, desc_id}) == 2 and all(i.startswith("c1-") for i in (title_id, desc_id))

    lines = {line.get("class"): line for line in root.iter(f"{SVG}polyline")}
    assert set(lines) == {"chart-actual", "chart-target"}  # the empty series has no line
    assert len(_xs(lines["chart-actual"])) == 7 and len(_xs(lines["chart-target"])) == 12
    assert lines["chart-actual"].get("stroke-dasharray") is None
    assert lines["chart-target"].get("stroke-dasharray") == "6 4"
    assert lines["chart-actual"].get("stroke") != lines["chart-target"].get("stroke")

    groups = {g.get("class"): g for g in root.iter(f"{SVG}g") if g.get("class")}
    actual_marks, target_marks = list(groups["chart-actual"]), list(groups["chart-target"])
    assert [m.tag for m in actual_marks] == [f"{SVG}circle"] * 7  # filled circles
    assert [m.tag for m in target_marks] == [f"{SVG}polygon"] * 12  # diamonds
    assert list(groups["chart-reference"]) == []
    hover = [m.findtext(f"{SVG}title") for m in actual_marks]
    assert hover[0] == "実績：2026年4月1日 0件" and hover[-1] == "実績：2026年10月1日 72件"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"実績", "目標", "前年度"} <= set(texts)  # every series in the legend, the empty one too
    assert "72件" in texts and "110件" not in texts  # label_last on the actuals only


def test_legend_shows_line_and_marker_of_each_style() -> None:
    root = _chart(
        [
            Series("実績", [], style="actual"),
            Series("目標", [], style="target"),
            Series("前年度", [], style="reference"),
        ]
    )
    legend = next(g for g in root.iter(f"{SVG}g") if g.findtext(f"{SVG}text") == "実績")
    samples = [e for e in legend if e.tag == f"{SVG}line"]
    assert [s.get("stroke-dasharray") for s in samples] == [None, "6 4", "1 5"]
    markers = [e.tag for e in legend if e.tag in {f"{SVG}circle", f"{SVG}polygon", f"{SVG}rect"}]
    assert markers == [f"{SVG}circle", f"{SVG}polygon", f"{SVG}rect"]
    square = next(e for e in legend if e.tag == f"{SVG}rect")
    assert square.get("fill") == "#fff"  # hollow


def test_first_and_last_fix_the_x_range() -> None:
    points = [(dt.date(2026, 3, 31), Decimal(1)), *((day, Decimal(5)) for day in MONTHS[2:5])]
    root = _chart([Series("実績", points)], first=FY_FIRST, last=FY_LAST)
    line = next(root.iter(f"{SVG}polyline"))
    xs = _xs(line)
    assert len(xs) == 3  # the point before the fiscal year is left out
    assert LEFT < xs[0] < xs[-1] < WIDTH - RIGHT
    assert xs[0] == round(LEFT + 61 / 364 * (WIDTH - LEFT - RIGHT), 1)  # 1 June, 61 days in
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "middle"]
    assert labels[0] == "2026年4月" and labels[-1] == "2027年2月"
    end = _chart([Series("実績", [(FY_FIRST, Decimal(1)), (FY_LAST, Decimal(2))])])
    assert _xs(next(end.iter(f"{SVG}polyline"))) == [LEFT, WIDTH - RIGHT]  # by default the points' dates


def test_zero_based_value_axis() -> None:
    series = [Series("実績", [(MONTHS[0], Decimal(40)), (MONTHS[1], Decimal(60))])]
    assert min(_axis_values(_chart(series))) == 40
    values = _axis_values(_chart(series, zero_based=True))
    assert min(values) == 0 and max(values) >= 60
    zeros = [Series("実績", [(MONTHS[0], Decimal(0)), (MONTHS[1], Decimal(0))])]
    assert min(_axis_values(_chart(zeros, zero_based=True))) == 0


@pytest.mark.parametrize(
    "series", [[], [Series("実績", [])], [Series("実績", []), Series("目標", [], "target")]]
)
def test_empty_chart_renders(series: list[Series]) -> None:
    root = _chart(series)
    assert root.get("role") == "img"
    assert list(root.iter(f"{SVG}polyline")) == []
    assert _axis_values(root) == [0, 0.25, 0.5, 0.75, 1]


def test_single_point_is_a_marker_without_line() -> None:
    root = _chart([Series("基準値", [(MONTHS[0], Decimal(3))], style="reference")])
    assert list(root.iter(f"{SVG}polyline")) == []
    square = next(root.iter(f"{SVG}rect"))
    assert square.findtext(f"{SVG}title") is None  # the legend sample has no hover text
    marks = [r for r in root.iter(f"{SVG}rect") if r.findtext(f"{SVG}title")]
    assert [m.findtext(f"{SVG}title") for m in marks] == ["基準値：2026年4月1日 3件"]


def test_text_is_escaped() -> None:
    svg = line_chart(
        chart_id="c2",
        title="<b>件数</b>",
        description="A & B",
        unit="件",
        series=[Series("<実績>", [(MONTHS[0], Decimal(1))])],
    )
    root = ET.fromstring(svg)
    assert root.findtext(f"{SVG}title") == "<b>件数</b>" and root.findtext(f"{SVG}desc") == "A & B"
    assert "<b>" not in svg


@pytest.mark.parametrize(
    "series",
    [[Series("実績", []), Series("前年度", [])], [Series("実績", [], style="bar")]],
)
def test_series_that_would_differ_by_colour_only_are_refused(series: list[Series]) -> None:
    with pytest.raises(ValueError):
        line_chart(chart_id="c", title="t", description="d", unit="", series=series)
