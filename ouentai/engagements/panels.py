"""The engagements' section on a company's page (ouentai.core.panels): its support engagements."""

from __future__ import annotations

from typing import Any

from ouentai.core.panels import Panel
from ouentai.engagements.selectors import engagement_list_for_company


def company_engagements_panel(company: Any, user: Any) -> Panel:
    return Panel(
        "engagements/console/_company_panel.html",
        {"company": company, "engagements": list(engagement_list_for_company(company))},
        order=10,
    )
