"""Writes and rules of the support network. Views, tasks and commands import from here."""

from ouentai.network.services.directory import dispatch_totals_exported
from ouentai.network.services.dispatch import (
    DispatchData,
    dispatch_approve,
    dispatch_assign_expert,
    dispatch_cancel,
    dispatch_close,
    dispatch_confirm,
    dispatch_create,
    dispatch_reject,
    dispatch_submit,
    dispatch_update,
    partner_can_decide,
    report_submit,
    visit_log,
)
from ouentai.network.services.matching import Candidate, expert_candidates
from ouentai.network.services.rules import company_area_codes, dispatch_check, visits_left, visits_used
from ouentai.network.services.totals import SchemeTotal, dispatch_totals

__all__ = [
    "Candidate",
    "DispatchData",
    "SchemeTotal",
    "company_area_codes",
    "dispatch_approve",
    "dispatch_assign_expert",
    "dispatch_cancel",
    "dispatch_check",
    "dispatch_close",
    "dispatch_confirm",
    "dispatch_create",
    "dispatch_reject",
    "dispatch_submit",
    "dispatch_totals",
    "dispatch_totals_exported",
    "dispatch_update",
    "expert_candidates",
    "partner_can_decide",
    "report_submit",
    "visit_log",
    "visits_left",
    "visits_used",
]
