"""Japanese search for every app: one normalizer, one index (core.models.SearchEntry), one query.

The interface other apps call:
- ``index_put(kind=…, object_id=…, organization_id=…, title=…, secondary=…, body=…)`` (or
  ``index_document(kind=…, document=SearchDocument(…))``) in the service that writes the record;
  ``index_remove`` / ``index_remove_many`` in the one that deletes it;
- ``search_filter(queryset, kind=…, query=…)`` in a selector: the queryset restricted to the hits,
  annotated with ``search_score`` and ordered by it; for a large set, ``newest_hits`` (the newest hits,
  at most a limit, with bounded work) and ``rank_hits`` (those ordered by score); ``search_restrict``
  for every hit unranked (an export);
- ``highlight(text, query)`` in a page: the hits in ``<mark>``;
- ``register_kind(kind, documents)`` in AppConfig.ready(), so that ``manage.py search_reindex`` can
  rebuild the kind.
docs/decisions/0008-japanese-search.md says why it is built this way.
"""

from ouentai.core.search.highlight import highlight
from ouentai.core.search.index import (
    SearchDocument,
    entry_fields,
    index_document,
    index_put,
    index_remove,
    index_remove_many,
    index_replace_kind,
)
from ouentai.core.search.query import NewestHits, newest_hits, rank_hits, search_filter, search_restrict
from ouentai.core.search.registry import register_kind, registered_kinds

__all__ = [
    "NewestHits",
    "SearchDocument",
    "entry_fields",
    "highlight",
    "index_document",
    "index_put",
    "index_remove",
    "index_remove_many",
    "index_replace_kind",
    "newest_hits",
    "rank_hits",
    "register_kind",
    "registered_kinds",
    "search_filter",
    "search_restrict",
]
