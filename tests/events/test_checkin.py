"""The door: check-in by code (typed or scanned), walk-ins, and the attendance table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ouentai.accounts.models import Organization, User
from ouentai.events.choices import RegistrationSource, RegistrationStatus
from ouentai.events.models import Attendance, Event, Registration, Session
from ouentai.events.selectors import session_for_desk
from ouentai.events.services import attendance_set
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db


def _first_session(event: Event) -> Session:
    session = event.sessions.order_by("starts_at").first()
    assert session is not None
    return session


@pytest.fixture
def doors_open(event: Event, time_machine: Any) -> None:
    """The clock at the door of the event's first session: ten minutes before it starts (the desk is
    open, registration still too)."""
    time_machine.move_to(_first_session(event).starts_at - dt.timedelta(minutes=10))


def _check_in(client: Client, event: Event, session: Session, code: str) -> str:
    """Submit a code at the desk and return the page shown after the redirect."""
    url = reverse("events_console:checkin", args=[event.pk])
    response = client.post(url, {"action": "checkin", "session": session.pk, "code": code})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?session={session.pk}"
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page.content.decode()


def _result(html: str) -> str:
    """The live region's content."""
    start = html.index('id="checkin-result"')
    return html[start : html.index("</div>", start)]


def test_check_in_by_code(
    client: Client,
    event: Event,
    registration_factory: Callable[..., Any],
    coordinator: User,
    doors_open: None,
) -> None:
    registration = registration_factory(event, name="山田 太郎", company_name="株式会社みなと精機")
    session = _first_session(event)
    client.force_login(coordinator)
    html = _check_in(client, event, session, registration.code)
    assert "山田 太郎 様（株式会社みなと精機） 受付しました" in _result(html)
    assert "result-ok" in _result(html)
    attendance = Attendance.objects.get(registration=registration, session=session)
    assert attendance.checked_in_by == coordinator
    assert "受付済み <strong>1</strong>人 ／ 参加確定 1人" in html
    # The result is shown once: a reload shows the desk without it.
    again = client.get(reverse("events_console:checkin", args=[event.pk]), {"session": session.pk})
    assert "受付しました" not in _result(again.content.decode())


def test_check_in_accepts_lowercase_and_spaces(
    client: Client, event: Event, registration_factory: Callable[..., Any], staff: User, doors_open: None
) -> None:
    registration = registration_factory(event)
    session = _first_session(event)
    typed = f" {registration.code[:4].lower()} {registration.code[4:].lower()} "
    client.force_login(staff)
    html = _check_in(client, event, session, typed)
    assert "受付しました" in _result(html)
    assert Attendance.objects.filter(registration=registration, session=session).exists()


def test_second_scan_says_already(
    client: Client, event: Event, registration_factory: Callable[..., Any], staff: User, doors_open: None
) -> None:
    registration = registration_factory(event)
    session = _first_session(event)
    client.force_login(staff)
    _check_in(client, event, session, registration.code)
    html = _check_in(client, event, session, registration.code)
    assert "すでに受付済みです" in _result(html)
    assert "result-already" in _result(html)
    assert Attendance.objects.filter(registration=registration).count() == 1


def test_unknown_code(
    client: Client,
    event: Event,
    staff: User,
    yokohama: Organization,
    registration_factory: Callable[..., Any],
    doors_open: None,
) -> None:
    other = make_event(yokohama, title="別の研修")
    elsewhere = registration_factory(other)
    session = _first_session(event)
    client.force_login(staff)
    html = _check_in(client, event, session, "ZZZZ9999")
    assert "受付コード ZZZZ9999 はこのイベントの申込に見つかりません" in _result(html)
    assert "result-error" in _result(html)
    # A code of another event is unknown here too.
    html = _check_in(client, event, session, elsewhere.code)
    assert "見つかりません" in _result(html)
    assert not Attendance.objects.exists()


def test_waitlisted_cannot_check_in(
    client: Client, event: Event, registration_factory: Callable[..., Any], staff: User, doors_open: None
) -> None:
    for _ in range(3):
        registration_factory(event)
    waiting = registration_factory(event, name="待機 花子")
    assert waiting.status == RegistrationStatus.WAITLISTED
    session = _first_session(event)
    client.force_login(staff)
    html = _check_in(client, event, session, waiting.code)
    assert "待機 花子 さんの申込は「キャンセル待ち」のため受付できません" in _result(html)
    assert not Attendance.objects.filter(registration=waiting).exists()


