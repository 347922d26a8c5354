"""Writes of the outcome goals (one module per subject; import from here)."""

from ouentai.outcomes.services.goals import (
    indicators_install,
    manual_result_set,
    manual_results_save,
    outcomes_may_manage,
    target_set,
    targets_save,
)
from ouentai.outcomes.services.reports import (
    annual_report_build,
    annual_report_request,
    annual_report_stalled,
    annual_report_years,
)

__all__ = [
    "annual_report_build",
    "annual_report_request",
    "annual_report_stalled",
    "annual_report_years",
    "indicators_install",
    "manual_result_set",
    "manual_results_save",
    "outcomes_may_manage",
    "target_set",
    "targets_save",
]
