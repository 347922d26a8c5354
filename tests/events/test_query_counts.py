"""Issue 12: the public event page, a person's registration page and the console's lists read a fixed
number of queries through the selectors, whatever the number of sessions, registrations, attendances
or events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ouentai.accounts.models import Organization, User
from ouentai.events import services
from ouentai.events.models import Registration
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db

Factory = Callable[..., Registration]


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_public_event_page_reads_a_fixed_number_of_queries(
    client: Client, yokohama: Organization, registration_factory: Factory, django_assert_max_num_queries: Any
) -> None:
    small = make_event(yokohama, sessions=1, capacity=50)
    big = make_event(yokohama, sessions=6, capacity=50)
    services.event_presenters_set(
        event=big, presenters=[services.PresenterData(name=f"講師 {n}") for n in range(5)], actor=None
    )
    for _ in range(20):
        registration_factory(big)
    url = reverse("events:detail", args=[small.pk])
    client.get(url)  # warm the caches (content types, the privacy policy)
    one = _queries(client, url)
    with django_assert_max_num_queries(one):
        html = client.get(reverse("events:detail", args=[big.pk])).content.decode()
    assert "残り30席" in html and "講師 4" in html
    assert one <= 10


def test_registration_page_reads_a_fixed_number_of_queries(
    client: Client,
    yokohama: Organization,
    staff: User,
    registration_factory: Factory,
    time_machine: Any,
    django_assert_max_num_queries: Any,
) -> None:
    small = make_event(yokohama, sessions=1)
    big = make_event(yokohama, sessions=5, required_sessions=2)
    few, many = registration_factory(small), registration_factory(big)
    sessions = list(big.sessions.order_by("starts_at"))
    for session in sessions:
        time_machine.move_to(session.starts_at)
        services.attendance_check_in(session=session, code=many.code, actor=staff)
    time_machine.move_to(sessions[-1].ends_at + dt.timedelta(days=1))
    url = reverse("events:registration", args=[few.token])
    client.get(url)
    one = _queries(client, url)
    with django_assert_max_num_queries(one):
        html = client.get(reverse("events:registration", args=[many.token])).content.decode()
    assert "これまでの出席：5回 / 全5回" in html
    assert reverse("events:certificate", args=[many.token]) in html
    assert one <= 6


def test_console_event_list_reads_a_fixed_number_of_queries(
    client: Client, yokohama: Organization, staff: User, registration_factory: Factory
) -> None:
    first = make_event(yokohama)
    registration_factory(first)
    client.force_login(staff)
    url = reverse("events_console:list")
    client.get(url)
    one = _queries(client, url)
    for n in range(8):
        registration_factory(make_event(yokohama, title=f"セミナー{n}"))
    assert _queries(client, url) == one
    assert client.get(url).content.decode().count("events/") >= 9


def test_mail_and_survey_pages_read_a_fixed_number_of_queries(
    client: Client, event: Any, staff: User, registration_factory: Factory, time_machine: Any
) -> None:
    registration_factory(event)
    time_machine.move_to(event.ends_at + dt.timedelta(days=1))
    client.force_login(staff)
    mail_url = reverse("events_console:mail", args=[event.pk])
    survey_url = reverse("events_console:survey", args=[event.pk])
    client.get(mail_url)
    counts = (_queries(client, mail_url), _queries(client, survey_url))
    for _ in range(10):
        registration_factory(event, check_window=False)
    assert (_queries(client, mail_url), _queries(client, survey_url)) == counts
