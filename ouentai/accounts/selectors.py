"""Reads about organizations and users."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet

from ouentai.accounts.choices import CONSOLE_ROLES, OrganizationKind
from ouentai.accounts.hosts import HOSTS_CACHE_KEY, HOSTS_CACHE_SECONDS
from ouentai.accounts.models import Organization, OrganizationArea, User
from ouentai.core.jp import area_codes_for


def organization_default() -> Organization:
    """The deployment's default organization (marked is_default, else the portal's organization);
    raises Organization.DoesNotExist while none is set up (`manage.py create_organization`)."""
    from django.conf import settings

    found = Organization.objects.filter(is_default=True).first()
    if found is None and settings.OUENTAI_PORTAL_ORGANIZATION:
        found = Organization.objects.filter(slug=settings.OUENTAI_PORTAL_ORGANIZATION).first()
    if found is None:
        raise Organization.DoesNotExist("no default organization: run manage.py create_organization")
    return found


def organization_covering(municipality_code: str | None) -> Organization | None:
    """The organization whose area covers a municipality (most specific area wins: ward, designated
    city, prefecture), or None when no organization's area does or the code is unknown."""
    if municipality_code:
        codes = area_codes_for(municipality_code)
        areas = {
            a.code: a for a in OrganizationArea.objects.filter(code__in=codes).select_related("organization")
        }
        for code in codes:
            if code in areas:
                return areas[code].organization
    return None


def organization_for_area(municipality_code: str | None) -> Organization:
    """The organization whose area covers a municipality, or the default organization when none does
    or the code is unknown."""
    return organization_covering(municipality_code) or organization_default()


def organization_console_users(*, organization: Organization) -> QuerySet[User]:
    """Active users of an organization who work in the console (assignees, notification recipients)."""
    return User.objects.filter(organization=organization, is_active=True, role__in=CONSOLE_ROLES).order_by(
        "name"
    )


def organization_for_portal() -> Organization:
    """The organization that speaks for the whole program on the program-wide pages at / (its entries
    marked program-wide are the program's Q&A and news; its privacy policy is the one consented to on
    the program-wide forms): the one named by OUENTAI_PORTAL_ORGANIZATION, else the deployment's
    default organization. Raises Organization.DoesNotExist while there is none."""
    from django.conf import settings

    slug = settings.OUENTAI_PORTAL_ORGANIZATION
    if slug:
        return Organization.objects.get(slug=slug)
    return organization_default()


def organization_public_get(slug: str) -> Organization | None:
    """The implementing organization whose public pages live under /o/<slug>/, or None."""
    return Organization.objects.filter(slug=slug, kind=OrganizationKind.IMPLEMENTING).first()


def organization_public_list() -> QuerySet[Organization]:
    """The implementing organizations with the areas they cover, for the program-wide pages."""
    return (
        Organization.objects.filter(kind=OrganizationKind.IMPLEMENTING)
        .prefetch_related("areas")
        .order_by("-is_default", "name")
    )


def organization_slug_for_host(host: str) -> str | None:
    """The slug of the organization whose own host name ``host`` is (already validated against
    ALLOWED_HOSTS by the request), or None. The mapping of every host name is cached, so that ordinary
    requests cost no query."""
    hosts: dict[str, str] | None = cache.get(HOSTS_CACHE_KEY)
    if hosts is None:
        hosts = dict(
            Organization.objects.exclude(public_host="")
            .filter(kind=OrganizationKind.IMPLEMENTING)
            .values_list("public_host", "slug")
        )
        cache.set(HOSTS_CACHE_KEY, hosts, HOSTS_CACHE_SECONDS)
    return hosts.get(host.lower())
