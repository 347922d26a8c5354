"""Reads about organizations and users."""

from __future__ import annotations

from django.db.models import QuerySet

from ouentai.accounts.choices import CONSOLE_ROLES
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


def organization_for_area(municipality_code: str | None) -> Organization:
    """The organization whose area covers a municipality (most specific area wins: ward, designated
    city, prefecture), or the default organization when none does or the code is unknown."""
    if municipality_code:
        codes = area_codes_for(municipality_code)
        areas = {
            a.code: a for a in OrganizationArea.objects.filter(code__in=codes).select_related("organization")
        }
        for code in codes:
            if code in areas:
                return areas[code].organization
    return organization_default()


def organization_console_users(*, organization: Organization) -> QuerySet[User]:
    """Active users of an organization who work in the console (assignees, notification recipients)."""
    return User.objects.filter(organization=organization, is_active=True, role__in=CONSOLE_ROLES).order_by(
        "name"
    )


def organization_for_portal() -> Organization:
    """The organization whose content (Q&A, news, privacy policy) the public portal shows: the one
    named by OUENTAI_PORTAL_ORGANIZATION, else the deployment's default organization."""
    from django.conf import settings

    slug = settings.OUENTAI_PORTAL_ORGANIZATION
    if slug:
        return Organization.objects.get(slug=slug)
    return organization_default()
