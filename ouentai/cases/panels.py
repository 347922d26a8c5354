"""The case library's section on a company's console page (ouentai.core.panels): the published cases
most like the company and the experts who solved similar problems, each with its reasons."""

from __future__ import annotations

from typing import Any

from ouentai.cases.links import case_console_url
from ouentai.cases.selectors.recommend import (
    case_model,
    case_recommendations,
    company_profile,
    expert_recommendations_for_company,
)
from ouentai.core.panels import Panel

SIMILAR_CASES = 5
SUGGESTED_EXPERTS = 3


def company_recommendations_panel(company: Any, user: Any) -> Panel:
    """Six queries whatever the number of cases, experts or the company's records."""
    profile = company_profile(company)
    model = case_model()
    cases = [
        {
            "case": found.case,
            "reasons": found.reasons,
            "score": found.score,
            "url": case_console_url(
                pk=found.case.pk,
                key=found.case.key,
                same_organization=found.case.organization_id == company.organization_id,
            ),
        }
        for found in case_recommendations(profile, limit=SIMILAR_CASES, model=model)
    ]
    experts = expert_recommendations_for_company(
        company, limit=SUGGESTED_EXPERTS, profile=profile, model=model
    )
    return Panel(
        "cases/console/_company_recommendations.html",
        {"company": company, "cases": cases, "experts": experts, "has_words": bool(profile.text)},
        order=40,
    )
