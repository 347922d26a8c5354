"""Which kinds of record are searchable, and how to rebuild their entries. An app registers its kinds
in its AppConfig.ready() (core imports no app); ``manage.py search_reindex`` rebuilds from here."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ouentai.core.search.index import SearchDocument


@dataclass(frozen=True)
class SearchKind:
    """``documents()`` yields the current document of every record of the kind (it should read in
    chunks: it may be called with millions of records)."""

    kind: str
    documents: Callable[[], Iterable[SearchDocument]]


_KINDS: dict[str, SearchKind] = {}


def register_kind(kind: str, documents: Callable[[], Iterable[SearchDocument]]) -> None:
    """Make ``kind`` rebuildable (registering it again replaces the source)."""
    _KINDS[kind] = SearchKind(kind, documents)


def registered_kinds() -> dict[str, SearchKind]:
    return dict(_KINDS)
