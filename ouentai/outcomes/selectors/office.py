"""What the program office sees: the yearly facts of every implementing organization, summed by region
(経済産業局) and for the country, with every cell that rests on fewer than the threshold of companies
(or people) hidden, and its complements (ouentai.outcomes.suppression). Only numbers leave here: the
names of implementing organizations (public bodies) and regions, never a company, person or record.

The same hidden cells are used by every page and the open-data file, so that no two outputs together
reveal what one of them hides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Max, Prefetch
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.choices import OrganizationKind
from ouentai.accounts.models import Organization, OrganizationArea
from ouentai.core.calendar import fiscal_year_text
from ouentai.outcomes.indicators import indicator_label
from ouentai.outcomes.models import Indicator, OutcomeFact
from ouentai.outcomes.regions import NAMES, ORDER, region_of
from ouentai.outcomes.suppression import Cell, Group, suppress_column

Key = tuple[str, object]  # ("org", pk), ("region", key) or ("country", "")
COUNTRY: Key = ("country", "")
KIND_LABELS = {"organization": _("実施機関"), "region": _("地域計"), "country": _("全国計")}


def suppression_threshold() -> int:
    return int(getattr(settings, "OUENTAI_SUPPRESSION_THRESHOLD", 3))


@dataclass(frozen=True)
class Unit:
    """An implementing organization as the office sees it: its name and region."""

    pk: int
    name: str
    region: str


@dataclass(frozen=True)
class Shown:
    value: Decimal | None  # None: hidden (or not counted)
    missing: bool = False  # the year has not been counted at all

    @property
    def hidden(self) -> bool:
        return self.value is None and not self.missing


@dataclass
class Row:
    kind: str  # organization, region, country
    name: str
    region: str
    cells: list[Shown] = field(default_factory=list)


@dataclass(frozen=True)
class Comparison:
    year: int
    label: str
    indicators: list[Indicator]
    rows: list[Row]
    threshold: int
    refreshed_at: dt.datetime | None

    @property
    def hidden_count(self) -> int:
        return sum(cell.hidden for row in self.rows for cell in row.cells)


def implementing_units() -> list[Unit]:
    """Every implementing organization with its region (two queries)."""
    organizations = Organization.objects.filter(kind=OrganizationKind.IMPLEMENTING).prefetch_related(
        Prefetch("areas", queryset=OrganizationArea.objects.order_by("code"))
    )
    units = []
    for organization in organizations.order_by("name", "pk"):
        areas = list(organization.areas.all())
        units.append(Unit(organization.pk, organization.name, region_of(areas[0].code if areas else None)))
    return units


def _groups(units: list[Unit]) -> tuple[list[Group[Key]], list[str]]:
    regions = [region for region in ORDER if any(unit.region == region for unit in units)]
    groups: list[Group[Key]] = [
        Group(total=("region", region), parts=tuple(("org", u.pk) for u in units if u.region == region))
        for region in regions
    ]
    groups.append(Group(total=COUNTRY, parts=tuple(("region", region) for region in regions)))
    return groups, regions


def _cells(
    facts: dict[tuple[int, int], tuple[Decimal, int | None]], indicator: Indicator, units: list[Unit]
) -> dict[Key, Cell]:
    cells: dict[Key, Cell] = {}
    for unit in units:
        value, contributors = facts.get((unit.pk, indicator.pk), (Decimal(0), 0))
        cells[("org", unit.pk)] = Cell(value=value, contributors=contributors)
    for region in {unit.region for unit in units}:
        parts = [cells[("org", unit.pk)] for unit in units if unit.region == region]
        cells[("region", region)] = _sum(parts)
    regions = [cell for key, cell in cells.items() if key[0] == "region"]
    cells[COUNTRY] = _sum(regions)
    return cells


def _sum(parts: list[Cell]) -> Cell:
    counts = [part.contributors for part in parts]
    return Cell(
        value=sum((part.value for part in parts), start=Decimal(0)),
        contributors=None if counts and all(c is None for c in counts) else sum(c or 0 for c in counts),
    )


@dataclass(frozen=True)
class YearTable:
    """Every cell of a year (indicator → key → cell) and the keys hidden in each indicator's column."""

    cells: dict[int, dict[Key, Cell]]
    hidden: dict[int, set[Key]]
    refreshed_at: dt.datetime | None

    def shown(self, indicator: Indicator, key: Key) -> Shown:
        if self.refreshed_at is None:
            return Shown(None, missing=True)
        if key in self.hidden[indicator.pk]:
            return Shown(None)
        return Shown(self.cells[indicator.pk][key].value)


