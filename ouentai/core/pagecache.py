"""Versions of the cached public pages, one per site: the program-wide pages and each organization's.

A cached page is stored with the version of its site; a change to what a site shows bumps that version
once its transaction commits, so the next visitor gets a freshly built page at once. The program-wide
pages list every organization, so any change bumps their version too."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

PROGRAM_SITE = "program"


def page_version_key(site: str) -> str:
    """The cache key of a site's version: ``site`` is PROGRAM_SITE or an organization's slug."""
    return f"pages:version:{site}"


def page_version(site: str) -> int:
    """The current version of a site's pages (1 until something changes)."""
    key = page_version_key(site)
    version = cache.get(key)
    if version is None:
        version = 1
        cache.add(key, version, None)
    return int(version)


def pages_changed(*, organization_slug: str | None) -> None:
    """What an organization's pages show changed (its content, name, areas or host): its cached pages
    and the program-wide ones are rebuilt after the transaction commits."""
    sites = [PROGRAM_SITE] + ([organization_slug] if organization_slug else [])

    def bump() -> None:
        for site in sites:
            try:
                cache.incr(page_version_key(site))
            except ValueError:
                cache.set(page_version_key(site), 2, None)

    transaction.on_commit(bump)
