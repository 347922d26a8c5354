"""Marking the hits of a query in a text, through the same normalization as the search: a query 会計
marks 会計 in the text, a query ｶｲｹｲ marks かいけい, ㈱ミナト marks ミナト in 株式会社ミナト."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ouentai.core.search.normalize import normalize_with_map, query_words


def hit_spans(text: str, query: str) -> list[tuple[int, int]]:
    """The spans of ``text`` (start, end) where a word of ``query`` is found, merged and in order."""
    normalized, origin = normalize_with_map(text)
    spans: list[tuple[int, int]] = []
    for word in query_words(query):
        start = normalized.find(word)
        while start != -1:
            spans.append((origin[start][0], origin[start + len(word) - 1][1]))
            start = normalized.find(word, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, query: str) -> SafeString:
    """``text`` escaped for HTML, with each hit of ``query`` in ``<mark>``."""
    parts: list[str] = []
    position = 0
    for start, end in hit_spans(text, query):
        parts += [escape(text[position:start]), "<mark>", escape(text[start:end]), "</mark>"]
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 -- every piece of the text is escaped above
