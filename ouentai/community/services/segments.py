"""Saved company filters (セグメント) and the record of what was exported."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.db import transaction
from django.utils import timezone
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
            deleted_at=None,
            defaults={"query": segment_query(query), "created_by": actor},
        )
        audit_record(
            actor=actor,
            action="community.segment.saved",
            target=segment,
            details={"query": segment.query, "created": created},
        )
    return segment


def segment_delete(*, segment: Segment, actor: User) -> Segment:
    """Take a segment out of the lists (the view asks for confirmation first). It is kept, marked
    deleted: newsletters addressed to it still say to whom they went; a draft addressed to it must pick
    another audience before it is sent. Its name is free for a new segment. Undone by segment_restore."""
    with transaction.atomic():
        segment = Segment.objects.select_for_update().get(pk=segment.pk)
        if segment.deleted_at is not None:
            return segment
        segment.deleted_at = timezone.now()
        segment.save(update_fields=["deleted_at", "updated_at"])
        audit_record(
            actor=actor, action="community.segment.deleted", target=segment, details={"query": segment.query}
        )
    return segment


def segment_restore(*, segment: Segment, actor: User) -> Segment:
    """Bring a deleted segment back, unless a segment of the same name was saved since."""
    with transaction.atomic():
        segment = Segment.objects.select_for_update().get(pk=segment.pk)
        if segment.deleted_at is None:
            return segment
        if Segment.objects.filter(
            organization_id=segment.organization_id, name=segment.name, deleted_at__isnull=True
        ).exists():
            raise DomainError(
                _("同じ名前のセグメント「%(name)s」がすでにあるため、元に戻せません。")
                % {"name": segment.name},
                code="segment.name_taken",
            )
        segment.deleted_at = None
        segment.save(update_fields=["deleted_at", "updated_at"])
        audit_record(actor=actor, action="community.segment.restored", target=segment, details={})
    return segment


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
