"""What the three surfaces share: the list page's rows with the hits marked, and file downloads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpRequest
from django.utils.safestring import SafeString

from ouentai.core.http import private, query_without
from ouentai.core.search import highlight
from ouentai.knowhow.forms import ItemFilterForm
from ouentai.knowhow.models import Item, ItemFile
from ouentai.knowhow.selectors import ItemFilters

ITEMS_PER_PAGE = 20
SUMMARY_CHARS = 160


@dataclass(frozen=True)
class Row:
    item: Item
    title: SafeString
    summary: SafeString


def _short(text: str) -> str:
    return text if len(text) <= SUMMARY_CHARS else text[:SUMMARY_CHARS] + "…"


def list_context(request: HttpRequest, form: ItemFilterForm, items: Any) -> dict[str, Any]:
    """A page of ``items`` as rows with the search words marked, and what the list template needs."""
    filters: ItemFilters = form.filters()
    page: Page[Item] = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        Row(
            item=item,
            title=highlight(item.title, filters.q),
            summary=highlight(_short(item.summary), filters.q),
        )
        for item in page
    ]
    return {
        "filter_form": form,
        "page": page,
        "rows": rows,
        "total": page.paginator.count,
        "searching": bool(filters.q.strip()),
        "query": query_without(request.GET, "page"),
    }


def file_download(version: ItemFile | None, *, keep_private: bool = True) -> FileResponse:
    """A version of an item's file as a download under its own name (never shown inline)."""
    if version is None:
        raise Http404
    try:
        handle = version.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=version.name)
    response["X-Content-Type-Options"] = "nosniff"
    return private(response) if keep_private else response
