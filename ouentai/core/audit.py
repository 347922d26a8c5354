"""The audit log: services call ``audit_record`` inside their transaction; record pages read
``audit_entries_for`` and show the entries in words with ``audit_rows``.

Nothing internal reaches a page: every action reads as the label its app registered, every detail key
as a label, ids as the names of the records they point at (looked up once per page and model, not per
entry), postal codes, phone numbers, dates and amounts as people write them, nested values as text.
Each app registers the words for its own actions and details in its AppConfig.ready()."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ouentai.core.jp import format_phone, format_postal_code
from ouentai.core.models import AuditEntry

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.utils.functional import Promise


# Dotted action → the words staff read on record pages.
ACTION_LABELS: dict[str, Promise | str] = {}


def register_action_labels(labels: Mapping[str, Promise | str]) -> None:
    ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    """The registered words for an action; an action nobody registered (a test walks every
    ``audit_record`` call so that none is missing) reads as a neutral phrase, never as its code."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else pgettext("audit", "記録")


# How the details of an entry read:
# - DETAIL_KEY_LABELS: the label of each key services write (None: not shown, because another key of the
#   same entry says it in words, e.g. ``assignee_id`` beside ``assignee``);
# - DETAIL_VALUE_CHOICES: per action prefix and key, the choices whose codes the values are;
# - DETAIL_REFERENCES: per action prefix and key, the model whose primary keys the values are;
# - DETAIL_FORMATS: per key, how a value is written (〒, phone, date, yen);
# - DETAIL_NESTED: per key, how the keys and values of a nested dict read (see ``ModelFieldsWords``).
DETAIL_KEY_LABELS: dict[str, Promise | str | None] = {}
DETAIL_VALUE_CHOICES: list[tuple[str, str, type[models.Choices]]] = []
DETAIL_REFERENCES: list[tuple[str, str, str]] = []
DETAIL_FORMATS: dict[str, Callable[[Any], str]] = {}
NestedWords = Callable[[str, Any], tuple[str, str] | None]
DETAIL_NESTED: dict[str, NestedWords] = {}
# Keys whose value is a list of field names of the entry's target (what a change touched).
FIELD_LIST_KEYS = {"changed", "filled_fields"}


def register_detail_labels(
    keys: Mapping[str, Promise | str | None] | None = None,
    values: Iterable[tuple[str, str, type[models.Choices]]] = (),
    references: Iterable[tuple[str, str, str]] = (),
    formats: Mapping[str, Callable[[Any], str]] | None = None,
    nested: Mapping[str, NestedWords] | None = None,
) -> None:
    """Register how an app's audit details read. ``references`` are (action prefix, key,
    "app_label.Model"): the value is that model's primary key (or a list of them)."""
    DETAIL_KEY_LABELS.update(keys or {})
    DETAIL_VALUE_CHOICES.extend(values)
    DETAIL_REFERENCES.extend(references)
    DETAIL_FORMATS.update(formats or {})
    DETAIL_NESTED.update(nested or {})


# --- Value formats ---------------------------------------------------------------------------------


def postal_code_words(value: Any) -> str:
    return f"〒{format_postal_code(str(value))}"


def phone_words(value: Any) -> str:
    return format_phone(str(value))


def date_words(value: Any) -> str:
    """An ISO date as the interface writes dates; anything else as it is."""
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return date_format(day, "DATE_FORMAT")


def datetime_words(value: Any) -> str:
    """An ISO date-time in local time, as record pages write them (2026-11-27 14:00)."""
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{moment:%Y-%m-%d %H:%M}"


