"""Fixtures for the events tests: a published two-session 経営者研修 of 横浜 with 3 seats, open for
registration, and a factory that registers people through the service."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from ouentai.accounts.models import Organization, User
from ouentai.events import services
from ouentai.events.models import Event, Registration

_counter = itertools.count(1)


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
    data = services.EventData(
        kind=fields.pop("kind", "training"),
        title=fields.pop("title", "経営者研修 デジタル経営の基礎"),
        capacity=capacity,
        venue_name=fields.pop("venue_name", "横浜市産業振興センター 第1研修室"),
        venue_address=fields.pop("venue_address", "神奈川県横浜市中区山下町2"),
        **fields,
    )
    event = services.event_create(organization=organization, data=data, actor=actor)
    start = timezone.localtime() + starts_in
    if starts_in >= dt.timedelta(days=1):
        start = start.replace(hour=14, minute=0, second=0, microsecond=0)
    services.event_sessions_set(
        event=event,
        sessions=[
            services.SessionData(
                title=f"第{i + 1}回",
                starts_at=start + dt.timedelta(days=7 * i),
                ends_at=start + dt.timedelta(days=7 * i, hours=2),
                online_url=f"https://meet.example.jp/kenshu-{i + 1}",
            )
            for i in range(sessions)
        ],
        actor=actor,
        # An event made in the past records one that took place: its warning is confirmed.
        confirmed=services.CONFIRM_ALL if starts_in < dt.timedelta(0) else (),
    )
    if publish:
        services.event_set_published(event=event, published=True, actor=actor)
    event.refresh_from_db()
    return event


@pytest.fixture
def event(yokohama: Organization, staff: User) -> Event:
    return make_event(yokohama, staff)


@pytest.fixture
def registration_factory() -> Callable[..., Registration]:
    def register(event: Event, **fields: Any) -> Registration:
        n = next(_counter)
        data = services.RegistrationData(
            name=fields.pop("name", f"参加 太郎{n}"),
            name_kana=fields.pop("name_kana", "サンカ タロウ"),
            company_name=fields.pop("company_name", f"株式会社テスト{n}"),
            email=fields.pop("email", f"person{n}@example.jp"),
            phone=fields.pop("phone", ""),
            answers=fields.pop("answers", {}),
        )
        return services.registration_create(event=event, data=data, **fields)

    return register
