"""Addresses of a case on other apps' pages: the public case page (/cases/<public key>/) and, for staff
of the case's own organization, its console page."""

from __future__ import annotations

import uuid

from django.urls import reverse


def case_public_url(key: uuid.UUID | str) -> str:
    """The public page of a case."""
    return reverse("cases:detail", args=[key])


def case_console_url(*, pk: int, key: uuid.UUID | str, same_organization: bool) -> str:
    """Where staff open a recommended case: their own organization's case in the console, any other
    case on its public page."""
    if same_organization:
        return reverse("cases_console:detail", args=[pk])
    return case_public_url(key)
