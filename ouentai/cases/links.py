"""Addresses of a case on other apps' pages. The public case page (/cases/<public key>/) and the
console's case page are routed by the case library's own URL modules; until those are mounted, the
public address is built from the key, so a link never breaks a page."""

from __future__ import annotations

import uuid

from django.urls import NoReverseMatch, reverse

PUBLIC_CASE_ROUTE = "cases:detail"
CONSOLE_CASE_ROUTE = "cases_console:detail"


def case_public_url(key: uuid.UUID | str) -> str:
    """The public page of a case: ``reverse("cases:detail", key)`` when that route exists, else
    ``/cases/<key>/``, the address the public library serves."""
    try:
        return reverse(PUBLIC_CASE_ROUTE, args=[key])
    except NoReverseMatch:
        return f"/cases/{key}/"


def case_console_url(*, pk: int, key: uuid.UUID | str, same_organization: bool) -> str:
    """Where staff open a recommended case: their own organization's case in the console (when that
    route exists), any other case on its public page."""
    if same_organization:
        try:
            return reverse(CONSOLE_CASE_ROUTE, args=[pk])
        except NoReverseMatch:
            pass
    return case_public_url(key)
