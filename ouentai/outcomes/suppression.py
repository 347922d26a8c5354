"""Small-cell suppression (秘匿) of the aggregates the program office sees, as official statistics do:
a number that rests on fewer than ``threshold`` companies (or people) is not shown, so that nobody can
tell what one company did. Suppressing a cell is not enough when a total is shown beside it: the total
minus the other cells would give it back. So, column by column, every group whose total is shown must
hide either none of its parts or at least two (complementary suppression: the next smallest part is
hidden too), and a total that would equal a hidden part (a group of one) is hidden with it. Groups nest
(organizations in a region, regions in the country); the rule is applied until nothing changes.

Pure functions: no database, so the rules are tested exhaustively with hypothesis."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

DEFAULT_THRESHOLD = 3
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Cell:
    value: Decimal
    contributors: int | None  # distinct companies (or people) behind the value; None: about neither


@dataclass(frozen=True)
class Group(Generic[K]):
    """A total and the keys of its parts (parts may themselves be the totals of smaller groups)."""

    total: K
    parts: tuple[K, ...]


def is_small(cell: Cell, threshold: int) -> bool:
    return cell.contributors is not None and 0 < cell.contributors < threshold


def _least(keys: list[K], cells: Mapping[K, Cell]) -> K:
    return min(keys, key=lambda key: (cells[key].contributors or 0, cells[key].value, keys.index(key)))


def suppress_column(
    cells: Mapping[K, Cell], groups: Sequence[Group[K]], *, threshold: int = DEFAULT_THRESHOLD
) -> set[K]:
    """The keys of the cells of one column to hide: every small cell, then complements until each shown
    total hides none or at least two of its parts, and no hidden part equals its total alone.

    A complement is the part with the fewest contributors (then the smallest value, then the first in
    order) among those still shown: it costs the least information."""
    hidden = {key for key, cell in cells.items() if is_small(cell, threshold)}
    changed = True
    while changed:
        changed = False
        for group in groups:
            parts = [part for part in group.parts if part in cells]
            hidden_parts = [part for part in parts if part in hidden]
            if not hidden_parts:
                if group.total in hidden and parts:
                    # A hidden total whose parts are all shown is their sum: hide one part too.
                    hidden.add(_least(parts, cells))
                    changed = True
                continue
            if group.total not in hidden and len(parts) == 1:
                hidden.add(group.total)  # the total of one part is that part
                changed = True
                continue
            if group.total in hidden or len(hidden_parts) >= 2:
                continue
            shown = [part for part in parts if part not in hidden]
            if not shown:
                continue
            hidden.add(_least(shown, cells))
            changed = True
    return hidden


def recoverable(cells: Mapping[K, Cell], groups: Sequence[Group[K]], hidden: set[K]) -> set[K]:
    """The hidden cells someone could work out from what is shown, by subtracting shown parts from
    shown totals, repeatedly (what suppression must prevent; used by the tests)."""
    known = {key for key in cells if key not in hidden}
    changed = True
    while changed:
        changed = False
        for group in groups:
            parts = [part for part in group.parts if part in cells]
            unknown = [part for part in parts if part not in known]
            if group.total in known and len(unknown) == 1:
                known.add(unknown[0])
                changed = True
            elif group.total not in known and group.total in cells and not unknown:
                known.add(group.total)
                changed = True
    return {key for key in hidden if key in known}
