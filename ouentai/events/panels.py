"""The events' sections on other apps' record pages (ouentai.core.panels): the events a company attended,
on its engagement's page, and the events a support organization co-hosted, on its page."""

from __future__ import annotations

from typing import Any

from ouentai.core.panels import Panel
from ouentai.events.selectors import event_list_cohosted, registration_list_attended

COHOSTED_ON_PAGE = 50


def engagement_attended_panel(engagement: Any, user: Any) -> Panel:
    registrations = registration_list_attended(
        organization_id=engagement.organization_id, company_id=engagement.company_id
    )
    return Panel("events/console/_attended_panel.html", {"registrations": list(registrations)}, order=30)


def support_organization_cohosted_panel(support_organization: Any, user: Any) -> Panel:
    events = event_list_cohosted(
        organization_id=support_organization.organization_id, support_organization_id=support_organization.pk
    )
    return Panel("events/console/_cohosted_panel.html", {"events": list(events[:COHOSTED_ON_PAGE])}, order=10)
