"""The support network's sections on other apps' record pages (ouentai.core.panels): the dispatch
requests of a company and of an engagement."""

from __future__ import annotations

from typing import Any

from ouentai.core.panels import Panel
from ouentai.network.selectors import DISPATCHES_ON_RECORD_PAGE, dispatch_list_for_record

TEMPLATE = "network/_dispatch_panel.html"


def company_dispatch_panel(company: Any, user: Any) -> Panel:
    requests = dispatch_list_for_record(organization_id=company.organization_id, company_id=company.pk)
    return Panel(
        TEMPLATE,
        {"dispatch_requests": list(requests[:DISPATCHES_ON_RECORD_PAGE]), "query": f"company={company.pk}"},
        order=20,
    )


def engagement_dispatch_panel(engagement: Any, user: Any) -> Panel:
    requests = dispatch_list_for_record(
        organization_id=engagement.organization_id, engagement_id=engagement.pk
    )
    return Panel(
        TEMPLATE,
        {
            "dispatch_requests": list(requests[:DISPATCHES_ON_RECORD_PAGE]),
            "query": f"engagement={engagement.pk}",
        },
        order=20,
    )