def count_words(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def yen_words(value: Any) -> str:
    return _("%(amount)s円") % {"amount": f"{int(value):,}"} if str(value).isdigit() else str(value)


def bool_words(value: bool) -> str:
    return str(_("はい") if value else _("いいえ"))


class ModelFieldsWords:
    """Words for a nested dict whose keys are field names of a model (a snapshot of a record): each key
    as the field's name, choice codes as their labels, the registered formats applied, in the order of
    the model's fields (PostgreSQL's jsonb keeps no order of its own)."""

    def __init__(self, model_label: str) -> None:
        self.model_label = model_label

    def _field(self, key: str) -> Any:
        try:
            return apps.get_model(self.model_label)._meta.get_field(key)
        except FieldDoesNotExist:
            return None

    def order(self, key: str) -> int:
        names = [f.name for f in apps.get_model(self.model_label)._meta.get_fields()]
        return names.index(key) if key in names else len(names)

    def __call__(self, key: str, value: Any) -> tuple[str, str] | None:
        field = self._field(key)
        # The field's own name first (会社名, not the generic 名前); relations have none.
        label: Any = getattr(field, "verbose_name", None) or DETAIL_KEY_LABELS.get(key)
        if label is None:
            return None
        choices = getattr(field, "flatchoices", None) if field is not None else None
        if choices and value not in (None, "") and not isinstance(value, dict | list):
            text = str(dict(choices).get(value, value))
        else:
            text = _plain(key, value)
        return str(label), text


def model_count_words(key: str, value: Any) -> tuple[str, str] | None:
    """Words for a nested dict of counts per kind of record ({"applications": 2, "engagement": 1}):
    registered labels first, else the model of that name (its verbose name)."""
    label: Any = DETAIL_KEY_LABELS.get(key)
    if label is None:
        for model in apps.get_models():
            if model._meta.model_name == key:
                label = model._meta.verbose_name
                break
    if label is None:
        return None
    return str(label), _("%(count)s件") % {"count": value}


def _plain(key: str, value: Any) -> str:
    """A value with no reference or choices: booleans in words, the key's format, lists and dicts as
    readable text."""
    if isinstance(value, bool):
        return bool_words(value)
    if value in (None, ""):
        return "—"
    formatter = DETAIL_FORMATS.get(key)
    if formatter is not None:
        return formatter(value)
    if isinstance(value, list):
        return "、".join(_plain(key, item) for item in value)
    if isinstance(value, dict):
        return _dict_words(key, value)
    return str(value)


def _dict_words(key: str, value: dict[str, Any]) -> str:
    """A nested dict as "label：value、label：value": its keys and values read as registered for
    ``key`` (DETAIL_NESTED), else by the registered labels; keys nobody registered are left out rather
    than shown as code."""
    nested = DETAIL_NESTED.get(key)
    parts = []
    for inner_key, inner_value in sorted(value.items(), key=lambda item: _nested_order(nested, str(item[0]))):
        if inner_value in (None, "", [], {}):
            continue
        if nested is not None:
            pair = nested(str(inner_key), inner_value)
        else:
            label = DETAIL_KEY_LABELS.get(str(inner_key))
            pair = (str(label), _plain(str(inner_key), inner_value)) if label is not None else None
        if pair is not None:
            parts.append(f"{pair[0]}：{pair[1]}")
    return "、".join(parts)


def _nested_order(nested: NestedWords | None, key: str) -> tuple[int, int, str]:
    """A stable order for the keys of a nested dict: the nested words' own order (a model's field
    order), then the registered labels' order, then by name."""
    order = getattr(nested, "order", None)
    known = list(DETAIL_KEY_LABELS)
    return (
        order(key) if order is not None else 0,
        known.index(key) if key in known else len(known),
        key,
    )


# --- Reading entries in words --------------------------------------------------------------------


@dataclass(frozen=True)
class AuditRow:
    """One entry as a record page shows it."""

    entry: AuditEntry
    label: str
    details: list[tuple[str, str]]


def _reference_model(action: str, key: str) -> str | None:
    for prefix, ref_key, model_label in DETAIL_REFERENCES:
        if key == ref_key and action.startswith(prefix):
            return model_label
    return None


def _ids(value: Any) -> list[int]:
    values = value if isinstance(value, list) else [value]
    return [int(v) for v in values if isinstance(v, int | str) and str(v).isdigit()]


def _resolve_references(entries: list[AuditEntry]) -> dict[str, dict[int, str]]:
    """The names of every record the entries point at: one query per model, whatever the number of
    entries."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        for key, value in (entry.details or {}).items():
            model_label = _reference_model(entry.action, key)
            if model_label is not None:
                wanted[model_label].update(_ids(value))
    names: dict[str, dict[int, str]] = {}
    for model_label, ids in wanted.items():
        model = apps.get_model(model_label)
        names[model_label] = {pk: str(obj) for pk, obj in model._default_manager.in_bulk(ids).items()}
    return names


def _value_words(entry: AuditEntry, key: str, value: Any, names: dict[str, dict[int, str]]) -> str:
    action = entry.action
    model_label = _reference_model(action, key)
    if model_label is not None:
        found = names.get(model_label, {})
        return "、".join(found.get(pk, _("（削除済み）")) for pk in _ids(value)) or "—"
    if isinstance(value, list) and key not in DETAIL_FORMATS:
        return "、".join(_value_words(entry, key, item, names) for item in value)
    for prefix, choice_key, choices in DETAIL_VALUE_CHOICES:
        if key == choice_key and action.startswith(prefix) and value in choices.values:
            return str(choices(value).label)
    return _plain(key, value)


def _field_names(model: type[models.Model] | None, names: list[Any]) -> str:
    words = []
    for name in names:
        label: Any = DETAIL_KEY_LABELS.get(str(name))
        if model is not None:
            with contextlib.suppress(FieldDoesNotExist):
                label = getattr(model._meta.get_field(str(name)), "verbose_name", label)
        words.append(str(label) if label is not None else _("（削除された項目）"))
    return "、".join(words)


def _details(entry: AuditEntry, names: dict[str, dict[int, str]]) -> list[tuple[str, str]]:
    model = (
        ContentType.objects.get_for_id(entry.target_type_id).model_class() if entry.target_type_id else None
    )
    # PostgreSQL's jsonb does not keep the order keys were written in: show known keys in the order
    # they were registered (from before to), then any others by name.
    known = list(DETAIL_KEY_LABELS)
    details = entry.details or {}
    ordered = sorted(details, key=lambda k: (known.index(k) if k in known else len(known), k))
    pairs = []
    for key in ordered:
        value = details[key]
        if value in (None, "", [], {}):
            continue
        if key in DETAIL_KEY_LABELS:
            label = DETAIL_KEY_LABELS[key]
            if label is None:
                continue
        else:
            label = _field_label(model, key)
        if key in FIELD_LIST_KEYS and isinstance(value, list):
            pairs.append((str(label), _field_names(model, value)))
            continue
        pairs.append((str(label), _value_words(entry, key, value, names)))
    return pairs


def _field_label(model: type[models.Model] | None, key: str) -> str:
    """A key nobody registered: the target's field of that name if there is one (a test keeps every
    key services write registered, so this is a safety net, never a raw key)."""
    if model is not None:
        try:
            return str(getattr(model._meta.get_field(key), "verbose_name", key))
        except FieldDoesNotExist:
            pass
    return _("その他")


def audit_rows(entries: Iterable[AuditEntry]) -> list[AuditRow]:
    """Entries as a record page shows them: the action's label and the details in words, with every
    referenced record looked up once per page (a fixed number of queries)."""
    entries = list(entries)
    names = _resolve_references(entries)
    return [AuditRow(entry, action_label(entry.action), _details(entry, names)) for entry in entries]


def audit_details(entry: AuditEntry) -> list[tuple[str, str]]:
    """One entry's details as (label, value) pairs people can read (see ``audit_rows``)."""
    return audit_rows([entry])[0].details


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
