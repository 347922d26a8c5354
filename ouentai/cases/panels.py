"""The case library's section on a company's console page (ouentai.core.panels): the published cases
most like the company and the experts who solved similar problems, each with its reasons."""

from __future__ import annotations

from typing import Any

from ouentai.cases.links import case_console_url
from ouentai.cases.selectors.recommend import recommendations_for_company
from ouentai.core.panels import Panel

SIMILAR_CASES = 5
SUGGESTED_EXPERTS = 3


def company_recommendations_panel(company: Any, user: Any) -> Panel:
    """Six queries whatever the number of cases, experts or the company's records."""
    found = recommendations_for_company(company, cases=SIMILAR_CASES, experts=SUGGESTED_EXPERTS)
    cases = [
        {
            "case": row.case,
            "reasons": row.reasons,
            "score": row.score,
            "url": case_console_url(
                pk=row.case.pk,
                key=row.case.key,
                same_organization=row.case.organization_id == company.organization_id,
            ),
        }
        for row in found.cases
    ]
    return Panel(
        "cases/console/_company_recommendations.html",
        {"company": company, "cases": cases, "experts": found.experts, "has_words": found.has_words},
        order=40,
    )
