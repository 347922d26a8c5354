"""Tasks of the outcome goals, run by the worker (django-q2). Each is safe to run twice."""

from __future__ import annotations

from ouentai.outcomes.services.facts import outcome_facts_refresh_recent
from ouentai.outcomes.services.reports import annual_report_build as report_build


def outcome_facts_refresh() -> int:
    """Hourly: recount the program office's facts of the running and the previous 年度."""
    return outcome_facts_refresh_recent()


def annual_report_build(report_id: int) -> str:
    """Build a requested annual report (.xlsx and PDF). Safe to run twice: a finished report is left as
    it is; a failure is recorded on the report, never raised."""
    return report_build(report_id)
