"""Links to the public pages of the organization a page or a mail speaks for.

``{% site_url "faq" %}`` is the Q&A of the site the visitor is on: the organization's own pages when the
view set ``site_org`` (its /o/<slug>/ path, or the bare path on the organization's own host name), the
program-wide pages otherwise. ``{{ organization|public_url:"faq" }}`` is an absolute address for mails."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from ouentai.accounts.addresses import (
    NAMESPACE,
    organization_path,
    organization_public_url,
    site_base_url,
)
from ouentai.accounts.models import Organization
from ouentai.accounts.sites import PROGRAM_PAGES, site_reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def site_url(context: template.Context, name: str, **kwargs: Any) -> str:
    return site_reverse(context.get("request"), context.get("site_org"), name, **kwargs)


@register.simple_tag(takes_context=True)
def program_url(context: template.Context, name: str, **kwargs: Any) -> str:
    """A program-wide page; from an organization's own host name (where / is that organization's home)
    the absolute address on the deployment's own."""
    path = reverse(PROGRAM_PAGES.get(name, name), kwargs=kwargs or None)
    if getattr(context.get("request"), "host_organization_slug", None):
        return site_base_url() + path
    return path


@register.simple_tag(takes_context=True)
def site_current(context: template.Context, *names: str) -> SafeString:
    """「 aria-current="page"」 when the page shown is one of ``names`` of the current site."""
    match = getattr(context.get("request"), "resolver_match", None)
    if match is None:
        return mark_safe("")
    site_org = context.get("site_org")
    for name in names:
        view_name = f"{NAMESPACE}:{name}" if site_org is not None else PROGRAM_PAGES[name]
        if match.view_name == view_name:
            return mark_safe(' aria-current="page"')
    return mark_safe("")


@register.filter
def public_url(organization: Organization, name: str = "home") -> str:
    """The absolute address of one of the organization's public pages."""
    return organization_public_url(organization, name)


@register.simple_tag
def organization_page(organization: Organization, name: str = "home", **kwargs: Any) -> str:
    """A link from another part of the site (the console, the member area) to one of the organization's
    public pages: a path on this site, or the absolute address on the organization's own host name."""
    if organization.public_host:
        return organization_public_url(organization, name, **kwargs)
    return organization_path(organization.slug, name, **kwargs)
