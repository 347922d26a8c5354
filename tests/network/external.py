"""Shared by the tests of the pages outside the console (partner, expert, member): records to file
and the lists of URLs each role may or may not open (their fixtures are in conftest.py)."""

from __future__ import annotations

import re
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ouentai.accounts.models import Organization, User
from ouentai.community import services as community
from ouentai.community.models import Company
from ouentai.network import services
from ouentai.network.models import (
    DispatchRequest,
    DispatchScheme,
    Expert,
)

CONTACT_EMAIL = "tanto.minato@minato-seiki.example.jp"
CONTACT_NAME = "港 担当子"
CONTACT_PHONE = "090-1234-5678"
OTHER_COMPANY = "株式会社よこはま印刷"


# --- helpers and fixtures -----------------------------------------------------------------------------


def file_request(
    organization: Organization,
    company: Company,
    scheme: DispatchScheme,
    actor: User,
    *,
    visits: int = 2,
    theme: str = "it",
    submit: bool = True,
    expert: Expert | None = None,
) -> DispatchRequest:
    request = services.dispatch_create(
        organization=organization,
        company=company,
        data=services.DispatchData(
            scheme_id=scheme.pk,
            theme=theme,
            requested_visits=visits,
            preferred_dates="平日の午後",
            purpose="受注から出荷までを見える化したい",
        ),
        actor=actor,
    )
    if expert is not None:
        services.dispatch_assign_expert(request=request, expert=expert, actor=actor)
    if submit:
        services.dispatch_submit(request=request, actor=actor)
    return request


def approved_request(
    organization: Organization,
    company: Company,
    scheme: DispatchScheme,
    staff: User,
    partner: User,
    expert: Expert,
    visits: int = 2,
) -> DispatchRequest:
    request = file_request(organization, company, scheme, staff, visits=visits, expert=expert)
    return services.dispatch_approve(request=request, actor=partner)


def make_company(organization: Organization, name: str) -> Company:
    return community.company_create(
        organization=organization,
        data=community.CompanyData(
            name=name,
            postal_code="2310023",
            prefecture="神奈川県",
            city="横浜市中区",
            municipality_code="14104",
            industry="E",
            employees=12,
        ),
        actor=None,
    )


def page_of(client: Any, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def console_urls(pk: int) -> list[str]:
    """Every URL under /console/ with sample arguments."""
    urls: list[str] = []

    def walk(patterns: Any, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if route.startswith("console/"):
                    route = re.sub(r"<int:\w+>", str(pk), route)
                    route = re.sub(r"<str:\w+>", "csv", route)
                    route = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", route)
                    urls.append("/" + route)

    walk(get_resolver().url_patterns, "")
    return urls


def partner_urls(pk: int) -> list[str]:
    return [
        reverse("network:partner_home"),
        reverse("network:partner_request", args=[pk]),
        reverse("network:partner_totals"),
        reverse("network:partner_totals_export", args=["csv"]),
    ]


def expert_urls(pk: int) -> list[str]:
    return [
        reverse("network:expert_home"),
        reverse("network:expert_dispatch", args=[pk]),
        reverse("network:expert_report", args=[pk]),
    ]
