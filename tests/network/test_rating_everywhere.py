"""Issue 11, defect 3: one rating scale everywhere. Staff rating a dispatch on the company's behalf saw
5→1 「5 とても良い」…「1 良くない」, the member's own form ran 1→5 ending 「5（満足）」 and events' 5-point
questions had a third set of words, so a rating meant as satisfied was stored as 1. Every form that
asks for a 1–5 rating must show the same order and the same words, as a radio group with a legend;
and a rating posted as 5 must be stored as 5 and shown as 5 on every page that shows it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ouentai.accounts.models import Organization, User
from ouentai.community.models import Company
from ouentai.core.calendar import local_today
from ouentai.events import services as events
from ouentai.events.choices import QuestionKind, QuestionPurpose
from ouentai.events.models import Event, Registration, SurveyResponse
from ouentai.network import services
from ouentai.network.models import DispatchRequest, DispatchScheme, Expert
from tests.clock import clock_at
from tests.events.factories import make_event
from tests.network.external import page_of
from tests.network.factories import approved_request, make_company
from tests.pdf import pdf_text
from tests.rating import EXPECTED_SCALE, rating_group

pytestmark = pytest.mark.django_db


def _user(expert: Expert) -> User:
    assert expert.user is not None
    return expert.user


SHOWN_AS_FIVE = "5 ／ 5（とても良い）"


def _reported(
    yokohama: Organization,
    company: Company,
    scheme: DispatchScheme,
    staff: User,
    partner: User,
    expert: Expert,
) -> DispatchRequest:
    request = approved_request(yokohama, company, scheme, staff, partner, expert, visits=1)
    services.visit_log(
        request=request,
        actor=_user(expert),
        visited_on=local_today(),
        starts_at=dt.time(10),
        ends_at=dt.time(12),
        summary="受注の流れを確認",
    )
    return services.report_submit(
        request=request,
        actor=_user(expert),
        fields={"summary": "概要", "advice": "助言", "next_steps": "次"},
    )


def _event_with_rating(yokohama: Organization, staff: User, purpose: str, **event: Any) -> tuple[Event, int]:
    found = make_event(yokohama, staff, **event)
    events.event_questions_set(
        event=found,
        purpose=purpose,
        questions=[events.QuestionData(label="満足度", kind=QuestionKind.RATING, required=True, order=1)],
        actor=staff,
    )
    return found, found.questions.get(purpose=purpose).pk


def _survey_event(yokohama: Organization, staff: User) -> tuple[Event, int]:
    """A one-session 事例発表会 in two days with a 5-point survey question."""
    return _event_with_rating(
        yokohama, staff, QuestionPurpose.SURVEY, sessions=1, starts_in=dt.timedelta(days=2), title="事例発表会",
        capacity=10,
    )  # fmt: skip


def _attendee(event: Event, staff: User) -> Registration:
    """Someone who registered now and was checked in at the (only) session, half an hour in."""
    registration = events.registration_create(
        event=event,
        data=events.RegistrationData(
            name="出席 花子",
            name_kana="シュッセキ ハナコ",
            company_name="株式会社みなと精機",
            email="hanako@example.jp",
        ),
    )
    session = event.sessions.get()
    with clock_at(session.starts_at + dt.timedelta(minutes=30)):
        events.attendance_check_in(session=session, code=registration.code, actor=staff)
    return registration


def _after(event: Event) -> Any:
    """The clock an hour after the event's last session ended (the survey is answered afterwards)."""
    return clock_at(event.sessions.order_by("-ends_at").first().ends_at + dt.timedelta(hours=1))  # type: ignore[union-attr]


