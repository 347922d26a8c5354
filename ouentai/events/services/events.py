"""Creating and changing events, their sessions, presenters and questions."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.models import Organization, User
from ouentai.core.audit import audit_record
from ouentai.core.errors import DomainError
from ouentai.events.choices import QuestionKind, QuestionPurpose
from ouentai.events.models import Event, Presenter, Question, Session
from ouentai.events.services.registrations import _offer_free_seats, seat_counts
from ouentai.network.models import SupportOrganization


@dataclass(frozen=True)
class EventData:
    kind: str
    title: str
    capacity: int
    summary: str = ""
    description: str = ""
    venue_name: str = ""
    venue_postal_code: str = ""
    venue_address: str = ""
    registration_opens_at: dt.datetime | None = None
    registration_closes_at: dt.datetime | None = None
    required_sessions: int | None = None
    reminder_days: str = "7,1"
    offer_hours: int = 48
    co_host_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class SessionData:
    starts_at: dt.datetime
    ends_at: dt.datetime
    title: str = ""
    venue_name: str = ""
    online_url: str = ""
    pk: int | None = None


@dataclass(frozen=True)
class PresenterData:
    name: str
    affiliation: str = ""
    topic: str = ""
    company_id: int | None = None
    order: int = 0
    pk: int | None = None


@dataclass(frozen=True)
class QuestionData:
    label: str
    kind: str = QuestionKind.TEXT
    choices: str = ""
    required: bool = False
    order: int = 0
    pk: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _check(data: EventData, organization_id: int) -> None:
    if not data.title.strip():
        raise DomainError(_("タイトルを入力してください。"), code="event.title_required", field="title")
    if data.capacity < 1:
        raise DomainError(_("定員は1人以上にしてください。"), code="event.capacity", field="capacity")
    if (
        data.registration_opens_at
        and data.registration_closes_at
        and data.registration_closes_at <= data.registration_opens_at
    ):
        raise DomainError(
            _("申込の締切は受付開始より後にしてください。"),
            code="event.window",
            field="registration_closes_at",
        )
    if data.co_host_ids:
        found = SupportOrganization.objects.filter(
            organization_id=organization_id, pk__in=data.co_host_ids
        ).count()
        if found != len(set(data.co_host_ids)):
            raise DomainError(_("共催の支援機関が見つかりません。"), code="event.co_host", field="co_hosts")


def _fields(data: EventData) -> dict[str, Any]:
    values = asdict(data)
    values.pop("co_host_ids")
    return values


def event_create(*, organization: Organization, data: EventData, actor: User | None) -> Event:
    """Create an event (not yet published: sessions come next)."""
    _check(data, organization.pk)
    with transaction.atomic():
        event = Event.objects.create(organization=organization, **_fields(data))
        event.co_hosts.set(data.co_host_ids)
        audit_record(actor=actor, action="events.event.created", target=event)
    return event


def event_update(*, event: Event, data: EventData, actor: User | None) -> Event:
    """Change an event. The capacity can never go below the seats already held; raising it offers the
    new seats to the waiting list at once."""
    _check(data, event.organization_id)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        held = seat_counts(event)["held"]
        if data.capacity < held:
            raise DomainError(
                _("定員は、すでに席を確保している%(held)d人より少なくできません。") % {"held": held},
                code="event.capacity_below_held",
                field="capacity",
            )
        before = {name: getattr(event, name) for name in _fields(data)}
        for name, value in _fields(data).items():
            setattr(event, name, value)
        event.save()
        event.co_hosts.set(data.co_host_ids)
        changed = sorted(name for name, value in before.items() if getattr(event, name) != value)
        audit_record(actor=actor, action="events.event.updated", target=event, details={"changed": changed})
        if data.capacity > before["capacity"]:
            _offer_free_seats(event, now=timezone.now(), actor=actor)
    return event


def event_set_published(*, event: Event, published: bool, actor: User | None) -> Event:
    """Publish (needs at least one session) or withdraw an event from the public pages."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if published and not event.sessions.exists():
            raise DomainError(_("開催回を1つ以上登録してから公開してください。"), code="event.no_sessions")
        if event.is_published == published:
            return event
        event.is_published = published
        event.save(update_fields=["is_published", "updated_at"])
        audit_record(
            actor=actor,
            action="events.event.published" if published else "events.event.unpublished",
            target=event,
        )
    return event


