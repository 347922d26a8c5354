"""Factories of the events app: events with their sessions, published (event_create,
event_sessions_set, event_set_published, so that the schedule rules and the event's start and end hold),
and registrations (registration_create: seats, waiting list, consent and the mail that says where the
person stands).

What a person types into the registration form is in tests/events/post_data.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

import factory
from django.utils import timezone

from ouentai.accounts.models import Organization, User
from ouentai.events import services
from ouentai.events.models import Event, Registration
from tests.accounts.factories import OrganizationFactory
from tests.events.post_data import registration_post_data
from tests.factories import ServiceFactory

__all__ = ["EventFactory", "RegistrationFactory", "make_event", "registration_post_data", "weekly_sessions"]


def weekly_sessions(count: int, starts_in: dt.timedelta) -> list[services.SessionData]:
    """``count`` sessions of two hours, a week apart, the first ``starts_in`` from now (at 14:00 when
    that is a day or more away), each with its online URL."""
    start = timezone.localtime() + starts_in
    if starts_in >= dt.timedelta(days=1):
        start = start.replace(hour=14, minute=0, second=0, microsecond=0)
    return [
        services.SessionData(
            title=f"第{i + 1}回",
            starts_at=start + dt.timedelta(days=7 * i),
            ends_at=start + dt.timedelta(days=7 * i, hours=2),
            online_url=f"https://meet.example.jp/kenshu-{i + 1}",
        )
        for i in range(count)
    ]


class EventFactory(ServiceFactory[Event]):
    """A 経営者研修 of 3 seats with two weekly sessions 10 days from now, published. Any EventData field
    may be given; ``sessions`` is a number of weekly sessions (``weekly_sessions`` from ``starts_in``)
    or the SessionData themselves; ``publish=False`` leaves a draft. Sessions in the past record an
    event that took place: their warning is confirmed (``confirmed`` to say otherwise)."""

    class Meta:
        model = Event

    organization = factory.SubFactory(OrganizationFactory)
    actor = None
    kind = "training"
    title = "経営者研修 デジタル経営の基礎"
    capacity = 3
    venue_name = "横浜市産業振興センター 第1研修室"
    venue_address = "神奈川県横浜市中区山下町2"
    sessions = 2
    starts_in = dt.timedelta(days=10)
    publish = True
    confirmed = None

    @classmethod
    def _create(
        cls,
        model_class: type[Event],
        *args: Any,
        organization: Organization,
        actor: User | None,
        sessions: int | list[services.SessionData],
        starts_in: dt.timedelta,
        publish: bool,
        confirmed: Collection[str] | None,
        **fields: Any,
    ) -> Event:
        event = services.event_create(
            organization=organization, data=services.EventData(**fields), actor=actor
        )
        if isinstance(sessions, int):
            sessions = weekly_sessions(sessions, starts_in)
        if confirmed is None:
            now = timezone.now()
            confirmed = services.CONFIRM_ALL if any(s.starts_at < now for s in sessions) else ()
        services.event_sessions_set(event=event, sessions=sessions, actor=actor, confirmed=confirmed)
        if publish:
            services.event_set_published(event=event, published=True, actor=actor)
        event.refresh_from_db()
        return event


def make_event(
    organization: Organization,
    actor: User | None = None,
    *,
    capacity: int = 3,
    sessions: int = 2,
    starts_in: dt.timedelta = dt.timedelta(days=10),
    publish: bool = True,
    **fields: Any,
) -> Event:
    """Shorthand of ``EventFactory.create``: whose event, made by whom, and what differs."""
    return EventFactory.create(
        organization=organization,
        actor=actor,
        capacity=capacity,
        sessions=sessions,
        starts_in=starts_in,
        publish=publish,
        **fields,
    )


class RegistrationFactory(ServiceFactory[Registration]):
    """A person registered for an event through ``registration_create`` (confirmed while seats are
    free, else waitlisted); each a different person and company. Any RegistrationData field may be
    given, and the service's own options (``actor``, ``source``, ``check_window``, ``consent`` …)."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"参加 太郎{n}")
    name_kana = "サンカ タロウ"
    company_name = factory.Sequence(lambda n: f"株式会社テスト{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.jp")
    phone = ""
    answers = factory.LazyFunction(dict)

    @classmethod
    def _create(
        cls,
        model_class: type[Registration],
        *args: Any,
        event: Event,
        name: str,
        name_kana: str,
        company_name: str,
        email: str,
        phone: str,
        answers: dict[str, Any],
        **options: Any,
    ) -> Registration:
        data = services.RegistrationData(
            name=name,
            name_kana=name_kana,
            company_name=company_name,
            email=email,
            phone=phone,
            answers=answers,
        )
        return services.registration_create(event=event, data=data, **options)
