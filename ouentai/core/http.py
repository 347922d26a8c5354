"""Small pieces of HTTP every surface shares: responses about one person, PDF responses, reading ids
and keeping the other filters of a list's query string."""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_cache_control

# The largest id a request may name: anything larger is "no such record", never a database error
# (PostgreSQL refuses numbers beyond bigint with an error, not an empty result).
MAX_ID = 2**63 - 1

Response = TypeVar("Response", bound=HttpResponseBase)


def private(response: Response) -> Response:
    """A page or file about one person or company: only their browser may keep it (no shared cache, no
    back-forward store) and search engines must not list it."""
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF shown in the browser's viewer (inline) under ``filename``; private, like every document of
    ours (they name companies and people). Non-ASCII names are sent as RFC 6266 filename*."""
    response = HttpResponse(content, content_type="application/pdf")
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    disposition = f'inline; filename="{ascii_name}"'
    if ascii_name != filename:
        disposition += f"; filename*=UTF-8''{quote(filename)}"
    response["Content-Disposition"] = disposition
    return private(response)


def int_param(value: str | None) -> int:
    """An id or number from a query string or form: 0 (matches nothing) unless it is plain ASCII digits
    within the range of an id. Full-width digits, signs, superscripts and huge numbers are 0."""
    if not value or not value.isascii() or not value.isdigit():
        return 0
    number = int(value)
    return number if number <= MAX_ID else 0


def query_without(query: QueryDict, *names: str) -> str:
    """The query string without ``names`` (typically "page"), for links that keep the other filters."""
    kept = query.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


def render_private(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """``render`` for a page about one person (see ``private``)."""
    return private(render(request, template, context, status=status))
