"""After the event: the survey (sending, answering, results), mail to an audience, the follow-up of
attendees who are not members and the registrant export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from ouentai.accounts.models import User
from ouentai.community.choices import MembershipStatus
from ouentai.community.models import Company, Contact, Membership
from ouentai.core.models import AuditEntry
from ouentai.events import reports, services
from ouentai.events.choices import MailAudience, QuestionKind, QuestionPurpose, RegistrationStatus
from ouentai.events.models import Event, Registration, SurveyResponse
from tests.accounts.factories import PASSWORD
from tests.community.factories import CompanyFactory

Factory = Callable[..., Registration]


def _login(client: Client, user: User) -> Client:
    assert client.login(email=user.email, password=PASSWORD)
    return client


def _questions(event: Event, staff: User) -> dict[str, int]:
    services.event_questions_set(
        event=event,
        purpose=QuestionPurpose.SURVEY,
        questions=[
            services.QuestionData(label="満足度", kind=QuestionKind.RATING, required=True, order=1),
            services.QuestionData(
                label="役に立った内容", kind=QuestionKind.MULTIPLE, choices="講義\n演習\n事例", order=2
            ),
            services.QuestionData(
                label="参加のきっかけ", kind=QuestionKind.CHOICE, choices="メール\nWeb", order=3
            ),
            services.QuestionData(label="ご意見", kind=QuestionKind.TEXT, order=4),
        ],
        actor=staff,
    )
    return {q.label: q.pk for q in event.questions.filter(purpose=QuestionPurpose.SURVEY)}


@pytest.fixture
def people(
    event: Event, staff: User, registration_factory: Factory, time_machine: Any
) -> dict[str, Registration]:
    """Three confirmed (two attend, one does not) and one on the waiting list (the event has 3 seats).
    They register now, are checked in at the door of each session, and the test goes on the day after
    the event."""
    regs = {
        "a": registration_factory(
            event, name="出席 一郎", name_kana="シュッセキ イチロウ", company_name="株式会社あさひ"
        ),
        "b": registration_factory(
            event, name="出席 二郎", name_kana="シュッセキ ジロウ", company_name="みなと商事"
        ),
        "absent": registration_factory(event, name="欠席 三郎", name_kana="ケッセキ サブロウ"),
        "waiting": registration_factory(event, name="待機 四郎", name_kana="タイキ シロウ"),
    }
    assert regs["waiting"].status == RegistrationStatus.WAITLISTED
    sessions = list(event.sessions.order_by("starts_at"))
    time_machine.move_to(sessions[0].starts_at - dt.timedelta(minutes=5))
    services.attendance_check_in(session=sessions[0], code=regs["a"].code, actor=staff)
    services.attendance_check_in(session=sessions[0], code=regs["b"].code, actor=staff)
    time_machine.move_to(sessions[1].starts_at - dt.timedelta(minutes=5))
    services.attendance_check_in(session=sessions[1], code=regs["a"].code, actor=staff)
    time_machine.move_to(sessions[1].ends_at + dt.timedelta(days=1))
    return regs


def _drain(run_queued_tasks: Callable[[], Any]) -> None:
    run_queued_tasks()
    mail.outbox.clear()


# --- Survey ---------------------------------------------------------------------------------------


def test_survey_goes_to_attendees_only_and_once(
    client: Client, event: Event, staff: User, people: dict[str, Registration], run_queued_tasks: Any
) -> None:
    _questions(event, staff)
    _drain(run_queued_tasks)
    _login(client, staff)
    page = client.get(reverse("events_console:survey", args=[event.pk]))
    assert page.status_code == 200
    assert page.context["pending"] == 2

    response = client.post(reverse("events_console:survey", args=[event.pk]), {"action": "send"})
    assert response.status_code == 302
    run_queued_tasks()
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == sorted([people["a"].email, people["b"].email])
    assert all(
        reverse("events:survey", args=[people["a"].token]) in m.body
        for m in mail.outbox
        if people["a"].email in m.to
    )
    for key in ("a", "b"):
        people[key].refresh_from_db()
        assert people[key].survey_sent_at is not None
    for key in ("absent", "waiting"):
        people[key].refresh_from_db()
        assert people[key].survey_sent_at is None

    mail.outbox.clear()
    client.post(reverse("events_console:survey", args=[event.pk]), {"action": "send"})
    run_queued_tasks()
    assert mail.outbox == []
    assert client.get(reverse("events_console:survey", args=[event.pk])).context["pending"] == 0


def test_coordinator_sees_survey_but_cannot_send(
    client: Client, event: Event, staff: User, coordinator: User, people: dict[str, Registration]
) -> None:
    _questions(event, staff)
    _login(client, coordinator)
    assert client.get(reverse("events_console:survey", args=[event.pk])).status_code == 200
    assert (
        client.post(reverse("events_console:survey", args=[event.pk]), {"action": "send"}).status_code == 403
    )


def test_survey_questions_are_edited_with_the_formset(client: Client, event: Event, staff: User) -> None:
    _login(client, staff)
    url = reverse("events_console:survey", args=[event.pk])
    data = {
        "q-TOTAL_FORMS": "2", "q-INITIAL_FORMS": "0", "q-MIN_NUM_FORMS": "0", "q-MAX_NUM_FORMS": "1000",
        "q-0-label": "満足度", "q-0-kind": "rating", "q-0-required": "on", "q-0-order": "",
        "q-1-label": "", "q-1-kind": "text",
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    (question,) = event.questions.filter(purpose=QuestionPurpose.SURVEY)
    assert (question.label, question.kind, question.required) == ("満足度", "rating", True)

    # A choice question with one option is refused beside the form, with what was typed kept.
    data.update({"q-1-label": "形式", "q-1-kind": "choice", "q-1-choices": "対面"})
    data.update({"q-TOTAL_FORMS": "2", "q-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 400
    assert "選択肢を2つ以上" in response.content.decode()
    assert "形式" in response.content.decode()

    # Delete it again.
    data = {
        "q-TOTAL_FORMS": "1", "q-INITIAL_FORMS": "1", "q-MIN_NUM_FORMS": "0", "q-MAX_NUM_FORMS": "1000",
        "q-0-pk": str(question.pk), "q-0-label": "満足度", "q-0-kind": "rating", "q-0-DELETE": "on",
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert not event.questions.filter(purpose=QuestionPurpose.SURVEY).exists()


def test_survey_refused_to_people_who_did_not_attend(
    client: Client, event: Event, staff: User, people: dict[str, Registration]
) -> None:
    ids = _questions(event, staff)
    url = reverse("events:survey", args=[people["absent"].token])
    page = client.get(url)
    assert page.status_code == 403
    assert "出席した方にお願いしています" in page.content.decode()
    response = client.post(url, {f"q_{ids['満足度']}": "5"})
    assert response.status_code == 403
    assert not SurveyResponse.objects.exists()


def test_attendee_answers_once_and_results_count_them(
    client: Client, event: Event, staff: User, people: dict[str, Registration]
) -> None:
    ids = _questions(event, staff)
    url = reverse("events:survey", args=[people["a"].token])
    page = client.get(url)
    assert page.status_code == 200
    assert "private" in page["Cache-Control"]
    assert 'name="robots" content="noindex' in page.content.decode()
    assert f'name="q_{ids["満足度"]}"' in page.content.decode()

    answers = {
        f"q_{ids['満足度']}": "5", f"q_{ids['役に立った内容']}": ["講義", "演習"],
        f"q_{ids['参加のきっかけ']}": "メール", f"q_{ids['ご意見']}": "演習が良かった",
    }  # fmt: skip
    response = client.post(url, answers)
    assert response.status_code == 302
    thanks = client.get(url)
    assert "ご回答ありがとうございました" in thanks.content.decode()
    client.post(
        reverse("events:survey", args=[people["b"].token]),
        {f"q_{ids['満足度']}": "2", f"q_{ids['役に立った内容']}": "講義"},
    )
    assert SurveyResponse.objects.count() == 2
    # A second answer is not stored.
    client.post(url, {f"q_{ids['満足度']}": "1"})
    assert SurveyResponse.objects.count() == 2

    results = {r.question.label: r for r in reports.survey_results(event)}
    assert results["満足度"].average == 3.5
    assert [o.count for o in results["満足度"].options] == [0, 1, 0, 0, 1]
    assert {o.label: (o.count, o.percent) for o in results["役に立った内容"].options} == {
        "講義": (2, 100.0), "演習": (1, 50.0), "事例": (0, 0.0),
    }  # fmt: skip
    assert results["ご意見"].texts == ["演習が良かった"]
    overview = reports.survey_overview(event)
    assert (overview.responses, overview.attendees, overview.rate) == (2, 2, 100.0)

    _login(client, staff)
    page = client.get(reverse("events_console:survey_results", args=[event.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "演習が良かった" in html and "3.5" in html and "100.0%" in html


def test_results_page_query_count_is_constant(
    client: Client,
    event: Event,
    staff: User,
    people: dict[str, Registration],
    django_assert_max_num_queries: Any,
) -> None:
    ids = _questions(event, staff)
    for key in ("a", "b"):
        services.survey_submit(registration=people[key], answers={str(ids["満足度"]): "4"})
    _login(client, staff)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("events_console:survey_results", args=[event.pk])).status_code == 200


def test_missing_required_answer_keeps_the_others(
    client: Client, event: Event, staff: User, people: dict[str, Registration]
) -> None:
    ids = _questions(event, staff)
    url = reverse("events:survey", args=[people["a"].token])
    response = client.post(
        url, {f"q_{ids['ご意見']}": "とても参考になりました", f"q_{ids['参加のきっかけ']}": "Web"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "とても参考になりました" in html
    assert re.search(rf'<input type="radio" name="q_{ids["参加のきっかけ"]}" value="Web"[^>]*checked', html)
    assert response.context["form"].errors[f"q_{ids['満足度']}"]
    assert not SurveyResponse.objects.exists()


# --- Mail -----------------------------------------------------------------------------------------


def test_mail_to_no_shows_reaches_only_confirmed_people_without_attendance(
    client: Client, event: Event, staff: User, people: dict[str, Registration], run_queued_tasks: Any
) -> None:
    _drain(run_queued_tasks)
    _login(client, staff)
    url = reverse("events_console:mail", args=[event.pk])
    page = client.get(url)
    assert "欠席した人（参加確定で出席記録なし）（1人）" in page.content.decode()
    data = {
        "audience": MailAudience.NO_SHOWS,
        "subject": "資料のご案内",
        "body": "当日の資料をお送りします。",
    }
    preview = client.post(url, {**data, "action": "preview"})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "欠席 三郎 様" in html and "当日の資料をお送りします。" in html
    assert mail.outbox == []

    response = client.post(url, {**data, "action": "send"})
    assert response.status_code == 302
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [[people["absent"].email]]
    assert mail.outbox[0].subject == "資料のご案内"
    assert "欠席 三郎 様" in mail.outbox[0].body


def test_mail_needs_subject_and_body(client: Client, event: Event, staff: User) -> None:
    _login(client, staff)
    response = client.post(
        reverse("events_console:mail", args=[event.pk]),
        {"audience": "attendees", "subject": "", "body": "本文", "action": "send"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["subject"]
    assert 'value="本文"' not in response.content.decode()  # the body is a textarea, kept as typed
    assert "本文</textarea>" in response.content.decode()


# --- Follow-up ------------------------------------------------------------------------------------


def test_followup_lists_attendees_whose_company_is_not_an_active_member(
    event: Event, staff: User, people: dict[str, Registration], yokohama: Any
) -> None:
    member = CompanyFactory.create(organization=yokohama, name="株式会社あさひ", actor=staff, source="test")
    from ouentai.community.services.memberships import membership_activate

    membership_activate(company=member, actor=staff, source="test")
    services.registration_link(registration=people["a"], company=member, contact=None, actor=staff)
    candidates = list(reports.followup_candidates(event))
    assert [r.pk for r in candidates] == [people["b"].pk]
    assert candidates[0].attended_count == 1  # type: ignore[attr-defined]


def test_make_member_button_creates_company_contact_and_membership(
    client: Client, event: Event, staff: User, people: dict[str, Registration]
) -> None:
    _login(client, staff)
    url = reverse("events_console:followup", args=[event.pk])
    page = client.get(url)
    assert "出席 二郎" in page.content.decode() and "欠席 三郎" not in page.content.decode()
    response = client.post(url, {"registration": people["b"].pk})
    assert response.status_code == 302
    registration = Registration.objects.get(pk=people["b"].pk)
    assert registration.company is not None and registration.company.name == "みなと商事"
    assert registration.contact is not None and registration.contact.email == registration.email
    assert Membership.objects.get(company=registration.company).status == MembershipStatus.ACTIVE
    assert Contact.objects.filter(company=registration.company).count() == 1
    assert people["b"].pk not in [r.pk for r in reports.followup_candidates(event)]


def test_followup_and_export_query_counts_are_constant(
    client: Client,
    event: Event,
    staff: User,
    people: dict[str, Registration],
    registration_factory: Factory,
    django_assert_max_num_queries: Any,
) -> None:
    _login(client, staff)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("events_console:followup", args=[event.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        response = client.get(reverse("events_console:export", args=[event.pk, "csv"]))
        b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_followup_button_is_for_managers(
    client: Client, event: Event, coordinator: User, people: dict[str, Registration]
) -> None:
    _login(client, coordinator)
    url = reverse("events_console:followup", args=[event.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"registration": people["b"].pk}).status_code == 403
    assert not Company.objects.exists()


# --- Export ---------------------------------------------------------------------------------------


def test_export_csv(client: Client, event: Event, staff: User, people: dict[str, Registration]) -> None:
    services.event_questions_set(
        event=event,
        purpose=QuestionPurpose.REGISTRATION,
        questions=[services.QuestionData(label="知ったきっかけ", kind=QuestionKind.TEXT)],
        actor=staff,
    )
    _login(client, staff)
    response = client.get(reverse("events_console:export", args=[event.pk, "csv"]))
    assert response.status_code == 200
    assert f"event-{event.pk}-" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    header = rows[0]
    assert "知ったきっかけ" in header and "第1回" in header and "第2回" in header
    assert "出席回数" in header and "修了証の対象" in header
    assert len(rows) == 1 + 4
    by_name = {row[header.index("氏名")]: row for row in rows[1:]}
    a = by_name["出席 一郎"]
    assert (a[header.index("第1回")], a[header.index("第2回")], a[header.index("出席回数")]) == (
        "○",
        "○",
        "2",
    )
    assert a[header.index("修了証の対象")] == "○"
    assert by_name["出席 二郎"][header.index("修了証の対象")] == ""
    assert by_name["待機 四郎"][header.index("状態")] == "キャンセル待ち"
    assert AuditEntry.objects.filter(action="events.registrations.exported").count() == 1


def test_export_xlsx_and_unknown_format(client: Client, event: Event, staff: User, coordinator: User) -> None:
    _login(client, staff)
    response = client.get(reverse("events_console:export", args=[event.pk, "xlsx"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")  # type: ignore[attr-defined]
    assert client.get(reverse("events_console:export", args=[event.pk, "pdf"])).status_code == 404
    _login(client, coordinator)
    assert client.get(reverse("events_console:export", args=[event.pk, "csv"])).status_code == 403


# --- Scoping --------------------------------------------------------------------------------------


def test_other_organization_gets_404_everywhere(
    client: Client, event: Event, kawasaki_staff: User, people: dict[str, Registration]
) -> None:
    _login(client, kawasaki_staff)
    reg = people["a"]
    urls = [
        reverse("events_console:survey", args=[event.pk]),
        reverse("events_console:survey_results", args=[event.pk]),
        reverse("events_console:mail", args=[event.pk]),
        reverse("events_console:followup", args=[event.pk]),
        reverse("events_console:export", args=[event.pk, "csv"]),
        reverse("events_console:export", args=[event.pk, "xlsx"]),
        reverse("events_console:namelist", args=[event.pk]),
        reverse("events_console:certificate", args=[event.pk, reg.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    for url in (urls[0], urls[2], urls[3]):
        assert client.post(url, {"action": "send", "registration": reg.pk}).status_code == 404, url
    assert not AuditEntry.objects.filter(action="events.registrations.exported").exists()


def test_survey_without_questions_says_so(client: Client, people: dict[str, Registration]) -> None:
    response = client.get(reverse("events:survey", args=[people["a"].token]))
    assert response.status_code == 404
    assert "アンケートはまだありません" in response.content.decode()


def test_mail_preview_when_nobody_is_in_the_audience(client: Client, event: Event, staff: User) -> None:
    _login(client, staff)
    response = client.post(
        reverse("events_console:mail", args=[event.pk]),
        {"audience": "waitlisted", "subject": "ご案内", "body": "本文です", "action": "preview"},
    )
    assert response.status_code == 200
    assert "メールアドレスのある人がいません" in response.content.decode()
