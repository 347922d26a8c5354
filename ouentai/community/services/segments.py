"""Saved company filters (セグメント) and the record of what was exported."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.models import Organization, User
from ouentai.community.models import Segment
from ouentai.core.audit import audit_record
from ouentai.core.errors import DomainError

# Only these parameters of the company list make up a segment (never page numbers or formats).
SEGMENT_PARAMETERS = ("q", "area", "industry", "size", "sme", "it_stage", "membership", "coordinator", "sort")


def segment_query(query: str) -> str:
    """The filter part of a company-list query string, in a stable order, empty values dropped."""
    pairs = [(k, v) for k, v in parse_qsl(query) if k in SEGMENT_PARAMETERS and v]
    return urlencode(sorted(pairs))


def segment_save(*, organization: Organization, name: str, query: str, actor: User) -> Segment:
    """Save the current filter under a name; saving under an existing name replaces its filter."""
    name = name.strip()
    if not name:
        raise DomainError(
            _("セグメントの名前を入力してください。"), code="segment.name_required", field="name"
        )
    with transaction.atomic():
        segment, created = Segment.objects.update_or_create(
            organization=organization,
            name=name,
            defaults={"query": segment_query(query), "created_by": actor},
        )
        audit_record(
            actor=actor,
            action="community.segment.saved",
            target=segment,
            details={"query": segment.query, "created": created},
        )
    return segment


def segment_delete(*, segment: Segment, actor: User) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor, action="community.segment.deleted", target=segment, details={"query": segment.query}
        )
        segment.delete()


def companies_exported(
    *, organization: Organization, query: str, rows: int, file_format: str, actor: User
) -> None:
    """Record who exported which companies (personal data leaves the system: APPI wants it traceable)."""
    audit_record(
        actor=actor,
        action="community.companies.exported",
        target=organization,
        details={"query": segment_query(query), "rows": rows, "format": file_format},
    )
