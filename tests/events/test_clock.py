"""Issue 11, defect 5: events with a clock. Attendance only from the doors' opening (the desk until an hour
after the end; corrections afterwards, audited), a certificate only from sessions that are over, the
survey and mail to attendees or no-shows only after the event (a session), and a schedule that refuses
what cannot happen and asks before saving what is merely unusual. Each test moves the clock across the
session's boundaries (time-machine)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ouentai.accounts.models import Organization, User
from ouentai.core.errors import DomainError
from ouentai.core.models import AuditEntry, OutgoingMail
from ouentai.events import reports, rules, services
from ouentai.events.choices import MailAudience, QuestionKind, QuestionPurpose
from ouentai.events.models import Attendance, Event, Registration, Session, SurveyResponse
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db

Factory = Callable[..., Registration]
MINUTE = dt.timedelta(minutes=1)


def _sessions(event: Event) -> list[Session]:
    return list(event.sessions.order_by("starts_at"))


def _survey_questions(event: Event) -> None:
    services.event_questions_set(
        event=event,
        purpose=QuestionPurpose.SURVEY,
        questions=[services.QuestionData(label="満足度", kind=QuestionKind.RATING, required=True)],
        actor=None,
    )


# --- The desk -------------------------------------------------------------------------------------


def test_defect5_checkin_a_week_ahead_is_refused_at_the_desk(
    client: Client, event: Event, registration_factory: Factory, staff: User
) -> None:
    """The trial's first finding: attendance recorded at /console/events/<id>/checkin/ for a session a
    week ahead."""
    registration = registration_factory(event)
    first = _sessions(event)[0]
    assert first.starts_at - timezone.now() > dt.timedelta(days=7)
    client.force_login(staff)
    url = reverse("events_console:checkin", args=[event.pk])
    page = client.get(url, {"session": first.pk}).content.decode()
    assert "この回の受付は" in page and "から始まります" in page  # the desk says when it opens
    response = client.post(url, {"action": "checkin", "session": first.pk, "code": registration.code})
    html = client.get(response["Location"]).content.decode()
    assert "result-error" in html and "から始まります" in html
    assert not Attendance.objects.exists()


def test_desk_window_edges(
    event: Event, registration_factory: Factory, staff: User, time_machine: Any
) -> None:
    registration = registration_factory(event)
    first = _sessions(event)[0]
    time_machine.move_to(rules.doors_open_at(first) - MINUTE, tick=False)
    with pytest.raises(DomainError) as error:
        services.attendance_check_in(session=first, code=registration.code, actor=staff)
    assert error.value.code == "checkin.not_open"
    time_machine.move_to(rules.doors_open_at(first), tick=False)
    assert services.attendance_check_in(session=first, code=registration.code, actor=staff)[1]
    Attendance.objects.all().delete()
    time_machine.move_to(rules.desk_closes_at(first), tick=False)
    assert services.attendance_check_in(session=first, code=registration.code, actor=staff)[1]
    Attendance.objects.all().delete()
    time_machine.move_to(rules.desk_closes_at(first) + MINUTE, tick=False)
    with pytest.raises(DomainError) as error:
        services.attendance_check_in(session=first, code=registration.code, actor=staff)
    assert error.value.code == "checkin.closed"
    assert not Attendance.objects.exists()


def test_walk_in_outside_the_desk_window_writes_nothing(
    client: Client, event: Event, staff: User, time_machine: Any
) -> None:
    first = _sessions(event)[0]
    data = services.RegistrationData(name="飛込 一郎")
    with pytest.raises(DomainError) as error:
        services.attendance_walk_in(session=first, data=data, actor=staff)
    assert error.value.code == "checkin.not_open"
    time_machine.move_to(rules.desk_closes_at(first) + MINUTE)
    with pytest.raises(DomainError):
        services.attendance_walk_in(session=first, data=data, actor=staff)
    assert not Registration.objects.exists() and not Attendance.objects.exists()
    time_machine.move_to(first.starts_at + dt.timedelta(minutes=15))
    walk_in = services.attendance_walk_in(session=first, data=data, actor=staff)
    assert Attendance.objects.filter(registration=walk_in, session=first).exists()


# --- The attendance table -------------------------------------------------------------------------


def test_defect5_attendance_table_refuses_a_session_not_yet_begun(
    client: Client, event: Event, registration_factory: Factory, staff: User, time_machine: Any
) -> None:
    registration = registration_factory(event)
    first, second = _sessions(event)
    time_machine.move_to(first.starts_at)
    client.force_login(staff)
    url = reverse("events_console:attendance", args=[event.pk])
    page = client.get(url).content.decode()
    # The cell of the session a week ahead cannot be ticked; today's can.
    assert f'value="{registration.pk}-{second.pk}" id="cell-{registration.pk}-{second.pk}" disabled' in page
    assert f'value="{registration.pk}-{first.pk}" id="cell-{registration.pk}-{first.pk}">' in page
    response = client.post(
        url, {"present": [f"{registration.pk}-{first.pk}", f"{registration.pk}-{second.pk}"]}, follow=True
    )
    html = response.content.decode()
    assert "まだ始まっていないため、出席にできません" in html
    assert set(registration.attendances.values_list("session_id", flat=True)) == {first.pk}
    with pytest.raises(DomainError) as error:
        services.attendance_set(registration=registration, session=second, present=True, actor=staff)
    assert error.value.code == "attendance.not_started"


def test_registration_page_offers_attendance_only_for_begun_sessions(
    client: Client, event: Event, registration_factory: Factory, staff: User
) -> None:
    registration = registration_factory(event)
    client.force_login(staff)
    url = reverse("events_console:registration", args=[event.pk, registration.pk])
    html = client.get(url).content.decode()
    assert "出席にする" not in html and "まだ始まっていません" in html
    first = _sessions(event)[0]
    client.post(url, {"action": "attendance", "session": first.pk, "present": "1"})
    assert not registration.attendances.exists()


def test_correction_after_the_desk_closed_is_audited_and_removal_always_works(
    event: Event, registration_factory: Factory, staff: User, time_machine: Any
) -> None:
    registration = registration_factory(event)
    first = _sessions(event)[0]
    time_machine.move_to(first.ends_at + dt.timedelta(days=2))  # entered from the paper list later
    services.attendance_set(registration=registration, session=first, present=True, actor=staff)
    entry = AuditEntry.objects.get(action="events.attendance.corrected")
    assert entry.details == {"session": first.pk, "via": "table"}
    assert entry.actor == staff
    # A mark recorded by mistake ahead of time (as the old code allowed) can always be removed.
    second = _sessions(event)[1]
    Attendance.objects.create(registration=registration, session=second)
    services.attendance_set(registration=registration, session=second, present=False, actor=staff)
    assert set(registration.attendances.values_list("session_id", flat=True)) == {first.pk}


# --- The certificate ------------------------------------------------------------------------------


def test_defect5_no_certificate_before_the_sessions_are_over(
    client: Client, yokohama: Organization, staff: User, registration_factory: Factory, time_machine: Any
) -> None:
    event = make_event(yokohama, staff, sessions=2, required_sessions=1)
    registration = registration_factory(event)
    first = _sessions(event)[0]
    # A mark recorded ahead of time by the old code never earns a certificate.
    Attendance.objects.create(registration=registration, session=first)
    assert not reports.certificate_data(registration).eligible
    time_machine.move_to(first.starts_at + dt.timedelta(minutes=30))  # present, the session running
    public_page = reverse("events:registration", args=[registration.token])
    public_pdf = reverse("events:certificate", args=[registration.token])
    console_pdf = reverse("events_console:certificate", args=[event.pk, registration.pk])
    client.force_login(staff)
    assert not reports.certificate_data(registration).eligible
    assert client.get(console_pdf).status_code == 404
    refusal = client.get(public_pdf)
    assert refusal.status_code == 404
    assert "出席した回が終わってから発行します" in refusal.content.decode()
    page = client.get(public_page).content.decode()
    assert public_pdf not in page
    assert "出席した回が終わったあとに" in page
    attendance_page = client.get(reverse("events_console:attendance", args=[event.pk])).content.decode()
    assert console_pdf not in attendance_page and "出席した回の終了後" in attendance_page

    time_machine.move_to(first.ends_at)  # over
    assert reports.certificate_data(registration).eligible
    assert client.get(console_pdf).status_code == 200
    assert client.get(public_pdf).status_code == 200
    assert public_pdf in client.get(public_page).content.decode()
    assert console_pdf in client.get(reverse("events_console:attendance", args=[event.pk])).content.decode()


def test_export_marks_the_certificate_only_for_sessions_over(
    event: Event, registration_factory: Factory, staff: User, time_machine: Any
) -> None:
    registration = registration_factory(event)
    first, second = _sessions(event)
    for session in (first, second):
        time_machine.move_to(session.starts_at)
        services.attendance_check_in(session=session, code=registration.code, actor=staff)
    header, row = list(reports.registration_rows(event))
    assert row[header.index("修了証の対象")] == ""  # the second session is still running
    time_machine.move_to(second.ends_at)
    header, row = list(reports.registration_rows(event))
    assert row[header.index("修了証の対象")] == "○"


# --- Survey and mail after the event --------------------------------------------------------------


def test_defect5_survey_is_not_sent_before_the_course_took_place(
    client: Client, event: Event, registration_factory: Factory, staff: User, time_machine: Any
) -> None:
    _survey_questions(event)
    registration = registration_factory(event)
    first, second = _sessions(event)
    time_machine.move_to(first.starts_at)
    services.attendance_check_in(session=first, code=registration.code, actor=staff)
    time_machine.move_to(first.ends_at + dt.timedelta(days=1))  # between the two sessions
    client.force_login(staff)
    url = reverse("events_console:survey", args=[event.pk])
    page = client.get(url).content.decode()
    assert "最後の回が終わってから" in page
    assert 'aria-describedby="send-note" disabled' in page
    response = client.post(url, {"action": "send"}, follow=True)
    assert "最後の回が終わってから" in response.content.decode()
    with pytest.raises(DomainError) as error:
        services.survey_send(event=event, actor=staff)
    assert error.value.code == "survey.too_early"
    registration.refresh_from_db()
    assert registration.survey_sent_at is None
    assert not OutgoingMail.objects.filter(kind="events.survey").exists()
    # The person cannot answer it through their link either.
    survey_url = reverse("events:survey", args=[registration.token])
    response = client.get(survey_url)
    assert response.status_code == 404
    assert "イベントが終わってから" in response.content.decode()
    assert client.post(survey_url, {}).status_code == 404
    with pytest.raises(DomainError) as error:
        services.survey_submit(registration=registration, answers={})
    assert error.value.code == "survey.not_yet"

    time_machine.move_to(second.ends_at + MINUTE)
    client.force_login(staff)
    assert services.survey_send(event=event, actor=staff) == 1
    question = event.questions.get(purpose=QuestionPurpose.SURVEY)
    assert client.post(survey_url, {f"q_{question.pk}": "4"}).status_code == 302
    assert SurveyResponse.objects.get().submitted_at >= second.ends_at


def test_defect5_no_show_mail_only_once_a_session_is_over(
    client: Client, event: Event, registration_factory: Factory, staff: User, time_machine: Any
) -> None:
    registration_factory(event)
    client.force_login(staff)
    url = reverse("events_console:mail", args=[event.pk])
    page = client.get(url).content.decode()
    assert "欠席した人（参加確定で出席記録なし）（開催回の終了後に送れます）" in page
    data = {"audience": MailAudience.NO_SHOWS, "subject": "資料", "body": "資料をお送りします。"}
    response = client.post(url, {**data, "action": "send"})
    assert response.status_code == 400
    assert "開催回が終わってから送れます" in response.content.decode()
    for audience in (MailAudience.NO_SHOWS, MailAudience.ATTENDEES):
        with pytest.raises(DomainError) as error:
            services.event_mail_send(event=event, audience=audience, subject="件名", body="本文", actor=staff)
        assert error.value.code == "mail.too_early"
    # Mail to everyone confirmed (e.g. directions) needs no session to be over.
    assert services.event_mail_send(
        event=event, audience=MailAudience.CONFIRMED, subject="会場のご案内", body="本文", actor=staff
    )
    mail.outbox.clear()
    time_machine.move_to(_sessions(event)[0].ends_at)
    client.force_login(staff)
    assert "欠席した人（参加確定で出席記録なし）（1人）" in client.get(url).content.decode()
    assert client.post(url, {**data, "action": "send"}).status_code == 302


# --- Cancelling after the event -------------------------------------------------------------------


def test_cancel_is_offered_exactly_while_the_service_accepts_it(
    client: Client, event: Event, registration_factory: Factory, staff: User, time_machine: Any
) -> None:
    registration = registration_factory(event)
    page_url = reverse("events:registration", args=[registration.token])
    console_url = reverse("events_console:registration", args=[event.pk, registration.pk])
    assert "参加を取り消す" in client.get(page_url).content.decode()
    time_machine.move_to(_sessions(event)[-1].ends_at + MINUTE)
    assert not services.registration_can_cancel(registration, now=timezone.now())
    assert "参加を取り消す" not in client.get(page_url).content.decode()
    client.force_login(staff)
    assert "この申込を取り消す" not in client.get(console_url).content.decode()
    with pytest.raises(DomainError) as error:
        services.registration_cancel(registration=registration, actor=staff)
    assert error.value.code == "registration.event_over"


def test_manager_only_actions_are_refused_by_the_services(
    event: Event, registration_factory: Factory, coordinator: User
) -> None:
    registration = registration_factory(event)
    for call in (
        lambda: services.registration_cancel(registration=registration, actor=coordinator),
        lambda: services.survey_send(event=event, actor=coordinator),
        lambda: services.event_mail_send(
            event=event, audience=MailAudience.CONFIRMED, subject="件名", body="本文", actor=coordinator
        ),
        lambda: services.registration_make_member(registration=registration, actor=coordinator),
    ):
        with pytest.raises(DomainError) as error:
            call()
        assert error.value.code == services.FORBIDDEN
    registration.refresh_from_db()
    assert registration.is_active


# --- Saving a schedule ----------------------------------------------------------------------------


def _session(days: float, hours: float = 2, **fields: Any) -> services.SessionData:
    start = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0) + dt.timedelta(days=days)
    return services.SessionData(starts_at=start, ends_at=start + dt.timedelta(hours=hours), **fields)


def _data(**fields: Any) -> services.EventData:
    return services.EventData(**{"kind": "training", "title": "研修", "capacity": 10, **fields})


def _draft(yokohama: Organization) -> Event:
    return services.event_create(organization=yokohama, data=_data(), actor=None)


def test_impossible_schedules_are_refused(yokohama: Organization) -> None:
    event = _draft(yokohama)
    cases = {
        "event.session_times": [_session(10, hours=-1)],
        "event.session_overlap": [_session(10, hours=3), _session(10.05)],
    }
    for code, sessions in cases.items():
        with pytest.raises(DomainError) as error:
            services.event_sessions_set(event=event, sessions=sessions, actor=None)
        assert error.value.code == code
    soon = _session(10)
    window_cases = {
        "event.window": _data(
            registration_opens_at=soon.starts_at - dt.timedelta(days=1),
            registration_closes_at=soon.starts_at - dt.timedelta(days=2),
        ),
        "event.window_empty": _data(registration_opens_at=soon.starts_at + MINUTE),
        "event.window_after_end": _data(registration_closes_at=soon.ends_at + MINUTE),
    }
    for code, data in window_cases.items():
        with pytest.raises(DomainError) as error:
            services.event_save(
                organization=yokohama,
                event=None,
                data=data,
                sessions=[soon],
                presenters=[],
                questions=[],
                actor=None,
            )
        assert error.value.code == code
    assert Event.objects.count() == 1 and not Session.objects.exists()


def test_session_with_attendance_cannot_move_to_a_time_not_yet_come(
    event: Event, registration_factory: Factory, staff: User, time_machine: Any
) -> None:
    registration = registration_factory(event)
    first, second = _sessions(event)
    time_machine.move_to(first.starts_at)
    services.attendance_check_in(session=first, code=registration.code, actor=staff)
    moved = [
        services.SessionData(
            pk=first.pk, title=first.title, starts_at=first.starts_at + dt.timedelta(days=3),
            ends_at=first.ends_at + dt.timedelta(days=3),
        ),
        services.SessionData(pk=second.pk, title=second.title, starts_at=second.starts_at, ends_at=second.ends_at),
    ]  # fmt: skip
    with pytest.raises(DomainError) as error:
        services.event_sessions_set(event=event, sessions=moved, actor=staff)
    assert error.value.code == "event.session_attended_future"
    first.refresh_from_db()
    assert first.starts_at == _sessions(event)[0].starts_at


def test_unusual_schedules_need_a_confirmation_of_those_very_warnings(yokohama: Organization) -> None:
    event = _draft(yokohama)
    past = [_session(-3)]
    with pytest.raises(services.ScheduleWarnings) as warning:
        services.event_sessions_set(event=event, sessions=past, actor=None)
    assert [w.code for w in warning.value.warnings] == ["event.session_past"]
    assert not event.sessions.exists()
    # A confirmation of another warning does not cover this one.
    other = _session(-4)
    with pytest.raises(services.ScheduleWarnings) as again:
        services.event_sessions_set(
            event=event, sessions=[other], actor=None, confirmed=[w.key for w in warning.value.warnings]
        )
    services.event_sessions_set(
        event=event, sessions=[other], actor=None, confirmed=[w.key for w in again.value.warnings]
    )
    assert event.sessions.count() == 1
    # Out of order, and registration still open after the first session began.
    later, earlier = _session(14), _session(7)
    with pytest.raises(services.ScheduleWarnings) as warning:
        services.event_save(
            organization=yokohama,
            event=event,
            data=_data(registration_closes_at=earlier.ends_at),
            sessions=[later, earlier],
            presenters=[],
            questions=[],
            actor=None,
        )
    assert sorted(w.code for w in warning.value.warnings) == ["event.sessions_order", "event.window_late"]
    # A stored session left as it is never warns again, though it is in the past now.
    assert services.event_update(event=event, data=_data(capacity=20), actor=None).capacity == 20


def _form_post(**sessions: str) -> dict[str, str]:
    from tests.events.test_console import _new_event_post

    return _new_event_post(**sessions)


def test_defect5_a_past_session_is_saved_only_after_a_confirmation(client: Client, staff: User) -> None:
    """The trial's last finding: a session in the past saved without a warning."""
    client.force_login(staff)
    past_day = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    data = _form_post(**{"sessions-0-date": past_day, "sessions-0-title": "第1回（実施済み）"})
    url = reverse("events_console:create")
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "まだ保存されていません" in html and "過去の日時" in html
    assert 'value="第1回（実施済み）"' in html and "ＩＴ経営研修２０２７" in html  # what was typed is kept
    assert not Event.objects.exists()
    keys = response.context["warnings"]
    # "保存" again (without "この内容で保存する") asks again.
    confirmed = [w.key for w in keys]
    assert client.post(url, {**data, "confirmed": confirmed}).status_code == 200
    assert not Event.objects.exists()
    response = client.post(url, {**data, "confirmed": confirmed, "save_anyway": "1"})
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.sessions.filter(title="第1回（実施済み）").exists()


def test_a_refused_schedule_shows_its_message_and_saves_nothing(client: Client, staff: User) -> None:
    client.force_login(staff)
    day = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    data = _form_post(
        **{"sessions-1-date": day, "sessions-1-start_time": "15:00", "sessions-1-end_time": "18:00"}
    )  # the second session overlaps the first (14:00–17:00 the same day)
    response = client.post(reverse("events_console:create"), data)
    assert response.status_code == 400
    assert "開催回の時間が重なっています" in response.content.decode()
    assert not Event.objects.exists()