def test_session_of_another_event_is_404(
    client: Client, event: Event, staff: User, yokohama: Organization
) -> None:
    other = make_event(yokohama, title="別の研修")
    client.force_login(staff)
    url = reverse("events_console:checkin", args=[event.pk])
    foreign = _first_session(other).pk
    assert client.get(url, {"session": foreign}).status_code == 404
    assert client.post(url, {"action": "checkin", "session": foreign, "code": "X"}).status_code == 404


def _walk_in(client: Client, event: Event, session: Session, **fields: str) -> Any:
    data = {"action": "walkin", "session": str(session.pk)}
    data |= {
        f"walkin-{k}": v for k, v in {"name": "飛込 一郎", "name_kana": "とびこみ いちろう", **fields}.items()
    }
    return client.post(reverse("events_console:checkin", args=[event.pk]), data)


def test_walk_in_refused_when_full(
    client: Client, event: Event, registration_factory: Callable[..., Any], staff: User, doors_open: None
) -> None:
    for _ in range(3):
        registration_factory(event)
    session = _first_session(event)
    client.force_login(staff)
    response = _walk_in(client, event, session, company_name="株式会社飛込")
    assert response.status_code == 400
    html = response.content.decode()
    assert "満席のため" in _result(html)
    assert 'value="飛込 一郎"' in html  # what was typed is kept
    assert not Registration.objects.filter(name="飛込 一郎", status__in=RegistrationStatus.CONFIRMED).exists()
    assert event.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 3
    assert not Attendance.objects.exists()


def test_walk_in_with_free_seat_is_confirmed_and_attended(
    client: Client, event: Event, staff: User, registration_factory: Callable[..., Any], doors_open: None
) -> None:
    registration_factory(event)
    session = _first_session(event)
    client.force_login(staff)
    response = _walk_in(client, event, session, company_name="株式会社飛込", phone="045-123-4567")
    assert response.status_code == 302
    walk_in = Registration.objects.get(name="飛込 一郎")
    assert walk_in.status == RegistrationStatus.CONFIRMED
    assert walk_in.source == RegistrationSource.WALK_IN
    assert walk_in.name_kana == "トビコミ イチロウ"
    assert walk_in.phone == "+81451234567"
    assert Attendance.objects.filter(registration=walk_in, session=session).exists()
    html = client.get(response["Location"]).content.decode()
    assert "飛込 一郎 様（株式会社飛込） 当日受付で登録し、受付しました" in _result(html)


def test_walk_in_form_errors_beside_fields(client: Client, event: Event, staff: User) -> None:
    session = _first_session(event)
    client.force_login(staff)
    response = _walk_in(client, event, session, name="", email="not-an-address")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_walkin-name_error"' in html and 'id="id_walkin-email_error"' in html
    assert not Registration.objects.exists()


def default_session(sessions: list[Session]) -> Session | None:
    return session_for_desk(sessions, now=timezone.now())


def test_default_session_prefers_today_then_next(event: Event) -> None:
    first, second = list(event.sessions.all())
    assert default_session([first, second]) == first  # both ahead: the next one
    Session.objects.filter(pk=first.pk).update(
        starts_at=first.starts_at - dt.timedelta(days=30), ends_at=first.ends_at - dt.timedelta(days=30)
    )
    first.refresh_from_db()
    assert default_session([first, second]) == second
    assert default_session([]) is None


def _attendance_post(client: Client, event: Event, present: set[str], was: set[str]) -> Any:
    return client.post(
        reverse("events_console:attendance", args=[event.pk]),
        {"present": sorted(present), "was": sorted(was)},
    )