def _sync(model: type[models.Model], event: Event, items: list[Any], extra: dict[str, Any]) -> list[str]:
    """Make the event's children of one model equal ``items``: update those with a pk, create the others,
    delete the rest. Returns a summary for the audit entry."""
    queryset = model._default_manager.filter(event=event, **extra)
    existing = {obj.pk: obj for obj in queryset}
    kept: set[int] = set()
    summary: list[str] = []
    for item in items:
        values = {k: v for k, v in asdict(item).items() if k not in ("pk", "extra")}
        if item.pk is not None and item.pk in existing:
            obj = existing[item.pk]
            for name, value in values.items():
                setattr(obj, name, value)
            obj.save()
            kept.add(item.pk)
        else:
            obj = model._default_manager.create(event=event, **extra, **values)
            summary.append(f"+{obj.pk}")
    removed = [pk for pk in existing if pk not in kept]
    if removed:
        model._default_manager.filter(pk__in=removed).delete()
        summary += [f"-{pk}" for pk in removed]
    return summary


def event_sessions_set(*, event: Event, sessions: list[SessionData], actor: User | None) -> Event:
    """Replace the event's sessions. Each must end after it starts; a session with attendance recorded
    cannot be removed. Keeps the event's start and end in step."""
    for session in sessions:
        if session.ends_at <= session.starts_at:
            raise DomainError(_("終了は開始より後にしてください。"), code="event.session_times")
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        keep = {s.pk for s in sessions if s.pk is not None}
        if event.sessions.exclude(pk__in=keep).filter(attendances__isnull=False).exists():
            raise DomainError(
                _("出席が記録された開催回は削除できません。"), code="event.session_has_attendance"
            )
        if not sessions and event.is_published:
            raise DomainError(_("公開中のイベントには開催回が1つ以上必要です。"), code="event.no_sessions")
        summary = _sync(Session, event, sessions, {})
        event.starts_at = min((s.starts_at for s in sessions), default=None)
        event.ends_at = max((s.ends_at for s in sessions), default=None)
        event.save(update_fields=["starts_at", "ends_at", "updated_at"])
        audit_record(actor=actor, action="events.event.updated", target=event, details={"sessions": summary})
    return event


def event_presenters_set(*, event: Event, presenters: list[PresenterData], actor: User | None) -> Event:
    """Replace the event's presenters; a presenting company must belong to the event's organization."""
    company_ids = {p.company_id for p in presenters if p.company_id}
    if company_ids:
        from ouentai.community.models import Company

        if Company.objects.filter(organization_id=event.organization_id, pk__in=company_ids).count() != len(
            company_ids
        ):
            raise DomainError(_("発表企業が見つかりません。"), code="event.presenter_company")
    with transaction.atomic():
        summary = _sync(Presenter, event, presenters, {})
        audit_record(
            actor=actor, action="events.event.updated", target=event, details={"presenters": summary}
        )
    return event


def event_questions_set(
    *, event: Event, purpose: str, questions: list[QuestionData], actor: User | None
) -> Event:
    """Replace the registration questions or the survey questions. Choice questions need at least two
    options."""
    for question in questions:
        if (
            question.kind in (QuestionKind.CHOICE, QuestionKind.MULTIPLE)
            and len([line for line in question.choices.splitlines() if line.strip()]) < 2
        ):
            raise DomainError(
                _("「%(label)s」には選択肢を2つ以上入力してください。") % {"label": question.label},
                code="event.question_choices",
            )
    if purpose not in QuestionPurpose.values:
        raise ValueError(purpose)
    with transaction.atomic():
        summary = _sync(Question, event, questions, {"purpose": purpose})
        audit_record(
            actor=actor,
            action="events.event.updated",
            target=event,
            details={f"questions.{purpose}": summary},
        )
    return event
