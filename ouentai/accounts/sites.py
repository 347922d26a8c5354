"""Which public site a request is on: the program-wide pages (``site_org`` None) or one implementing
organization's pages (/o/<slug>/, or the root of its own host name), and the path of a page of that site.
Used by every public view (portal, events, diagnosis, member area) and by the templates' links."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse

from ouentai.accounts.addresses import organization_path
from ouentai.accounts.models import Organization
from ouentai.accounts.selectors import organization_public_get

# A page of the public site → its name among the program-wide pages (on an organization's site the
# same page is "org:<name>").
PROGRAM_PAGES = {
    "find": "portal:find",
    "home": "portal:home",
    "faq": "portal:faq",
    "news_list": "portal:news_list",
    "news_detail": "portal:news_detail",
    "privacy": "portal:privacy",
    "apply": "portal:apply",
    "apply_done": "portal:apply_done",
    "contact": "portal:contact",
    "contact_done": "portal:contact_done",
    "events": "events:list",
    "events_feed": "events:feed",
    "diagnosis": "diagnosis:form",
    "diagnosis_result": "diagnosis:result",
    "cases": "cases:list",
}


def site_use(request: HttpRequest, organization: Organization | None) -> None:
    """Show this request's pages in ``organization``'s name (header, footer, links), or the program's."""
    request.site_org = organization  # type: ignore[attr-defined]


def site_enter(request: HttpRequest, slug: str | None) -> Organization | None:
    """The organization whose pages a view serves (``slug`` from /o/<slug>/; an unknown one, or one that
    is not an implementing organization, is a 404), or None on the program-wide pages; the request's
    pages are then in its name."""
    organization = None
    if slug is not None:
        organization = organization_public_get(slug)
        if organization is None:
            raise Http404
    site_use(request, organization)
    return organization


def site_reverse(request: Any, site_org: Organization | None, name: str, **kwargs: Any) -> str:
    """The path of page ``name`` on the program-wide site (``site_org`` None) or on the organization's
    (without the /o/<slug> prefix on its own host name)."""
    if site_org is None:
        return reverse(PROGRAM_PAGES[name], kwargs=kwargs or None)
    on_own_host = getattr(request, "host_organization_slug", None) == site_org.slug
    return organization_path(site_org.slug, name, on_own_host=on_own_host, **kwargs)
