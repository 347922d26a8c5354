"""Fixtures for the events tests: a published two-session 経営者研修 of 横浜 with 3 seats, open for
registration, and a factory that registers people through the service (tests/events/factories.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ouentai.accounts.models import Organization, User
from ouentai.events.models import Event, Registration
from tests.events.factories import RegistrationFactory, make_event

__all__ = ["make_event"]


@pytest.fixture
def event(yokohama: Organization, staff: User) -> Event:
    return make_event(yokohama, staff)


@pytest.fixture
def registration_factory() -> Callable[..., Registration]:
    def register(event: Event, **fields: Any) -> Registration:
        return RegistrationFactory.create(event=event, **fields)

    return register
