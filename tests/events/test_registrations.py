"""The capacity rule, the waiting list, offers and their expiry, duplicates and reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from ouentai.core.errors import DomainError
from ouentai.core.models import OutgoingMail
from ouentai.events import selectors, services
from ouentai.events.choices import RegistrationStatus
from ouentai.events.models import Registration
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db


def statuses(event):
    return list(event.registrations.order_by("created_at", "pk").values_list("status", flat=True))


def test_seats_fill_then_waiting_list(event, registration_factory):
    for _ in range(5):
        registration_factory(event)
    assert statuses(event) == ["confirmed"] * 3 + ["waitlisted"] * 2
    assert selectors.event_seat_counts(event) == {"held": 3, "waiting": 2}


def test_confirmation_mail_carries_calendar_and_qr(event, registration_factory, run_queued_tasks):
    registration = registration_factory(event, email="yamada@example.jp")
    run_queued_tasks()
    (message,) = mail.outbox
    assert message.to == ["yamada@example.jp"]
    assert "参加確定" in message.subject
    assert registration.code in message.body
    names = [a[0] for a in message.attachments]
    assert names == ["event.ics", f"checkin-{registration.code}.png"]
    calendar = Calendar.from_ical(message.attachments[0][1])
    sessions = calendar.walk("VEVENT")
    assert len(sessions) == 2
    assert "meet.example.jp/kenshu-1" in str(sessions[0]["DESCRIPTION"])
    assert message.attachments[1][1][:8] == b"\x89PNG\r\n\x1a\n"


def test_waitlisted_mail_has_no_qr(event, registration_factory, run_queued_tasks):
    for _ in range(4):
        registration_factory(event)
    run_queued_tasks()
    last = mail.outbox[-1]
    assert "キャンセル待ち" in last.subject
    assert last.attachments == []


def test_same_email_cannot_register_twice_but_can_after_cancelling(event, registration_factory):
    first = registration_factory(event, email="Same@Example.jp")
    with pytest.raises(DomainError) as error:
        registration_factory(event, email="same@example.jp")
    assert error.value.code == "registration.duplicate"
    services.registration_cancel(registration=first)
    again = registration_factory(event, email="same@example.jp")
    assert again.status == RegistrationStatus.CONFIRMED


def test_closed_and_unpublished_events_refuse(yokohama, staff, registration_factory):
    unpublished = make_event(yokohama, staff, publish=False)
    with pytest.raises(DomainError, match="受け付けていません"):
        registration_factory(unpublished)
    closed = make_event(yokohama, staff, registration_closes_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(DomainError):
        registration_factory(closed)
    not_yet = make_event(yokohama, staff, registration_opens_at=timezone.now() + dt.timedelta(days=1))
    with pytest.raises(DomainError):
        registration_factory(not_yet)


def test_required_question_and_unknown_choice(event, staff, registration_factory):
    services.event_questions_set(
        event=event,
        purpose="registration",
        questions=[
            services.QuestionData(
                label="参加の目的", kind="choice", choices="情報収集\n導入検討", required=True
            )
        ],
        actor=staff,
    )
    question = event.questions.get()
    with pytest.raises(DomainError) as error:
        registration_factory(event)
    assert error.value.field == f"q_{question.pk}"
    with pytest.raises(DomainError):
        registration_factory(event, answers={str(question.pk): "その他"})
    ok = registration_factory(event, answers={str(question.pk): "導入検討", "999": "ignored"})
    assert ok.answers == {str(question.pk): "導入検討"}


def test_cancel_offers_seat_to_first_waiting_with_deadline(event, registration_factory, run_queued_tasks):
    people = [registration_factory(event) for _ in range(5)]
    run_queued_tasks()
    mail.outbox.clear()
    services.registration_cancel(registration=people[0])
    people[3].refresh_from_db()
    people[4].refresh_from_db()
    assert people[3].status == RegistrationStatus.OFFERED
    assert people[4].status == RegistrationStatus.WAITLISTED
    expected = timezone.now() + dt.timedelta(hours=48)
    assert abs((people[3].offer_expires_at - expected).total_seconds()) < 60
    run_queued_tasks()
    subjects = sorted(m.subject for m in mail.outbox)
    assert any("取消" in s for s in subjects) and any("席が空きました" in s for s in subjects)
    # The offered seat counts as held: no one new gets confirmed meanwhile.
    newcomer = registration_factory(event)
    assert newcomer.status == RegistrationStatus.WAITLISTED
    assert selectors.event_seat_counts(event)["held"] == 3


def test_accepting_an_offer_confirms(event, registration_factory):
    people = [registration_factory(event) for _ in range(4)]
    services.registration_cancel(registration=people[1])
    offered = Registration.objects.get(pk=people[3].pk)
    services.registration_accept_offer(registration=offered)
    offered.refresh_from_db()
    assert offered.status == RegistrationStatus.CONFIRMED
    assert offered.confirmed_at is not None


def test_offer_expiry_moves_to_next_person(event, registration_factory):
    people = [registration_factory(event) for _ in range(5)]
    services.registration_cancel(registration=people[0])
    later = timezone.now() + dt.timedelta(hours=49)
    assert services.offers_expire(now=later) == 1
    people[3].refresh_from_db()
    people[4].refresh_from_db()
    assert people[3].status == RegistrationStatus.EXPIRED
    assert people[4].status == RegistrationStatus.OFFERED
    # Running the task again changes nothing.
    assert services.offers_expire(now=later) == 0


def test_accepting_after_deadline_is_refused_and_passes_seat_on(event, registration_factory):
    people = [registration_factory(event) for _ in range(5)]
    services.registration_cancel(registration=people[0])
    Registration.objects.filter(pk=people[3].pk).update(
        offer_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with pytest.raises(DomainError) as error:
        services.registration_accept_offer(registration=Registration.objects.get(pk=people[3].pk))
    assert error.value.code == "registration.offer_expired"
    assert Registration.objects.get(pk=people[3].pk).status == RegistrationStatus.EXPIRED
    assert Registration.objects.get(pk=people[4].pk).status == RegistrationStatus.OFFERED


def test_offer_deadline_never_after_start_and_none_in_last_hour(yokohama, staff, registration_factory):
    soon = make_event(yokohama, staff, capacity=1, starts_in=dt.timedelta(hours=10))
    first, second = registration_factory(soon), registration_factory(soon)
    services.registration_cancel(registration=first)
    second.refresh_from_db()
    assert second.status == RegistrationStatus.OFFERED
    assert second.offer_expires_at <= soon.starts_at
    last_minute = make_event(yokohama, staff, capacity=1, starts_in=dt.timedelta(minutes=30))
    a, b = registration_factory(last_minute), registration_factory(last_minute)
    services.registration_cancel(registration=a)
    b.refresh_from_db()
    assert b.status == RegistrationStatus.WAITLISTED


def test_raising_capacity_offers_new_seats_and_lowering_below_held_is_refused(
    event, staff, registration_factory
):
    for _ in range(5):
        registration_factory(event)
    data = services.EventData(kind=event.kind, title=event.title, capacity=2)
    with pytest.raises(DomainError) as error:
        services.event_update(event=event, data=data, actor=staff)
    assert error.value.code == "event.capacity_below_held"
    services.event_update(
        event=event, data=services.EventData(kind=event.kind, title=event.title, capacity=5), actor=staff
    )
    assert statuses(event) == ["confirmed"] * 3 + ["offered"] * 2


def test_newcomers_queue_behind_people_waiting(event, registration_factory):
    people = [registration_factory(event) for _ in range(4)]
    # A seat is freed while someone waits: the waiting person is offered it, the newcomer waits.
    services.registration_cancel(registration=people[0])
    newcomer = registration_factory(event)
    assert newcomer.status == RegistrationStatus.WAITLISTED


def test_reminders_once_per_offset_and_not_before_registration(
    yokohama, staff, registration_factory, run_queued_tasks
):
    event = make_event(yokohama, staff, starts_in=dt.timedelta(days=10), reminder_days="7,1")
    early = registration_factory(event)
    start = event.starts_at
    assert start is not None
    assert services.reminders_send(now=start - dt.timedelta(days=8)) == 0
    assert services.reminders_send(now=start - dt.timedelta(days=7)) == 1
    assert services.reminders_send(now=start - dt.timedelta(days=6)) == 0
    late = registration_factory(event)
    Registration.objects.filter(pk=late.pk).update(created_at=start - dt.timedelta(days=3))
    assert services.reminders_send(now=start - dt.timedelta(hours=23)) == 2
    assert services.reminders_send(now=start - dt.timedelta(hours=22)) == 0
    early.refresh_from_db()
    assert sorted(early.reminders_sent) == [1, 7]
    kinds = OutgoingMail.objects.filter(kind="events.reminder").count()
    assert kinds == 3
    run_queued_tasks()
    assert any("明日開催" in m.subject for m in mail.outbox)


def test_every_registration_change_is_audited(event, registration_factory):
    from ouentai.core.audit import audit_entries_for

    people = [registration_factory(event) for _ in range(4)]
    services.registration_cancel(registration=people[0])
    actions = [e.action for e in audit_entries_for(people[3])]
    assert actions == ["events.registration.offered", "events.registration.waitlisted"]


def test_in_the_last_hour_a_free_seat_goes_to_whoever_asks(yokohama, staff, registration_factory):
    soon = make_event(yokohama, staff, capacity=2, sessions=1, starts_in=dt.timedelta(minutes=30))
    first, _second, waiting = (registration_factory(soon, check_window=False) for _ in range(3))
    assert waiting.status == RegistrationStatus.WAITLISTED
    services.registration_cancel(registration=first)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.WAITLISTED  # too late to offer and wait for an answer
    walk_in = services.attendance_walk_in(
        session=soon.sessions.get(), data=services.RegistrationData(name="当日 来場"), actor=staff
    )
    assert walk_in.status == RegistrationStatus.CONFIRMED
    assert selectors.event_seat_counts(soon)["held"] == 2
