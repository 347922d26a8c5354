"""The audit log: services call ``audit_record`` inside their transaction; record pages read
``audit_entries_for``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from ouentai.core.models import AuditEntry

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from ouentai.accounts.models import User

# Dotted action → the words staff read on record pages. Each app registers its own in AppConfig.ready().
ACTION_LABELS: dict[str, Promise | str] = {}


def register_action_labels(labels: Mapping[str, Promise | str]) -> None:
    ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def audit_record(
    *, actor: User | None, action: str, target: models.Model, details: dict[str, Any] | None = None
) -> AuditEntry:
    """Write one audit entry. ``action`` is dotted (``community.application.assigned``); the target's
    organization is taken from the target itself when it has one."""
    organization_id = getattr(target, "organization_id", None)
    return AuditEntry.objects.create(
        organization_id=organization_id,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        details=details or {},
    )


def audit_entries_for(target: models.Model) -> QuerySet[AuditEntry]:
    """Every entry about one record, newest first, with the actor loaded (one query)."""
    return AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor")