def year_table(*, year: int, units: list[Unit], indicators: list[Indicator], threshold: int) -> YearTable:
    """One year's facts, summed and suppressed (one query)."""
    rows = OutcomeFact.objects.filter(
        fiscal_year=year, organization_id__in=[unit.pk for unit in units], indicator__in=indicators
    ).values_list("organization_id", "indicator_id", "value", "contributors", "refreshed_at")
    facts: dict[tuple[int, int], tuple[Decimal, int | None]] = {}
    refreshed: list[dt.datetime] = []
    for organization_id, indicator_id, value, contributors, refreshed_at in rows:
        facts[(organization_id, indicator_id)] = (value, contributors)
        refreshed.append(refreshed_at)
    groups, _regions = _groups(units)
    cells = {indicator.pk: _cells(facts, indicator, units) for indicator in indicators}
    hidden = {pk: suppress_column(column, groups, threshold=threshold) for pk, column in cells.items()}
    return YearTable(cells=cells, hidden=hidden, refreshed_at=min(refreshed) if refreshed else None)


def office_indicators() -> list[Indicator]:
    return list(Indicator.objects.filter(active=True).order_by("position", "pk"))


def office_comparison(*, year: int) -> Comparison:
    """The year's comparison table: each region's organizations, the region's total, the country's."""
    units = implementing_units()
    indicators = office_indicators()
    threshold = suppression_threshold()
    table = year_table(year=year, units=units, indicators=indicators, threshold=threshold)
    regions = _groups(units)[1]
    rows = []
    for region in regions:
        for unit in (u for u in units if u.region == region):
            rows.append(
                Row(
                    "organization",
                    unit.name,
                    str(NAMES[region]),
                    [table.shown(i, ("org", unit.pk)) for i in indicators],
                )
            )
        rows.append(
            Row(
                "region",
                str(NAMES[region]),
                str(NAMES[region]),
                [table.shown(i, ("region", region)) for i in indicators],
            )
        )
    rows.append(Row("country", "", "", [table.shown(i, COUNTRY) for i in indicators]))
    return Comparison(
        year=year,
        label=fiscal_year_text(year),
        indicators=indicators,
        rows=rows,
        threshold=threshold,
        refreshed_at=table.refreshed_at,
    )


@dataclass(frozen=True)
class Trend:
    indicator: Indicator
    years: list[int]
    rows: list[Row]  # regions and the country, one cell per year


def office_trends(*, indicator: Indicator, years: list[int]) -> Trend:
    """An indicator over several years by region and for the country, each year suppressed exactly as
    its comparison table is (one query per year)."""
    units = implementing_units()
    indicators = office_indicators()
    threshold = suppression_threshold()
    tables = {
        year: year_table(year=year, units=units, indicators=indicators, threshold=threshold) for year in years
    }
    regions = _groups(units)[1]
    rows = [
        Row(
            "region",
            str(NAMES[region]),
            str(NAMES[region]),
            [tables[y].shown(indicator, ("region", region)) for y in years],
        )
        for region in regions
    ]
    rows.append(Row("country", "", "", [tables[y].shown(indicator, COUNTRY) for y in years]))
    return Trend(indicator=indicator, years=years, rows=rows)


def open_data_rows(*, year: int) -> Iterator[list[object]]:
    """The comparison as open data: one line per organization, region or country and indicator, the
    hidden values written as X."""
    comparison = office_comparison(year=year)
    for row in comparison.rows:
        for indicator, cell in zip(comparison.indicators, row.cells, strict=True):
            yield [
                year,
                comparison.label,
                str(KIND_LABELS[row.kind]),
                row.region,
                row.name,
                indicator.key,
                indicator_label(indicator),
                "" if cell.missing else "X" if cell.value is None else format(cell.value.normalize(), "f"),
                indicator.get_unit_display(),
            ]


def facts_refreshed_at() -> dt.datetime | None:
    return OutcomeFact.objects.aggregate(at=Max("refreshed_at"))["at"]
