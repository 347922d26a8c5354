"""Scheduled work of the events app (django-q2 worker). Each task is safe to run twice."""

from __future__ import annotations

from ouentai.events.services import offers_expire, reminders_send
from ouentai.events.services.registrations import registration_after_create, registration_status_mail

__all__ = [
    "events_offers_expire",
    "events_reminders_send",
    "registration_after_create",
    "registration_status_mail",
]


def events_offers_expire() -> int:
    """Every few minutes: close lapsed seat offers and offer the seats to the next people waiting."""
    return offers_expire()


def events_reminders_send() -> int:
    """Hourly: mail the reminders that have come due."""
    return reminders_send()
