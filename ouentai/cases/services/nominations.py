"""The record of a nomination export: which published cases staff took out of the system for a
national selection (the companies' texts leave the platform: it must be traceable)."""

from __future__ import annotations

from ouentai.accounts.models import Organization, User
from ouentai.core.audit import audit_record


def cases_nominated(*, organization: Organization, case_ids: list[int], actor: User) -> None:
    """Audit the export of the cases ``case_ids`` of ``organization`` by ``actor``."""
    audit_record(
        actor=actor,
        action="cases.nominations.exported",
        target=organization,
        details={"cases": sorted(case_ids), "rows": len(case_ids)},
    )
