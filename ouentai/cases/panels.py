"""The case library's sections on other apps' record pages (ouentai.core.panels): an engagement's cases
with the button that turns a completed engagement into one, and a company's cases with that button for
each of its completed engagements. The button shows only where ``case_may_create`` allows it."""

from __future__ import annotations

from typing import Any

from ouentai.cases.selectors.console import case_list_for_company_console, case_list_for_engagement
from ouentai.cases.services.authoring import case_may_create
from ouentai.core.panels import Panel
from ouentai.engagements.choices import EngagementStatus
from ouentai.engagements.selectors import engagement_list_for_company

TEMPLATE = "cases/console/_panel.html"


def engagement_cases_panel(engagement: Any, user: Any) -> Panel | None:
    if not user.can_use_console:
        return None
    cases = list(case_list_for_engagement(engagement).select_related("company"))
    creatable = [engagement] if case_may_create(user, engagement) else []
    return Panel(TEMPLATE, {"cases": cases, "creatable": creatable, "on_company": False}, order=30)


def company_cases_panel(company: Any, user: Any) -> Panel | None:
    if not user.can_use_console:
        return None
    cases = list(case_list_for_company_console(company))
    completed = [e for e in engagement_list_for_company(company) if e.status == EngagementStatus.COMPLETED]
    creatable = [e for e in completed if case_may_create(user, e)]
    return Panel(TEMPLATE, {"cases": cases, "creatable": creatable, "on_company": True}, order=30)
