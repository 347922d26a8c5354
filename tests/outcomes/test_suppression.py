"""Small-cell suppression: for any table of organizations in regions in the country, every cell under the
threshold is hidden, and nothing hidden can be worked out from what is shown by subtracting parts from
totals."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ouentai.outcomes.suppression import Cell, Group, is_small, recoverable, suppress_column

cells_strategy = st.builds(
    lambda contributors, extra: Cell(value=Decimal(contributors + extra), contributors=contributors),
    st.integers(min_value=0, max_value=8),
    st.integers(min_value=0, max_value=5),
)


@st.composite
def tables(draw: st.DrawFn) -> tuple[dict[object, Cell], list[Group[object]], int]:
    threshold = draw(st.integers(min_value=1, max_value=5))
    regions = draw(st.lists(st.lists(cells_strategy, min_size=1, max_size=5), min_size=1, max_size=4))
    cells: dict[object, Cell] = {}
    groups: list[Group[object]] = []
    for r, organizations in enumerate(regions):
        keys = []
        for o, cell in enumerate(organizations):
            cells[("org", r, o)] = cell
            keys.append(("org", r, o))
        cells[("region", r)] = Cell(
            value=sum((c.value for c in organizations), start=Decimal(0)),
            contributors=sum(c.contributors or 0 for c in organizations),
        )
        groups.append(Group(total=("region", r), parts=tuple(keys)))
    region_keys = tuple(("region", r) for r in range(len(regions)))
    cells["country"] = Cell(
        value=sum((cells[k].value for k in region_keys), start=Decimal(0)),
        contributors=sum(cells[k].contributors or 0 for k in region_keys),
    )
    groups.append(Group(total="country", parts=region_keys))
    return cells, groups, threshold


@settings(max_examples=400, deadline=None)
@given(tables())
def test_small_cells_are_hidden_and_cannot_be_recovered(
    table: tuple[dict[object, Cell], list[Group], int],
) -> None:
    cells, groups, threshold = table
    hidden = suppress_column(cells, groups, threshold=threshold)
    assert {key for key, cell in cells.items() if is_small(cell, threshold)} <= hidden
    assert recoverable(cells, groups, hidden) == set()


def test_a_lone_small_cell_takes_the_next_smallest_with_it() -> None:
    cells = {
        "a": Cell(Decimal(2), 2),
        "b": Cell(Decimal(9), 7),
        "c": Cell(Decimal(5), 4),
        "total": Cell(Decimal(16), 13),
    }
    groups = [Group(total="total", parts=("a", "b", "c"))]
    assert suppress_column(cells, groups) == {"a", "c"}


def test_a_region_of_one_organization_hides_its_total_and_the_country_stays_safe() -> None:
    cells = {
        "org1": Cell(Decimal(1), 1),
        "org2": Cell(Decimal(10), 10),
        "org3": Cell(Decimal(20), 20),
        "r1": Cell(Decimal(1), 1),
        "r2": Cell(Decimal(30), 30),
        "country": Cell(Decimal(31), 31),
    }
    groups: list[Group[str]] = [
        Group(total="r1", parts=("org1",)),
        Group(total="r2", parts=("org2", "org3")),
        Group(total="country", parts=("r1", "r2")),
    ]
    hidden = suppress_column(cells, groups)
    assert {"org1", "r1"} <= hidden
    assert recoverable(cells, groups, hidden) == set()


def test_zero_and_large_cells_are_shown() -> None:
    cells = {"a": Cell(Decimal(0), 0), "b": Cell(Decimal(5), 3), "total": Cell(Decimal(5), 3)}
    assert suppress_column(cells, [Group(total="total", parts=("a", "b"))]) == set()
