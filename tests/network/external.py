"""Shared by the tests of the pages outside the console (partner, expert, member): the contact of the
SME, and the lists of URLs each role may or may not open (their fixtures are in conftest.py, the records
they file in tests/network/factories.py)."""

from __future__ import annotations

import re
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

CONTACT_EMAIL = "tanto.minato@minato-seiki.example.jp"
CONTACT_NAME = "港 担当子"
CONTACT_PHONE = "090-1234-5678"
OTHER_COMPANY = "株式会社よこはま印刷"


# --- helpers ---------------------------------------------------------------------------------------


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
                    route = re.sub(r"<slug:\w+>", "engagements_started", route)
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