def test_attendance_matrix_records_and_removes(
    client: Client,
    event: Event,
    registration_factory: Callable[..., Any],
    coordinator: User,
    time_machine: Any,
) -> None:
    alice = registration_factory(event, name="出席 愛子")
    bob = registration_factory(event, name="欠席 文男")
    first, second = list(event.sessions.all())
    time_machine.move_to(second.ends_at + dt.timedelta(days=1))  # both sessions held
    client.force_login(coordinator)
    page = client.get(reverse("events_console:attendance", args=[event.pk])).content.decode()
    assert f'value="{alice.pk}-{first.pk}"' in page
    assert "未達" in page

    response = _attendance_post(client, event, {f"{alice.pk}-{first.pk}", f"{alice.pk}-{second.pk}"}, set())
    assert response.status_code == 302
    assert set(alice.attendances.values_list("session_id", flat=True)) == {first.pk, second.pk}
    assert not bob.attendances.exists()
    page = client.get(reverse("events_console:attendance", args=[event.pk])).content.decode()
    assert reverse("events_console:certificate", args=[event.pk, alice.pk]) in page
    assert reverse("events_console:certificate", args=[event.pk, bob.pk]) not in page
    assert f'name="was" value="{alice.pk}-{first.pk}"' in page

    # Untick one cell: only that record goes.
    _attendance_post(
        client, event, {f"{alice.pk}-{first.pk}"}, {f"{alice.pk}-{first.pk}", f"{alice.pk}-{second.pk}"}
    )
    assert set(alice.attendances.values_list("session_id", flat=True)) == {first.pk}


def test_attendance_matrix_keeps_checkins_made_meanwhile(
    client: Client, event: Event, registration_factory: Callable[..., Any], staff: User, doors_open: None
) -> None:
    alice = registration_factory(event)
    bob = registration_factory(event)
    first, _second = list(event.sessions.all())
    client.force_login(staff)
    # The page was opened before bob checked in at the desk; saving it must not undo that.
    attendance_set(registration=bob, session=first, present=True, actor=staff)
    _attendance_post(client, event, {f"{alice.pk}-{first.pk}"}, set())
    assert alice.attendances.filter(session=first).exists()
    assert bob.attendances.filter(session=first).exists()


def test_attendance_certificate_rule_uses_required_sessions(
    client: Client,
    staff: User,
    yokohama: Organization,
    registration_factory: Callable[..., Any],
    time_machine: Any,
) -> None:
    event = make_event(yokohama, required_sessions=1)
    person = registration_factory(event)
    first = _first_session(event)
    time_machine.move_to(first.ends_at + dt.timedelta(minutes=30))  # the first session is over
    attendance_set(registration=person, session=first, present=True, actor=staff)
    client.force_login(staff)
    page = client.get(reverse("events_console:attendance", args=[event.pk])).content.decode()
    assert reverse("events_console:certificate", args=[event.pk, person.pk]) in page


def _matrix_queries(client: Client, event: Event) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("events_console:attendance", args=[event.pk])).status_code == 200
    return len(context.captured_queries)


def test_attendance_query_count_is_constant(
    client: Client,
    staff: User,
    yokohama: Organization,
    registration_factory: Callable[..., Any],
    time_machine: Any,
) -> None:
    event = make_event(yokohama, capacity=30)
    first = _first_session(event)
    time_machine.move_to(first.starts_at - dt.timedelta(minutes=10))
    person = registration_factory(event)
    attendance_set(registration=person, session=first, present=True, actor=staff)
    client.force_login(staff)
    client.get(reverse("events_console:attendance", args=[event.pk]))
    one = _matrix_queries(client, event)
    for _ in range(15):
        attendance_set(registration=registration_factory(event), session=first, present=True, actor=staff)
    assert _matrix_queries(client, event) == one


def test_checkin_query_count_is_constant(
    client: Client,
    staff: User,
    yokohama: Organization,
    registration_factory: Callable[..., Any],
    time_machine: Any,
) -> None:
    event = make_event(yokohama, capacity=30)
    first = _first_session(event)
    time_machine.move_to(first.starts_at - dt.timedelta(minutes=10))
    url = reverse("events_console:checkin", args=[event.pk])
    attendance_set(registration=registration_factory(event), session=first, present=True, actor=staff)
    client.force_login(staff)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(12):
        attendance_set(registration=registration_factory(event), session=first, present=True, actor=staff)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert len(one.captured_queries) == len(many.captured_queries)
    assert "受付済み <strong>13</strong>人" in html
