"""Console event pages: who may open them, the event form with its formsets, publishing, the event page
and a registration's page."""

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
from ouentai.events.choices import EventKind, QuestionKind, QuestionPurpose, RegistrationStatus
from ouentai.events.models import Event, Registration
from ouentai.events.services import QuestionData, attendance_set, event_questions_set
from tests.community.factories import CompanyFactory
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db


def _login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def _management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _day(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _new_event_post(**overrides: str) -> dict[str, str]:
    """What staff type to create a two-session 経営者研修 with one choice question (presenters left empty)."""
    data = {
        "kind": EventKind.TRAINING,
        "title": "ＩＴ経営研修２０２７",
        "summary": "2回で学ぶIT戦略",
        "description": "第1回は現状分析です。",
        "venue_name": "横浜市産業振興センター",
        "venue_postal_code": "２３１－００２３",
        "venue_address": "",
        "capacity": "30",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "required_sessions": "1",
        "reminder_days": "７、１４",
        "offer_hours": "24",
        **_management("sessions", 2),
        "sessions-0-title": "第1回",
        "sessions-0-date": _day(30),
        "sessions-0-start_time": "14:00",
        "sessions-0-end_time": "17:00",
        "sessions-0-venue_name": "",
        "sessions-0-online_url": "",
        "sessions-1-title": "第2回",
        "sessions-1-date": _day(37),
        "sessions-1-start_time": "14:00",
        "sessions-1-end_time": "17:00",
        "sessions-1-venue_name": "",
        "sessions-1-online_url": "https://meet.example.jp/abc",
        **_management("presenters", 1),
        "presenters-0-name": "",
        "presenters-0-affiliation": "",
        "presenters-0-topic": "",
        "presenters-0-company": "",
        **_management("questions", 1),
        "questions-0-label": "参加の目的",
        "questions-0-kind": QuestionKind.CHOICE,
        "questions-0-choices": "情報収集\n導入の検討\n\n",
        "questions-0-required": "on",
        "questions-0-order": "",
    }
    data.update(overrides)
    return data


def _edit_post(event: Event, **overrides: str) -> dict[str, str]:
    """The edit form of ``event`` as the page shows it, submitted unchanged unless overridden."""
    sessions = list(event.sessions.all())
    data: dict[str, str] = {
        "kind": event.kind,
        "title": event.title,
        "summary": event.summary,
        "description": event.description,
        "venue_name": event.venue_name,
        "venue_postal_code": event.venue_postal_code,
        "venue_address": event.venue_address,
        "capacity": str(event.capacity),
        "registration_opens_at": "",
        "registration_closes_at": "",
        "required_sessions": "",
        "reminder_days": event.reminder_days,
        "offer_hours": str(event.offer_hours),
        **_management("sessions", len(sessions), len(sessions)),
        **_management("presenters", 0),
        **_management("questions", 0),
    }
    for i, session in enumerate(sessions):
        start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        data |= {
            f"sessions-{i}-pk": str(session.pk),
            f"sessions-{i}-title": session.title,
            f"sessions-{i}-date": start.date().isoformat(),
            f"sessions-{i}-start_time": f"{start:%H:%M}",
            f"sessions-{i}-end_time": f"{end:%H:%M}",
            f"sessions-{i}-venue_name": session.venue_name,
            f"sessions-{i}-online_url": session.online_url,
        }
    data.update(overrides)
    return data


def _my_urls(event: Event, registration: Registration) -> list[tuple[str, str]]:
    """(method, url) of every page this module covers."""
    return [
        ("get", reverse("events_console:list")),
        ("get", reverse("events_console:create")),
        ("get", reverse("events_console:detail", args=[event.pk])),
        ("get", reverse("events_console:edit", args=[event.pk])),
        ("post", reverse("events_console:publish", args=[event.pk])),
        ("get", reverse("events_console:registration", args=[event.pk, registration.pk])),
        ("get", reverse("events_console:checkin", args=[event.pk])),
        ("get", reverse("events_console:attendance", args=[event.pk])),
    ]


def test_anonymous_is_sent_to_login(
    client: Client, event: Event, registration_factory: Callable[..., Any]
) -> None:
    registration = registration_factory(event)
    for method, url in _my_urls(event, registration):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"], url


def test_other_organization_gets_404(
    client: Client, event: Event, registration_factory: Callable[..., Any], kawasaki_staff: User
) -> None:
    registration = registration_factory(event)
    _login(client, kawasaki_staff)
    for method, url in _my_urls(event, registration):
        if url in (reverse("events_console:list"), reverse("events_console:create")):
            continue
        assert getattr(client, method)(url).status_code == 404, url
    # Their own list does not show yokohama's event.
    assert event.title not in client.get(reverse("events_console:list")).content.decode()
    # Nothing was changed by the refused POST.
    assert Event.objects.get(pk=event.pk).is_published


def test_registration_of_another_event_is_404(
    client: Client,
    event: Event,
    registration_factory: Callable[..., Any],
    staff: User,
    yokohama: Organization,
) -> None:
    other = make_event(yokohama, title="別のイベント")
    registration = registration_factory(other)
    _login(client, staff)
    url = reverse("events_console:registration", args=[event.pk, registration.pk])
    assert client.get(url).status_code == 404


def test_coordinator_views_but_cannot_manage(
    client: Client, event: Event, registration_factory: Callable[..., Any], coordinator: User
) -> None:
    registration = registration_factory(event)
    _login(client, coordinator)
    for name, args in (
        ("list", []),
        ("detail", [event.pk]),
        ("checkin", [event.pk]),
        ("attendance", [event.pk]),
        ("registration", [event.pk, registration.pk]),
    ):
        assert client.get(reverse(f"events_console:{name}", args=args)).status_code == 200, name
    assert "新しいイベント" not in client.get(reverse("events_console:list")).content.decode()
    assert client.get(reverse("events_console:create")).status_code == 403
    assert client.post(reverse("events_console:create"), _new_event_post()).status_code == 403
    assert client.get(reverse("events_console:edit", args=[event.pk])).status_code == 403
    assert client.post(reverse("events_console:edit", args=[event.pk]), _edit_post(event)).status_code == 403
    publish = reverse("events_console:publish", args=[event.pk])
    assert client.post(publish, {"published": "0"}).status_code == 403
    cancel = reverse("events_console:registration", args=[event.pk, registration.pk])
    assert client.post(cancel, {"action": "cancel"}).status_code == 403
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert Event.objects.count() == 1


def test_staff_sees_list_with_counts(
    client: Client, event: Event, registration_factory: Callable[..., Any], staff: User
) -> None:
    for _ in range(4):
        registration_factory(event)
    _login(client, staff)
    html = client.get(reverse("events_console:list")).content.decode()
    assert "新しいイベント" in html
    assert event.title in html
    assert "3／1" in html  # 3 confirmed, 1 waiting
    assert "満席" in html
    past = client.get(reverse("events_console:list"), {"when": "past"}).content.decode()
    assert event.title not in past
    found = client.get(reverse("events_console:list"), {"q": "デジタル"}).content.decode()
    assert event.title in found


def test_create_event_with_sessions_and_question(client: Client, staff: User, yokohama: Organization) -> None:
    _login(client, staff)
    response = client.post(reverse("events_console:create"), _new_event_post())
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(organization=yokohama)
    assert response["Location"] == reverse("events_console:detail", args=[event.pk])
    assert event.title == "IT経営研修2027"  # full-width Latin and digits narrowed
    assert event.capacity == 30
    assert event.required_sessions == 1
    assert event.reminder_days == "7,14"
    assert event.offer_hours == 24
    assert event.venue_postal_code == "2310023"
    assert event.venue_address.startswith("神奈川県横浜市中区")
    assert not event.is_published
    sessions = list(event.sessions.all())
    assert [s.title for s in sessions] == ["第1回", "第2回"]
    assert timezone.localtime(sessions[0].starts_at).hour == 14
    assert sessions[1].online_url == "https://meet.example.jp/abc"
    assert event.starts_at == sessions[0].starts_at and event.ends_at == sessions[1].ends_at
    assert not event.presenters.exists()
    question = event.questions.get()
    assert question.purpose == QuestionPurpose.REGISTRATION
    assert question.kind == QuestionKind.CHOICE
    assert question.choice_list == ["情報収集", "導入の検討"]
    assert question.required
    page = client.get(response["Location"]).content.decode()
    assert "を保存しました" in page


def test_create_refused_keeps_input_and_saves_nothing(
    client: Client, staff: User, kawasaki: Organization
) -> None:
    foreign = CompanyFactory.create(organization=kawasaki, name="川崎の会社")
    _login(client, staff)
    data = _new_event_post(
        **{
            **_management("presenters", 1),
            "presenters-0-name": "発表 太郎",
            "presenters-0-company": str(foreign.pk),
        }
    )
    response = client.post(reverse("events_console:create"), data)
    # A company of another organization is not even offered in the select.
    assert response.status_code == 400
    assert Event.objects.count() == 0
    html = response.content.decode()
    assert "発表 太郎" in html and "ＩＴ経営研修２０２７" in html  # as typed


def test_add_row_without_javascript(client: Client, staff: User) -> None:
    _login(client, staff)
    data = _new_event_post(add_session="1")
    response = client.post(reverse("events_console:create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="sessions-TOTAL_FORMS" value="3"' in html
    assert 'name="sessions-2-date"' in html
    assert "第2回" in html  # typed rows kept
    assert "入力内容を確認してください" not in html
    assert Event.objects.count() == 0


def test_session_times_checked_beside_the_row(client: Client, staff: User) -> None:
    _login(client, staff)
    response = client.post(
        reverse("events_console:create"), _new_event_post(**{"sessions-1-end_time": "13:00"})
    )
    assert response.status_code == 400
    assert "終了は開始より後にしてください" in response.content.decode()
    assert Event.objects.count() == 0


def test_edit_capacity_below_held_refused(
    client: Client, event: Event, registration_factory: Callable[..., Any], staff: User
) -> None:
    registration_factory(event)
    registration_factory(event)
    _login(client, staff)
    data = _edit_post(event, capacity="1", **{"sessions-0-title": "変更した回"})
    response = client.post(reverse("events_console:edit", args=[event.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "すでに席を確保している2人より少なくできません" in html
    assert 'value="変更した回"' in html
    event.refresh_from_db()
    assert event.capacity == 3
    assert event.sessions.filter(title="変更した回").count() == 0  # the sessions were not saved either


def test_refusal_in_a_later_step_saves_nothing(
    client: Client,
    event: Event,
    registration_factory: Callable[..., Any],
    staff: User,
    time_machine: Any,
) -> None:
    registration = registration_factory(event)
    session = event.sessions.first()
    assert session is not None
    time_machine.move_to(session.starts_at)  # the first session is under way
    attendance_set(registration=registration, session=session, present=True, actor=staff)
    _login(client, staff)
    data = _edit_post(event, capacity="10", **{"sessions-0-DELETE": "on"})
    response = client.post(reverse("events_console:edit", args=[event.pk]), data)
    assert response.status_code == 400
    assert "出席が記録された開催回は削除できません" in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 3  # the event's own change was rolled back with the sessions
    assert event.sessions.count() == 2


def test_edit_keeps_sessions_and_questions(client: Client, event: Event, staff: User) -> None:
    event_questions_set(
        event=event,
        purpose=QuestionPurpose.SURVEY,
        questions=[QuestionData(label="満足度", kind=QuestionKind.RATING)],
        actor=None,
    )
    session_ids = set(event.sessions.values_list("pk", flat=True))
    _login(client, staff)
    form_page = client.get(reverse("events_console:edit", args=[event.pk])).content.decode()
    assert "第1回" in form_page and 'name="sessions-INITIAL_FORMS" value="2"' in form_page
    response = client.post(reverse("events_console:edit", args=[event.pk]), _edit_post(event, capacity="10"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.capacity == 10
    assert set(event.sessions.values_list("pk", flat=True)) == session_ids
    assert event.questions.filter(purpose=QuestionPurpose.SURVEY).count() == 1  # survey questions untouched


def test_delete_session_row(client: Client, event: Event, staff: User) -> None:
    _login(client, staff)
    data = _edit_post(event, **{"sessions-1-DELETE": "on"})
    response = client.post(reverse("events_console:edit", args=[event.pk]), data)
    assert response.status_code == 302
    assert list(event.sessions.values_list("title", flat=True)) == ["第1回"]


def test_publish_without_sessions_refused(client: Client, staff: User, yokohama: Organization) -> None:
    _login(client, staff)
    client.post(reverse("events_console:create"), _new_event_post(**_management("sessions", 0)))
    event = Event.objects.get()
    assert not event.sessions.exists()
    response = client.post(
        reverse("events_console:publish", args=[event.pk]), {"published": "1"}, follow=True
    )
    assert "開催回を1つ以上登録してから公開してください" in response.content.decode()
    event.refresh_from_db()
    assert not event.is_published


def test_publish_and_unpublish(client: Client, event: Event, staff: User) -> None:
    _login(client, staff)
    url = reverse("events_console:publish", args=[event.pk])
    response = client.post(url, {"published": "0"}, follow=True)
    assert "非公開にしました" in response.content.decode()
    event.refresh_from_db()
    assert not event.is_published
    client.post(url, {"published": "1"})
    event.refresh_from_db()
    assert event.is_published


def _detail_queries(client: Client, event: Event) -> int:
    url = reverse("events_console:detail", args=[event.pk])
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_detail_query_count_is_constant(
    client: Client, staff: User, yokohama: Organization, registration_factory: Callable[..., Any]
) -> None:
    big = make_event(yokohama, capacity=50)
    company = CompanyFactory.create(organization=yokohama, name="株式会社みなと精機")
    first = registration_factory(big)
    Registration.objects.filter(pk=first.pk).update(company=company)
    _login(client, staff)
    client.get(reverse("events_console:detail", args=[big.pk]))  # warm caches (content types, session)
    one = _detail_queries(client, big)
    for _ in range(19):
        registration_factory(big)
    Registration.objects.filter(event=big).update(company=company)
    twenty = _detail_queries(client, big)
    assert one == twenty
    html = client.get(reverse("events_console:detail", args=[big.pk])).content.decode()
    assert html.count(reverse("community:company_detail", args=[company.pk])) == 20


def test_detail_filters_and_links(
    client: Client, event: Event, registration_factory: Callable[..., Any], staff: User
) -> None:
    confirmed = registration_factory(event, name="確定 花子")
    registration_factory(event)
    registration_factory(event)
    waiting = registration_factory(event, name="待機 次郎")
    _login(client, staff)
    url = reverse("events_console:detail", args=[event.pk])
    html = client.get(url).content.decode()
    for name in ("checkin", "attendance", "survey", "survey_results", "mail", "followup", "namelist"):
        assert reverse(f"events_console:{name}", args=[event.pk]) in html, name
    assert reverse("events_console:export", args=[event.pk, "csv"]) in html
    assert reverse("events_console:export", args=[event.pk, "xlsx"]) in html
    filtered = client.get(url, {"status": RegistrationStatus.WAITLISTED}).content.decode()
    assert waiting.name in filtered and confirmed.name not in filtered
    searched = client.get(url, {"q": "確定"}).content.decode()
    assert confirmed.name in searched and waiting.name not in searched


def test_registration_page_and_cancel(
    client: Client,
    event: Event,
    registration_factory: Callable[..., Any],
    staff: User,
    run_queued_tasks: Callable[[], Any],
) -> None:
    event_questions_set(
        event=event,
        purpose=QuestionPurpose.REGISTRATION,
        questions=[QuestionData(label="参加の目的", kind=QuestionKind.TEXT)],
        actor=None,
    )
    question = event.questions.get()
    registration = registration_factory(event, answers={str(question.pk): "在庫管理を見直したい"})
    for _ in range(3):
        registration_factory(event)  # the 4th waits
    run_queued_tasks()
    _login(client, staff)
    url = reverse("events_console:registration", args=[event.pk, registration.pk])
    html = client.get(url).content.decode()
    assert "参加の目的" in html and "在庫管理を見直したい" in html
    assert registration.code in html
    assert f"【参加確定】{event.title}" in html  # the confirmation mail is listed
    response = client.post(url, {"action": "cancel", "reason": "本人から電話"}, follow=True)
    assert "申込を取り消しました" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    # The freed seat went to the person waiting.
    assert event.registrations.filter(status=RegistrationStatus.OFFERED).count() == 1
    assert "本人から電話" in client.get(url).content.decode()  # audit details


def test_registration_page_toggles_attendance(
    client: Client,
    event: Event,
    registration_factory: Callable[..., Any],
    coordinator: User,
    time_machine: Any,
) -> None:
    registration = registration_factory(event)
    session = event.sessions.first()
    assert session is not None
    time_machine.move_to(session.starts_at)  # the first session is under way
    _login(client, coordinator)
    url = reverse("events_console:registration", args=[event.pk, registration.pk])
    client.post(url, {"action": "attendance", "session": session.pk, "present": "1"})
    assert registration.attendances.filter(session=session).exists()
    client.post(url, {"action": "attendance", "session": session.pk, "present": "0"})
    assert not registration.attendances.exists()
