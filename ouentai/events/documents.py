"""Files made from events: calendar entries (iCalendar, RFC 5545) and check-in QR codes. (The PDFs, the
certificate of completion and the reception desk's name list, are in ouentai.events.reports.)"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

if TYPE_CHECKING:
    from ouentai.events.models import Event, Registration


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.OUENTAI_SITE_NAME}//ouentai//JA")
    calendar.add("version", "2.0")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def _location(event: Event, venue_override: str = "") -> str:
    parts = [venue_override or event.venue_name, event.venue_address]
    return " ".join(part for part in parts if part)


def _event_components(event: Event, *, online_urls: bool, stamp: dt.datetime) -> Iterable[CalendarEvent]:
    public_url = settings.OUENTAI_PUBLIC_BASE_URL.rstrip("/") + reverse("events:detail", args=[event.pk])
    for session in event.sessions.all():
        component = CalendarEvent()
        component.add("uid", f"event-{event.pk}-session-{session.pk}@ouentai")
        component.add("dtstamp", stamp)
        component.add("dtstart", session.starts_at)
        component.add("dtend", session.ends_at)
        title = f"{event.title}（{session.title}）" if session.title else event.title
        component.add("summary", title)
        description = [event.summary or "", public_url]
        if online_urls and session.online_url:
            description.append(session.online_url)
        component.add("description", "\n".join(line for line in description if line))
        location = (
            session.online_url
            if (online_urls and session.online_url and not session.venue_name and not event.venue_name)
            else _location(event, session.venue_name)
        )
        if location:
            component.add("location", location)
        component.add("url", public_url)
        yield component


def event_ics(event: Event, *, online_urls: bool = False) -> bytes:
    """The sessions of one event as an iCalendar file; online URLs only when ``online_urls`` (they are
    for confirmed registrants)."""
    calendar = _calendar()
    calendar.add("x-wr-calname", event.title)
    for component in _event_components(event, online_urls=online_urls, stamp=timezone.now()):
        calendar.add_component(component)
    return calendar.to_ical()


def events_feed_ics(events: Iterable[Event], *, name: str) -> bytes:
    """A feed of many events (the public calendar): no online URLs."""
    calendar = _calendar()
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for event in events:
        for component in _event_components(event, online_urls=False, stamp=stamp):
            calendar.add_component(component)
    return calendar.to_ical()


def checkin_payload(registration: Registration) -> str:
    """What the QR code carries: the check-in code alone, so that a typed code and a scanned one are the
    same thing."""
    return registration.code


# Always a full QR code: for an 8-character code segno would pick Micro QR, which phone cameras and
# jsQR cannot read.
def checkin_qr_png(registration: Registration, *, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make_qr(checkin_payload(registration), error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def checkin_qr_svg(registration: Registration, *, scale: int = 6) -> str:
    buffer = io.BytesIO()
    segno.make_qr(checkin_payload(registration), error="m").save(
        buffer, kind="svg", scale=scale, border=4, xmldecl=False, svgns=True, title=registration.code
    )
    return buffer.getvalue().decode()
