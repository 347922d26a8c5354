"""Reads of the outcome goals (one module per subject; import from here)."""

from ouentai.outcomes.selectors.goals import (
    FiscalYearOutcomes,
    MonthRow,
    Outcome,
    counted_span,
    indicator_get,
    indicators_active,
    manual_results_for,
    month_end,
    months_of,
    outcome_records,
    outcomes_for,
    record_rows,
    target_years,
    targets_for,
    year_before,
)

__all__ = [
    "FiscalYearOutcomes",
    "MonthRow",
    "Outcome",
    "counted_span",
    "indicator_get",
    "indicators_active",
    "manual_results_for",
    "month_end",
    "months_of",
    "outcome_records",
    "outcomes_for",
    "record_rows",
    "target_years",
    "targets_for",
    "year_before",
]
