"""Where an organization's public pages are: a path under /o/<slug>/ on the deployment's address, or the
root of the organization's own host name when it has one. Used for links in pages and in mails."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from ouentai.accounts.models import Organization

# The URL namespace of an organization's public pages (mounted at /o/<slug:org>/ in config.urls).
NAMESPACE = "org"


def site_base_url() -> str:
    """The deployment's public address without a trailing slash (OUENTAI_PUBLIC_BASE_URL)."""
    return str(settings.OUENTAI_PUBLIC_BASE_URL).rstrip("/")


def organization_prefix(slug: str) -> str:
    """「/o/kawasaki/」: where the organization's pages live on the deployment's address."""
    return reverse(f"{NAMESPACE}:home", kwargs={"org": slug})


def organization_path(slug: str, name: str = "home", *, on_own_host: bool = False, **kwargs: Any) -> str:
    """The path of one of the organization's pages; on the organization's own host name the /o/<slug>
    prefix is left out (the host middleware puts it back)."""
    path = reverse(f"{NAMESPACE}:{name}", kwargs={"org": slug, **kwargs})
    if on_own_host:
        prefix = organization_prefix(slug)
        if path.startswith(prefix):
            return "/" + path[len(prefix) :]
    return path


def organization_base_url(organization: Organization) -> str:
    """The address the organization's pages are served from: its own host name (with the scheme and
    port of the deployment's address) or the deployment's address."""
    base = site_base_url()
    if not organization.public_host:
        return base
    parts = urlsplit(base)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme or 'https'}://{organization.public_host}{port}"


def organization_public_url(organization: Organization, name: str = "home", **kwargs: Any) -> str:
    """The absolute address of one of the organization's public pages (for mails and documents)."""
    path = organization_path(organization.slug, name, on_own_host=bool(organization.public_host), **kwargs)
    return organization_base_url(organization) + path
