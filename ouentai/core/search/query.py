"""Reads: restrict any queryset to the records whose index entry holds every word of a query, score
them by where the words are, and order by that score.

A word is a hit when the entry's index holds all its tokens (the database's own index: GIN on
PostgreSQL, FTS5 on SQLite) and the entry's normalized text holds the word as one piece (a LIKE on the
few rows the index found, so that 会計事務 never matches 会計 … 事務 apart). Each word scores 4 when it is
in the title, else 2 in the secondary field, else 1 in the body; the score is their sum, computed by
the same SQL on both databases, and ties go to the higher object id: the same hits in the same order on
SQLite and PostgreSQL.

``search_filter`` ranks every hit: right for small sets (a know-how list, an organization's records).
``newest_hits`` bounds the work for a large one (the public case library, an organization's companies):
it takes the newest hits, at most ``limit``, from windows of the newest index entries that grow until
they hold enough hits, so a word found in every tenth of 50,000 cases costs about what it costs in 500;
``rank_hits`` then orders those by score without searching again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import NotSupportedError
from django.db.models import (
    BooleanField,
    Case,
    Expression,
    F,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from ouentai.core.models import SearchEntry
from ouentai.core.search.normalize import query_words
from ouentai.core.search.tokens import word_tokens

M = TypeVar("M", bound=Model)

# Points of a word by the field it is found in (the best one counts).
WEIGHTS = (("title", 4), ("secondary", 2), ("body", 1))
SCORE = "search_score"


class TokensMatch(Expression):
    """True for the entries whose index holds every one of ``tokens`` (compiled per database)."""

    conditional = True

    def __init__(self, tokens: list[str]) -> None:
        super().__init__(output_field=BooleanField())
        self.tokens = tokens
        self.column: Any = F("tokens")
        self.row_id: Any = F("id")

    def get_source_expressions(self) -> list[Any]:
        return [self.column, self.row_id]

    def set_source_expressions(self, exprs: Any) -> None:
        self.column, self.row_id = exprs

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        if connection.vendor == "postgresql":
            column, params = compiler.compile(self.column)
            # The stored tsvector beside the tokens (migration core 0007), under the same table alias.
            stored = column.removesuffix(connection.ops.quote_name("tokens")) + connection.ops.quote_name(
                "tokens_tsv"
            )
            query = " & ".join(f"'{token}'" for token in self.tokens)
            return f"{stored} @@ %s::tsquery", [*params, query]
        if connection.vendor == "sqlite":
            row_id, params = compiler.compile(self.row_id)
            query = " AND ".join(f'"{token}"' for token in self.tokens)
            # The column comes from the compiler and the tokens go as a parameter: nothing typed is in the SQL.
            sql = f"{row_id} IN (SELECT rowid FROM core_searchentry_fts WHERE core_searchentry_fts MATCH %s)"  # noqa: S608
            return sql, [*params, query]
        raise NotSupportedError("core.search needs PostgreSQL or SQLite")


def _word_score(word: str) -> Case:
    return Case(
        *[When(**{f"{field}__contains": word}, then=Value(points)) for field, points in WEIGHTS],
        default=Value(0),
        output_field=IntegerField(),
    )


def entries_matching(*, kind: str, words: list[str]) -> QuerySet[SearchEntry]:
    """The entries of ``kind`` that hold every word (normalized words: query_words), with their score."""
    tokens = sorted({token for word in words for token in word_tokens(word)})
    entries = SearchEntry.objects.filter(TokensMatch(tokens), kind=kind)
    for word in words:
        entries = entries.filter(
            Q(title__contains=word) | Q(secondary__contains=word) | Q(body__contains=word)
        )
    return entries


def search_filter(queryset: QuerySet[M], *, kind: str, query: str) -> QuerySet[M]:
    """``queryset`` (records of ``kind``, by primary key) restricted to the hits of ``query``, annotated
    with ``search_score`` and ordered by it, highest first, then by primary key, highest first. It stays
    a queryset: further filters, counts, facets and pagination compose with it (a later order_by replaces
    the ranking). A query with no words left after normalization (blank, or only 株式会社) restricts
    nothing and scores every record 0."""
    words = query_words(query)
    if not words:
        return queryset.annotate(**{SCORE: Value(0, output_field=IntegerField())})
    hits = entries_matching(kind=kind, words=words)
    return _scored(queryset.filter(pk__in=hits.values("object_id")), kind=kind, words=words)


def search_restrict(queryset: QuerySet[M], *, kind: str, query: str) -> QuerySet[M]:
    """``queryset`` restricted to every hit of ``query``, in its own order, not scored (an export, a
    mailing segment: every match counts, none ranks). A query with no words restricts nothing."""
    words = query_words(query)
    if not words:
        return queryset
    return queryset.filter(pk__in=entries_matching(kind=kind, words=words).values("object_id"))


def _scored(queryset: QuerySet[M], *, kind: str, words: list[str]) -> QuerySet[M]:
    score = sum((_word_score(word) for word in words[1:]), _word_score(words[0]))
    scored = SearchEntry.objects.filter(kind=kind, object_id=OuterRef("pk")).annotate(points=score)
    return queryset.annotate(
        **{SCORE: Subquery(scored.values("points")[:1], output_field=IntegerField())}
    ).order_by(f"-{SCORE}", "-pk")


# The first window of newest entries holds this many times ``limit`` entries (a word in one record in
# thirty fills it); a next one is sized from the share of hits the last one held (a quarter more than
# needed), or this many times larger when it held none.
WINDOW_START = 32
WINDOW_GROWTH = 8


@dataclass(frozen=True)
class NewestHits:
    """The newest hits of a query (highest primary key first), at most the limit asked for."""

    ids: tuple[int, ...]
    complete: bool  # True: these are all the hits; False: there are more, older ones


def newest_hits(
    queryset: QuerySet[M], *, kind: str, query: str, limit: int, organization_id: int | None = None
) -> NewestHits | None:
    """The records of ``queryset`` (records of ``kind``, by primary key) that are hits of ``query``:
    the ``limit`` newest, and whether that is all of them. None when the query has no words (blank, or
    only 株式会社): nothing to search. ``organization_id``, when the records are one organization's,
    keeps the windows to that organization's entries.

    The work is bounded by ``limit``, not by the number of hits. Each window is the newest entries of
    ``kind`` (a range of the (kind, organization, object id) index, combined with the token index by the
    database); the search stops at the first window that holds more than ``limit`` hits, which are then
    the newest ones overall (every record outside the window is older). A common word ends in the first
    window. When the first window holds too few, the index is asked once for at most ``limit`` + 1
    entries that hold the words, in any order: a rare word (a company's name, a phone number) ends there
    with every hit; otherwise the next window is sized from the share of hits the last one held."""
    words = query_words(query)
    if not words:
        return None
    entries = entries_matching(kind=kind, words=words)
    newest = SearchEntry.objects.filter(kind=kind)
    if organization_id is not None:
        entries = entries.filter(organization_id=organization_id)
        newest = newest.filter(organization_id=organization_id)
    window, asked = limit * WINDOW_START, False
    while True:
        edge = newest.order_by("-object_id").values_list("object_id", flat=True)
        lowest = next(iter(edge[window - 1 : window]), None)
        scoped, found = queryset, entries
        if lowest is not None:
            scoped, found = queryset.filter(pk__gte=lowest), entries.filter(object_id__gte=lowest)
        hits = tuple(
            scoped.filter(pk__in=found.values("object_id"))
            .order_by("-pk")
            .values_list("pk", flat=True)[: limit + 1]
        )
        if len(hits) > limit:
            return NewestHits(hits[:limit], complete=False)
        if lowest is None:
            return NewestHits(hits, complete=True)
        if not asked:
            asked = True
            few = list(entries.values_list("object_id", flat=True)[: limit + 1])
            if len(few) <= limit:
                ids = queryset.filter(pk__in=few).order_by("-pk").values_list("pk", flat=True)
                return NewestHits(tuple(ids), complete=True)
        if hits:
            window = max(window * 5 // 4, window * (limit + 1) * 5 // (4 * len(hits))) + 1
        else:
            window *= WINDOW_GROWTH


def rank_hits(queryset: QuerySet[M], *, kind: str, query: str) -> QuerySet[M]:
    """``queryset``, already restricted to hits of ``query`` (``newest_hits``), annotated with
    ``search_score`` and ordered by it as ``search_filter`` orders: the score is read from each record's
    own entry, the index is not searched again."""
    words = query_words(query)
    if not words:
        return queryset.annotate(**{SCORE: Value(0, output_field=IntegerField())})
    return _scored(queryset, kind=kind, words=words)
