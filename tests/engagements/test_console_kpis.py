"""The KPI page of an engagement: its charts with their tables, adding and measuring KPIs with numbers
as people type them in Japanese."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from ouentai.accounts.models import User
from ouentai.core.fields import normalize_number
from ouentai.engagements.charts import Point, date_ticks, kpi_chart, number_text, value_ticks
from ouentai.engagements.choices import KpiDirection
from ouentai.engagements.models import (
    Engagement,
    Kpi,
    KpiMeasurement,
)
from tests.engagements.factories import KpiFactory
from tests.engagements.test_console import _login

pytestmark = pytest.mark.django_db


def test_kpi_page_chart_and_table(client: Client, engagement: Engagement, coordinator: User) -> None:
    kpi = KpiFactory.create(engagement=engagement, actor=coordinator, measurements=2)
    _login(client, coordinator)
    html = client.get(reverse("engagements_console:kpis", args=[engagement.pk])).content.decode()
    start, end = html.index("<svg"), html.index("</svg>")
    svg = html[start:end]
    assert 'role="img"' in svg
    assert f'aria-labelledby="kpi-{kpi.pk}-chart-title kpi-{kpi.pk}-chart-desc"' in svg
    assert "<title" in svg and "<desc" in svg
    assert "1,110万円" in svg  # the description and the latest point say the same numbers
    assert 'stroke-dasharray="6 4"' in svg
    table = html[end : html.index("</table>", end)]
    for value in ("1,000", "1,050", "1,110", "1,200"):
        assert f'<td class="num">{value}</td>' in table
    for day in ("2026-10-01", "2027-01-15", "2027-02-15", "2027-09-30"):
        assert day in table
    assert "55.0%" in html  # (1110 − 1000) / (1200 − 1000)


def test_kpi_add_with_full_width_numbers_then_measure(
    client: Client, engagement: Engagement, coordinator: User
) -> None:
    _login(client, coordinator)
    url = reverse("engagements_console:kpis", args=[engagement.pk])
    response = client.post(
        url,
        {
            "action": "add",
            "new-name": "受注処理時間",
            "new-unit": "分",
            "new-direction": KpiDirection.DECREASE,
            "new-baseline_value": "３０",
            "new-baseline_on": "2026-10-01",
            "new-target_value": "１０．５",
            "new-target_on": "2027-03-31",
        },
    )
    assert response.status_code == 302
    kpi = Kpi.objects.get(engagement=engagement)
    assert (kpi.baseline_value, kpi.target_value) == (Decimal("30"), Decimal("10.5"))
    response = client.post(
        url,
        {
            "action": "measure",
            "kpi": kpi.pk,
            f"measure-{kpi.pk}-measured_on": "2027-01-10",
            f"measure-{kpi.pk}-value": "１，２００",
        },
    )
    assert response.status_code == 302
    assert kpi.measurements.get().value == Decimal("1200")
    response = client.post(
        url,
        {
            "action": "edit",
            "kpi": kpi.pk,
            f"edit-{kpi.pk}-name": "受注処理時間",
            f"edit-{kpi.pk}-unit": "分",
            f"edit-{kpi.pk}-direction": KpiDirection.DECREASE,
            f"edit-{kpi.pk}-baseline_value": "30",
            f"edit-{kpi.pk}-baseline_on": "2026-10-01",
            f"edit-{kpi.pk}-target_value": "40",
            f"edit-{kpi.pk}-target_on": "2027-03-31",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "目標値は、基準値より良くなる向きに設定してください。" in html
    assert f'id="id_edit-{kpi.pk}-target_value"' in html and 'value="40"' in html
    kpi.refresh_from_db()
    assert kpi.target_value == Decimal("10.5")


def test_kpi_invalid_number_refused_beside_the_field(
    client: Client, engagement: Engagement, coordinator: User
) -> None:
    kpi = KpiFactory.create(engagement=engagement, actor=coordinator, measurements=0)
    _login(client, coordinator)
    url = reverse("engagements_console:kpis", args=[engagement.pk])
    response = client.post(
        url,
        {
            "action": "measure",
            "kpi": kpi.pk,
            f"measure-{kpi.pk}-measured_on": "2027-01-10",
            f"measure-{kpi.pk}-value": "約千",
        },
    )
    assert response.status_code == 400
    assert "数値で入力してください" in response.content.decode()
    assert not KpiMeasurement.objects.exists()


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [("１，２００", "1200"), ("1,200.5", "1200.5"), ("▲３．５", "-3.5"), (" 12 ", "12"), ("−7", "-7")],
)
def test_numbers_as_typed_in_japanese(typed: str, normalized: str) -> None:
    assert normalize_number(typed) == normalized


def test_chart_helpers() -> None:
    assert number_text(Decimal("1200.00")) == "1,200"
    assert number_text(Decimal("12.50")) == "12.5"
    assert value_ticks(1000, 1200) == [1000, 1050, 1100, 1150, 1200]
    ticks = date_ticks(dt.date(2026, 10, 1), dt.date(2027, 9, 30))
    assert ticks[0] == (dt.date(2026, 10, 1), "2026年10月")
    assert [label for _day, label in ticks] == ["2026年10月", "12月", "2027年2月", "4月", "6月", "8月"]
    assert len(ticks) <= 7
    svg = kpi_chart(
        chart_id="c",
        name="在庫<回転>日数",
        unit="日",
        baseline=Point(dt.date(2026, 10, 1), Decimal("45")),
        target=Point(dt.date(2026, 10, 20), Decimal("30")),
        actuals=[],
    )
    assert "在庫&lt;回転&gt;日数" in svg
    assert "実績はまだ測定されていません。" in svg
    assert '<polyline class="chart-actual"' not in svg  # no actuals line yet (the target is a line)
