"""Showing a stored 1–5 rating the same way on every page and document (ouentai.core.rating)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from ouentai.core import rating as scale

register = template.Library()


@register.filter
def rating(value: Any) -> SafeString:
    """★★★★★ 5 ／ 5（とても良い）, the stars hidden from screen readers; — when there is none."""
    return scale.rating_html(value)


@register.filter
def rating_text(value: Any) -> str:
    """5 ／ 5（とても良い）: for documents and places where no markup fits."""
    return scale.rating_text(value)


@register.filter
def rating_stars(value: Any) -> str:
    return scale.rating_stars(value)


@register.filter
def rating_words(value: Any) -> str:
    """とても良い for 5."""
    return scale.rating_words(value)


@register.filter
def rating_label(value: Any) -> str:
    """5 とても良い: a value of the scale as the forms name it."""
    return scale.rating_label(value)