def test_every_rating_form_shows_the_same_order_and_words_as_a_group_with_a_legend(
    client: Client, yokohama: Organization, staff: User, sme: Company, scheme: DispatchScheme, partner: User,
    expert: Expert, member: User,
) -> None:  # fmt: skip
    request = _reported(yokohama, sme, scheme, staff, partner, expert)
    forms: dict[str, tuple[str, str]] = {}  # where → (html, radio name)

    client.force_login(staff)
    forms["console: staff on the company's behalf"] = (
        page_of(client, reverse("network_console:dispatch", args=[request.pk])),
        "rating",
    )
    client.force_login(member)
    forms["member area: the company itself"] = (
        page_of(client, reverse("my:home")),
        f"confirm-{request.pk}-rating",
    )

    registration_event, registration_question = _event_with_rating(
        yokohama, staff, QuestionPurpose.REGISTRATION
    )
    client.logout()
    forms["event registration question"] = (
        page_of(client, reverse("events:detail", args=[registration_event.pk])),
        f"q_{registration_question}",
    )
    survey_event, survey_question = _survey_event(yokohama, staff)
    attendee = _attendee(survey_event, staff)
    with _after(survey_event):
        forms["event survey question"] = (
            page_of(client, reverse("events:survey", args=[attendee.token])),
            f"q_{survey_question}",
        )

    for where, (html, name) in forms.items():
        group = rating_group(html, name)
        assert group.choices == EXPECTED_SCALE, where
        assert group.legend.startswith(("企業の評価", "専門家派遣の評価", "満足度")), (where, group.legend)
        assert "必須" in group.legend and ":" not in group.legend, (where, group.legend)
        # Keyboard: native radio buttons of one group, none taken out of the tab order.
        inputs = re.findall(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
        assert len(inputs) == 5 and all('type="radio"' in tag and "tabindex" not in tag for tag in inputs), (
            where
        )


def test_a_rating_posted_as_5_is_stored_and_shown_as_5_on_every_page(
    client: Client, yokohama: Organization, staff: User, sme: Company, scheme: DispatchScheme, partner: User,
    expert: Expert, member: User, tmp_path: Any,
) -> None:  # fmt: skip
    scheme.visits_per_theme = {"it": 10}
    scheme.save()
    by_staff = _reported(yokohama, make_company(yokohama, "株式会社電話確認"), scheme, staff, partner, expert)
    by_member = _reported(yokohama, sme, scheme, staff, partner, expert)

    client.force_login(staff)
    url = reverse("network_console:dispatch", args=[by_staff.pk])
    assert client.post(url, {"action": "confirm", "rating": "5"}).status_code == 302
    client.force_login(member)
    prefix = f"confirm-{by_member.pk}"
    response = client.post(reverse("my:dispatch_confirm", args=[by_member.pk]), {f"{prefix}-rating": "5"})
    assert response.status_code == 302

    for request in (by_staff, by_member):
        request.refresh_from_db()
        assert request.rating == 5, request.company.name
        pages: dict[str, str] = {}
        client.force_login(staff)
        pages["console"] = page_of(client, reverse("network_console:dispatch", args=[request.pk]))
        pdf = client.get(reverse("network_console:dispatch_report", args=[request.pk])).content
        pages["console PDF"] = pdf_text(pdf, tmp_path, f"console-{request.pk}.pdf")
        client.force_login(partner)
        pages["partner"] = page_of(client, reverse("network:partner_request", args=[request.pk]))
        client.force_login(_user(expert))
        pages["expert"] = page_of(client, reverse("network:expert_dispatch", args=[request.pk]))
        pdf = client.get(reverse("network:expert_report", args=[request.pk])).content
        pages["expert PDF"] = pdf_text(pdf, tmp_path, f"expert-{request.pk}.pdf")
        if request.company_id == sme.pk:
            client.force_login(member)
            pages["member"] = page_of(client, reverse("my:home"))
        for where, text in pages.items():
            assert SHOWN_AS_FIVE in text, (request.company.name, where)
            assert "1 ／ 5" not in text and "（良くない）" not in text, (request.company.name, where)
        assert "★★★★★" in pages["console PDF"]

    # An event's registration question answered 5: stored as 5, shown as 5 to staff.
    event, question = _event_with_rating(yokohama, staff, QuestionPurpose.REGISTRATION)
    client.logout()
    data = {
        "name": "申込 太郎", "furigana": "もうしこみ たろう", "email": "taro@example.jp", "consent": "on",
        "policy_version": "1.0", "website": "", f"q_{question}": "5",
    }  # fmt: skip
    assert client.post(reverse("events:register", args=[event.pk]), data).status_code == 302
    registration = Registration.objects.get(event=event)
    assert registration.answers == {str(question): 5}
    client.force_login(staff)
    detail = page_of(client, reverse("events_console:registration", args=[event.pk, registration.pk]))
    assert SHOWN_AS_FIVE in detail

    # The survey answered 5: stored as 5, counted under 「5 とても良い」 in the results.
    survey_event, survey_question = _survey_event(yokohama, staff)
    attendee = _attendee(survey_event, staff)
    client.logout()
    with _after(survey_event):
        response = client.post(reverse("events:survey", args=[attendee.token]), {f"q_{survey_question}": "5"})
    assert response.status_code == 302
    assert SurveyResponse.objects.get(registration=attendee).answers == {str(survey_question): 5}
    client.force_login(staff)
    results = page_of(client, reverse("events_console:survey_results", args=[survey_event.pk]))
    rows = re.findall(r'<th scope="row">([^<]*)</th>\s*<td class="num">(\d+)</td>', results)
    assert rows == [(label, "1" if value == "5" else "0") for value, label in EXPECTED_SCALE]
    assert "平均 5.0（5段階）" in results or "平均 5（5段階）" in results
