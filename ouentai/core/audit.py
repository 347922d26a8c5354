"""The audit log: services call ``audit_record`` inside their transaction; record pages read
``audit_entries_for``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ouentai.core.models import AuditEntry

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.utils.functional import Promise

# Dotted action → the words staff read on record pages. Each app registers its own in AppConfig.ready().
ACTION_LABELS: dict[str, Promise | str] = {}


def register_action_labels(labels: Mapping[str, Promise | str]) -> None:
    ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


# How the details of an entry read on record pages: labels of the keys services use, and, per action
# prefix and key, the choices whose codes the values are (``engagements.engagement.phase_changed`` →
# "from"/"to" are Phase codes). Apps register theirs in AppConfig.ready().
DETAIL_KEY_LABELS: dict[str, Promise | str] = {}
DETAIL_VALUE_CHOICES: list[tuple[str, str, type[models.Choices]]] = []


def register_detail_labels(
    keys: Mapping[str, Promise | str] | None = None,
    values: Iterable[tuple[str, str, type[models.Choices]]] = (),
) -> None:
    DETAIL_KEY_LABELS.update(keys or {})
    DETAIL_VALUE_CHOICES.extend(values)


def _value_label(action: str, key: str, value: Any) -> str:
    if isinstance(value, bool):
        return str(_("はい") if value else _("いいえ"))
    if isinstance(value, list):
        return "、".join(_value_label(action, key, item) for item in value)
    for prefix, choice_key, choices in DETAIL_VALUE_CHOICES:
        if key == choice_key and action.startswith(prefix) and value in choices.values:
            return str(choices(value).label)
    return str(value)


def audit_details(entry: AuditEntry) -> list[tuple[str, str]]:
    """An entry's details as (label, value) pairs people can read: known keys and choice codes in
    words, changed field names as the fields' names, empty values left out."""
    model = (
        ContentType.objects.get_for_id(entry.target_type_id).model_class() if entry.target_type_id else None
    )
    pairs = []
    # PostgreSQL's jsonb does not keep the order keys were written in: show known keys in the order
    # they were registered (from before to), then any others by name.
    known = list(DETAIL_KEY_LABELS)
    details = entry.details or {}
    ordered = sorted(details, key=lambda k: (known.index(k) if k in known else len(known), k))
    for key in ordered:
        value = details[key]
        if value in (None, "", [], {}):
            continue
        if key == "changed" and model is not None and isinstance(value, list):
            names = []
            for name in value:
                try:
                    model_field = model._meta.get_field(name)
                except Exception:  # a field removed since: keep its name
                    names.append(str(name))
                    continue
                names.append(str(getattr(model_field, "verbose_name", name)))
            pairs.append((str(DETAIL_KEY_LABELS.get(key, key)), "、".join(names)))
            continue
        pairs.append((str(DETAIL_KEY_LABELS.get(key, key)), _value_label(entry.action, key, value)))
    return pairs


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    target: models.Model,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Write one audit entry. ``action`` is dotted (``community.application.assigned``); the target's
    organization is taken from the target itself when it has one."""
    organization_id = getattr(target, "organization_id", None)
    return AuditEntry.objects.create(
        organization_id=organization_id,
        actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
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
