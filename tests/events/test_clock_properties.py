"""Property tests of the events' rules at the service level (issue 11, defect 5): no sequence of service
calls (register, confirm an offer, cancel, check in, walk in, mark attendance, issue a certificate,
send the survey, answer it, mail attendees or no-shows, change the capacity), made at arbitrary times
around the sessions, produces an attendance, certificate, survey or mail that the time rules forbid,
and the seats held never exceed the capacity (the SQLite path; the PostgreSQL concurrency tests cover
the races).

Each example is the life of one event of three weekly sessions (a hypothesis state machine): the clock,
moved by time-machine, only goes forward, by steps or to moments around a session where the rules
change, and any call may come at any moment. Refusals (DomainError) are expected; any other exception,
or a broken invariant after any step, fails."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from ouentai.accounts.models import Organization, User
from ouentai.core.errors import DomainError
from ouentai.core.models import AuditEntry
from ouentai.events import reports, rules, selectors, services
from ouentai.events.choices import HOLDS_SEAT, MailAudience, QuestionKind, QuestionPurpose
from ouentai.events.models import Attendance, Event, Registration, Session, SurveyResponse

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
FIRST_START = dt.datetime(2027, 6, 7, 14, 0, tzinfo=TOKYO)  # a Monday, 14:00 in Tokyo
SESSIONS = 3
SESSION_LENGTH = dt.timedelta(hours=2)
CREATED = FIRST_START - dt.timedelta(days=30)


person = st.integers(min_value=0, max_value=7)
session_index = st.integers(min_value=0, max_value=SESSIONS - 1)


def _session_times(i: int) -> tuple[dt.datetime, dt.datetime]:
    start = FIRST_START + dt.timedelta(days=7 * i)
    return start, start + SESSION_LENGTH


def _make_event(organization: Organization, staff: User, capacity: int, required: int | None) -> Event:
    with time_machine.travel(CREATED, tick=False):
        event = services.event_create(
            organization=organization,
            data=services.EventData(
                kind="training", title="経営者研修", capacity=capacity, required_sessions=required
            ),
            actor=staff,
        )
        services.event_sessions_set(
            event=event,
            sessions=[
                services.SessionData(
                    title=f"第{i + 1}回", starts_at=_session_times(i)[0], ends_at=_session_times(i)[1]
                )
                for i in range(SESSIONS)
            ],
            actor=staff,
        )
        services.event_questions_set(
            event=event,
            purpose=QuestionPurpose.SURVEY,
            questions=[services.QuestionData(label="満足度", kind=QuestionKind.RATING)],
            actor=staff,
        )
        return services.event_set_published(event=event, published=True, actor=staff)


def _assert_certificate_allowed(registration: Registration, now: dt.datetime) -> None:
    data = reports.certificate_data(registration)
    if data.eligible:
        ended = [s for s in data.sessions_attended if s.ends_at <= now]
        assert registration.status == "confirmed"
        assert len(ended) >= data.required >= 1, (len(ended), data.required)


def _assert_invariants(event: Event, now: dt.datetime) -> None:
    event.refresh_from_db()
    held = event.registrations.filter(status__in=HOLDS_SEAT).count()
    assert held <= event.capacity, (held, event.capacity)
    sessions = {s.pk: s for s in event.sessions.all()}
    registration_ids = set(event.registrations.values_list("pk", flat=True))
    for attendance in Attendance.objects.filter(session__event=event):
        session = sessions[attendance.session_id]
        # Nobody is ever present at a session whose doors had not opened when it was recorded.
        assert attendance.checked_in_at >= rules.doors_open_at(session), attendance
        assert attendance.checked_in_at <= now
    for entry in AuditEntry.objects.filter(
        action="events.attendance.checked_in", target_id__in=[str(pk) for pk in registration_ids]
    ):
        # Recorded as a check-in (not a correction) only while the desk was open.
        desk = sessions.get(entry.details["session"])
        if desk is not None:
            assert rules.doors_open_at(desk) <= entry.created_at <= rules.desk_closes_at(desk), entry
    last_end = max(s.ends_at for s in sessions.values())
    first_end = min(s.ends_at for s in sessions.values())
    for registration in event.registrations.exclude(survey_sent_at=None):
        assert registration.survey_sent_at is not None and registration.survey_sent_at >= last_end
        assert registration.attendances.exists()
    for response in SurveyResponse.objects.filter(registration__event=event):
        assert response.submitted_at >= last_end
    for entry in AuditEntry.objects.filter(action="events.mail.sent", target_id=str(event.pk)):
        if entry.details["audience"] in (MailAudience.ATTENDEES, MailAudience.NO_SHOWS):
            assert entry.created_at >= first_end, entry
    if event.survey_sent_at is not None:
        assert event.survey_sent_at >= last_end
    # A certificate (the person's PDF and the staff's go through certificate_data) only as the rule
    # allows at this moment.
    for registration in event.registrations.select_related("event"):
        _assert_certificate_allowed(registration, now)


class EventLife(RuleBasedStateMachine):
    """One event's life: the clock only moves forward (by a step, or to a moment around a session where
    the rules change), and at each moment any service may be called. Refusals are part of the rules."""

    organization: Organization
    staff: User

    def __init__(self) -> None:
        super().__init__()
        self.traveller = time_machine.travel(CREATED, tick=False)
        self.clock = self.traveller.start()
        self.now = CREATED
        self.event: Event | None = None
        self.count = 0

    def teardown(self) -> None:
        self.traveller.stop()

    # --- Set-up and the clock ---

    @initialize(
        capacity=st.integers(min_value=1, max_value=3),
        required=st.sampled_from([None, *range(1, SESSIONS + 1)]),
        registered=st.integers(min_value=1, max_value=5),
    )
    def open_the_event(self, capacity: int, required: int | None, registered: int) -> None:
        self.event = _make_event(self.organization, self.staff, capacity, required)
        self._move(CREATED + dt.timedelta(days=1))
        for n in range(registered):
            self._call(lambda n=n: services.registration_create(event=self._event, data=self._person(n)))

    @rule(minutes=st.sampled_from([1, 10, 30, 59, 61, 90, 121, 24 * 60, 6 * 24 * 60]))
    def time_passes(self, minutes: int) -> None:
        self._move(self.now + dt.timedelta(minutes=minutes))

    @rule(
        session=st.integers(min_value=0, max_value=SESSIONS - 1),
        minutes=st.integers(min_value=-90, max_value=240),
    )
    def time_comes_to(self, session: int, minutes: int) -> None:
        """Jump to a moment around a session (doors at -60, end at +120, desk closed at +180), if it is
        still ahead."""
        target = _session_times(session)[0] + dt.timedelta(minutes=minutes)
        if target > self.now:
            self._move(target)

    # --- The calls ---

    @rule(n=person)
    def register(self, n: int) -> None:
        self._call(lambda: services.registration_create(event=self._event, data=self._person(n)))

    @rule(n=person)
    def staff_register(self, n: int) -> None:
        self._call(
            lambda: services.registration_create(
                event=self._event, data=self._person(n), actor=self.staff, source="staff", check_window=False
            )
        )

    @rule(n=person)
    def cancel(self, n: int) -> None:
        self._on(n, lambda r: services.registration_cancel(registration=r, actor=self.staff))

    @rule(n=person)
    def cancel_by_the_person(self, n: int) -> None:
        self._on(n, lambda r: services.registration_cancel(registration=r))

    @rule(n=person)
    def accept(self, n: int) -> None:
        self._on(n, lambda r: services.registration_accept_offer(registration=r))

    @rule()
    def offers_expire(self) -> None:
        self._call(services.offers_expire)

    @rule(n=person, session=session_index)
    def check_in(self, n: int, session: int) -> None:
        self._on(
            n,
            lambda r: services.attendance_check_in(
                session=self._session(session), code=r.code, actor=self.staff
            ),
        )

    @rule(n=person)
    def check_in_at_the_desk_of_the_day(self, n: int) -> None:
        """The desk works on the session of the moment (the console's default), as it does in practice."""
        session = selectors.session_for_desk(list(self._event.sessions.all()), now=self.now)
        assert session is not None
        self._on(n, lambda r: services.attendance_check_in(session=session, code=r.code, actor=self.staff))

    @rule(session=session_index)
    def walk_in(self, session: int) -> None:
        data = services.RegistrationData(name=f"当日 {self.count}")
        self._call(
            lambda: services.attendance_walk_in(session=self._session(session), data=data, actor=self.staff)
        )

    @rule(n=person, session=session_index, present=st.booleans())
    def mark(self, n: int, session: int, present: bool) -> None:
        self._on(
            n,
            lambda r: services.attendance_set(
                registration=r, session=self._session(session), present=present, actor=self.staff
            ),
        )

    @rule()
    def send_the_survey(self) -> None:
        self._call(lambda: services.survey_send(event=self._event, actor=self.staff))

    @rule(n=person)
    def answer_the_survey(self, n: int) -> None:
        question = self._event.questions.get(purpose=QuestionPurpose.SURVEY)
        self._on(n, lambda r: services.survey_submit(registration=r, answers={str(question.pk): "4"}))

    @rule(audience=st.sampled_from(MailAudience.values))
    def mail(self, audience: str) -> None:
        self._call(
            lambda: services.event_mail_send(
                event=self._event, audience=audience, subject="ご案内", body="本文", actor=self.staff
            )
        )

    @rule(capacity=st.integers(min_value=1, max_value=4))
    def change_the_capacity(self, capacity: int) -> None:
        event = self._event
        data = services.EventData(
            kind="training", title="経営者研修", capacity=capacity, required_sessions=event.required_sessions
        )
        self._call(lambda: services.event_update(event=event, data=data, actor=self.staff))

    # --- What must always hold ---

    @invariant()
    def the_rules_hold(self) -> None:
        if self.event is not None:
            _assert_invariants(self.event, self.now)

    # --- Helpers ---

    @property
    def _event(self) -> Event:
        assert self.event is not None
        return self.event

    def _move(self, when: dt.datetime) -> None:
        self.clock.move_to(when)
        self.now = when

    def _person(self, n: int) -> services.RegistrationData:
        self.count += 1
        return services.RegistrationData(name=f"参加 {self.count}", email=f"p{n}@example.jp")

    def _session(self, i: int) -> Session:
        return list(self._event.sessions.order_by("starts_at"))[i]

    def _call(self, call: Any) -> None:
        with contextlib.suppress(DomainError):
            call()

    def _on(self, n: int, call: Any) -> None:
        registrations = list(self._event.registrations.order_by("pk"))
        if registrations:
            registration = registrations[n % len(registrations)]
            self._call(lambda: call(registration))


def test_no_sequence_of_calls_breaks_the_clock_or_the_capacity(yokohama: Organization, staff: User) -> None:
    EventLife.organization = yokohama
    EventLife.staff = staff
    run_state_machine_as_test(
        EventLife,
        settings=settings(
            max_examples=15,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
