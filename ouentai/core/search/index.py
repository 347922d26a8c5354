"""Writes to the search index: one entry per (kind, object id), replaced whole each time."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from ouentai.core.models import SearchEntry
from ouentai.core.search.normalize import normalize
from ouentai.core.search.tokens import document_tokens


@dataclass(frozen=True)
class SearchDocument:
    """What one record gives the index. Each field may hold several values, one per line (a company's
    name and its フリガナ; its contacts' names): a match never spans two values. ``title`` ranks above
    ``secondary`` (a case's challenge, a company's contacts) above ``body``."""

    object_id: int
    organization_id: int | None
    title: str
    secondary: str = ""
    body: str = ""


def _field(text: str) -> list[str]:
    return [value for value in (normalize(line) for line in text.splitlines()) if value]


def entry_fields(kind: str, document: SearchDocument) -> dict[str, Any]:
    """The columns of ``document``'s SearchEntry (for writers that hold their own model class, such as
    data migrations)."""
    fields = [_field(document.title), _field(document.secondary), _field(document.body)]
    return {
        "kind": kind,
        "object_id": document.object_id,
        "organization_id": document.organization_id,
        "title": "\n".join(fields[0]),
        "secondary": "\n".join(fields[1]),
        "body": "\n".join(fields[2]),
        "tokens": " ".join(document_tokens(value for values in fields for value in values)),
    }


def index_put(
    *, kind: str, object_id: int, organization_id: int | None, title: str, secondary: str = "", body: str = ""
) -> None:
    """Index (or re-index) one record of ``kind``; its previous entry is replaced. Call it in the
    service that writes the record, inside its transaction, so that the index changes with the data."""
    index_document(kind=kind, document=SearchDocument(object_id, organization_id, title, secondary, body))


def index_document(*, kind: str, document: SearchDocument) -> None:
    """``index_put`` for a record whose app already describes it as a SearchDocument (the same
    description its rebuild source gives ``search_reindex``)."""
    # One statement (INSERT … ON CONFLICT DO UPDATE on both databases; SQLite's update trigger keeps
    # its FTS table in step): services index on every write, imports once per row.
    SearchEntry.objects.bulk_create(
        [SearchEntry(**entry_fields(kind, document))],
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=["organization_id", "title", "secondary", "body", "tokens"],
    )


def index_remove(*, kind: str, object_id: int) -> None:
    """Take one record out of the index (nothing happens when it is not there)."""
    SearchEntry.objects.filter(kind=kind, object_id=object_id).delete()


def index_remove_many(*, kind: str, object_ids: Iterable[int]) -> int:
    """Take many records of ``kind`` out of the index; returns how many entries went."""
    deleted, _ = SearchEntry.objects.filter(kind=kind, object_id__in=list(object_ids)).delete()
    return deleted


def index_replace_kind(
    *,
    kind: str,
    documents: Iterable[SearchDocument],
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Rebuild every entry of ``kind`` from ``documents`` in one transaction (searches see the old
    entries until it commits). ``progress``, if given, is called with the count after each batch.
    Returns the number of entries written."""
    written = 0
    with transaction.atomic():
        SearchEntry.objects.filter(kind=kind).delete()
        batch: list[SearchEntry] = []
        for document in documents:
            batch.append(SearchEntry(**entry_fields(kind, document)))
            if len(batch) >= batch_size:
                SearchEntry.objects.bulk_create(batch)
                written += len(batch)
                batch = []
                if progress is not None:
                    progress(written)
        if batch:
            SearchEntry.objects.bulk_create(batch)
            written += len(batch)
            if progress is not None:
                progress(written)
    return written
