"""Creating and changing events, their sessions, presenters and questions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.models import Organization, User
from ouentai.core.audit import audit_record
from ouentai.core.errors import DomainError
from ouentai.events import rules
from ouentai.events.choices import QuestionKind, QuestionPurpose
from ouentai.events.models import Attendance, Event, Presenter, Question, Session
from ouentai.events.selectors import event_seat_counts
from ouentai.events.services.registrations import _offer_free_seats
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


class ScheduleWarnings(DomainError):
    """The schedule is possible but unusual (a session in the past, sessions out of order, registration
    open after the start): nothing was saved. Saved once the caller passes the ``key`` of every one of
    ``warnings`` in ``confirmed`` (the console asks staff first, keeping what they typed)."""

    def __init__(self, warnings: list[rules.ScheduleNote]) -> None:
        super().__init__(
            _("次の点を確認してください。このままでよければ「この内容で保存する」を押してください。"),
            code="event.confirm",
        )
        self.warnings = warnings


def _check_schedule(
    *,
    event: Event | None,
    opens_at: dt.datetime | None,
    closes_at: dt.datetime | None,
    sessions: Sequence[Any] | None,
    confirmed: Collection[str],
) -> None:
    """Refuse an impossible schedule, and an unusual one that is not confirmed (rules.schedule_notes).
    ``sessions`` None: the event's stored sessions, unchanged."""
    stored = list(event.sessions.all()) if event is not None and event.pk else []
    attended: set[int] = set()
    if stored:
        attended = set(
            Attendance.objects.filter(session__event=event).values_list("session_id", flat=True).distinct()
        )
    checked: list[Any] = list(stored if sessions is None else sessions)
    errors, warnings = rules.schedule_notes(
        sessions=checked,
        opens_at=opens_at,
        closes_at=closes_at,
        previous={s.pk: s for s in stored},
        attended=attended,
        now=timezone.now(),
    )
    if errors:
        first = errors[0]
        raise DomainError(first.message, code=first.code, field=first.field)
    pending = rules.unconfirmed(warnings, confirmed)
    if pending:
        raise ScheduleWarnings(pending)


def _check(data: EventData, organization_id: int) -> None:
    if not data.title.strip():
        raise DomainError(_("タイトルを入力してください。"), code="event.title_required", field="title")
    if data.capacity < 1:
        raise DomainError(_("定員は1人以上にしてください。"), code="event.capacity", field="capacity")
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


def event_create(
    *, organization: Organization, data: EventData, actor: User | None, confirmed: Collection[str] = ()
) -> Event:
    """Create an event (not yet published: sessions come next). Refuses a registration window that
    closes before it opens."""
    _check(data, organization.pk)
    _check_schedule(
        event=None,
        opens_at=data.registration_opens_at,
        closes_at=data.registration_closes_at,
        sessions=[],
        confirmed=confirmed,
    )
    return _create(organization=organization, data=data, actor=actor)


def _create(*, organization: Organization, data: EventData, actor: User | None) -> Event:
    with transaction.atomic():
        event = Event.objects.create(organization=organization, **_fields(data))
        event.co_hosts.set(data.co_host_ids)
        audit_record(actor=actor, action="events.event.created", target=event)
    return event


def event_update(
    *, event: Event, data: EventData, actor: User | None, confirmed: Collection[str] = ()
) -> Event:
    """Change an event. The capacity can never go below the seats already held; raising it offers the
    new seats to the waiting list at once. The registration window must fit the sessions (see
    rules.schedule_notes: refused when impossible, ScheduleWarnings when unusual and not confirmed)."""
    _check(data, event.organization_id)
    _check_schedule(
        event=event,
        opens_at=data.registration_opens_at,
        closes_at=data.registration_closes_at,
        sessions=None,
        confirmed=confirmed,
    )
    return _update(event=event, data=data, actor=actor)


def _update(*, event: Event, data: EventData, actor: User | None) -> Event:
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        held = event_seat_counts(event)["held"]
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


def event_save(
    *,
    organization: Organization,
    event: Event | None,
    data: EventData,
    sessions: list[SessionData],
    presenters: list[PresenterData],
    questions: list[QuestionData],
    actor: User | None,
    confirmed: Collection[str] = (),
) -> Event:
    """Create (``event`` None) or change an event with its sessions, presenters and registration
    questions in one step, as the console's event form saves them: all or nothing. The schedule is
    checked as a whole (window and sessions together, rules.schedule_notes): refused when impossible,
    ScheduleWarnings when unusual and not ``confirmed``; then each part's own rules (capacity, sessions
    with attendance, presenting companies, choice questions) as in the services below."""
    _check(data, organization.pk)
    _check_schedule(
        event=event,
        opens_at=data.registration_opens_at,
        closes_at=data.registration_closes_at,
        sessions=sessions,
        confirmed=confirmed,
    )
    with transaction.atomic():
        if event is None:
            saved = _create(organization=organization, data=data, actor=actor)
        else:
            saved = _update(event=event, data=data, actor=actor)
        _sessions_set(event=saved, sessions=sessions, actor=actor)
        event_presenters_set(event=saved, presenters=presenters, actor=actor)
        event_questions_set(
            event=saved, purpose=QuestionPurpose.REGISTRATION, questions=questions, actor=actor
        )
    return saved


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


def event_sessions_set(
    *, event: Event, sessions: list[SessionData], actor: User | None, confirmed: Collection[str] = ()
) -> Event:
    """Replace the event's sessions. Refused: a session that ends before it starts, sessions at the same
    time, removing a session with attendance recorded or moving it to a time not yet come, a
    registration window that no longer fits. Unusual (ScheduleWarnings unless ``confirmed``): a new or
    moved session in the past (e.g. recording an event that took place), sessions out of date order.
    Keeps the event's start and end in step."""
    _check_schedule(
        event=event,
        opens_at=event.registration_opens_at,
        closes_at=event.registration_closes_at,
        sessions=sessions,
        confirmed=confirmed,
    )
    return _sessions_set(event=event, sessions=sessions, actor=actor)


def _sessions_set(*, event: Event, sessions: list[SessionData], actor: User | None) -> Event:
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
