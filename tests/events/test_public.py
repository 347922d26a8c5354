"""The public event pages: list, calendar feed, event page with its registration form, and a person's own
registration page (status, QR code, calendar entry, cancel, accepting an offered seat)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from ouentai.events.choices import EventKind, QuestionKind, QuestionPurpose, RegistrationStatus
from ouentai.events.models import Event, Registration
from ouentai.events.services import QuestionData, event_questions_set
from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.events.post_data import registration_post_data
from tests.network.factories import SupportOrganizationFactory

pytestmark = pytest.mark.django_db


def _event(organization: Any, **fields: Any) -> Event:
    """An event as the shared fixture makes it, with the texts the event page shows."""
    fields.setdefault("summary", "2回でIT戦略の立て方を学びます。")
    fields.setdefault("description", "第1回は現状分析、\n第2回は計画づくりです。")
    fields.setdefault("venue_postal_code", "2310023")
    return make_event(organization, **fields)


def _register(client: Any, event: Event, **overrides: str) -> Any:
    return client.post(reverse("events:register", args=[event.pk]), registration_post_data(**overrides))


def _page(client: Any, registration: Registration) -> str:
    response = client.get(reverse("events:registration", args=[registration.token]))
    assert response.status_code == 200
    return response.content.decode()


# The list and the feed


def test_list_shows_published_upcoming_events_and_hides_unpublished(client, yokohama, event):
    hidden = _event(yokohama, title="準備中の非公開セミナー", publish=False)
    past = _event(yokohama, title="昨年の事例発表会", starts_in=dt.timedelta(days=-30), kind=EventKind.CASES)
    co_host = SupportOrganizationFactory.create(organization=yokohama, name="横浜商工会議所", kind="chamber")
    event.co_hosts.add(co_host)

    response = client.get(reverse("events:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert event.title in html
    assert "経営者研修" in html
    assert "横浜市産業振興センター" in html
    assert yokohama.name in html
    assert "横浜商工会議所" in html
    assert "残り3席" in html
    assert reverse("events:feed") in html
    assert hidden.title not in html
    assert past.title not in html

    past_html = client.get(reverse("events:list") + "?past=1").content.decode()
    assert past.title in past_html
    assert event.title not in past_html


def test_list_says_full_and_closed(client, yokohama, event, registration_factory):
    for _ in range(3):
        registration_factory(event)
    closed = _event(
        yokohama, title="締切済みの研修", registration_closes_at=timezone.now() - dt.timedelta(hours=1)
    )
    html = client.get(reverse("events:list")).content.decode()
    assert "満席（キャンセル待ちを受付中）" in html
    assert "受付終了" in html
    assert closed.title in html


def test_list_query_count_does_not_grow_with_events(client, yokohama, django_assert_max_num_queries):
    co_host = SupportOrganizationFactory.create(organization=yokohama, name="横浜市", kind="municipality")
    _event(yokohama).co_hosts.add(co_host)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("events:list")).status_code == 200
    for n in range(9):
        _event(yokohama, title=f"セミナー{n}").co_hosts.add(co_host)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("events:list"))
    assert response.content.decode().count('class="event-card"') == 10


def test_feed_has_sessions_but_no_online_url(client, yokohama):
    online = _event(yokohama, title="オンライン研修")
    response = client.get(reverse("events:feed"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert "kenshu-2" not in body
    summaries = [str(c.get("summary")) for c in Calendar.from_ical(response.content).walk("VEVENT")]
    assert summaries == [f"{online.title}（第1回）", f"{online.title}（第2回）"]


# The event page and registering


def test_detail_of_unpublished_event_is_404(client, yokohama):
    hidden = _event(yokohama, publish=False)
    assert client.get(reverse("events:detail", args=[hidden.pk])).status_code == 404
    assert _register(client, hidden).status_code == 404


def test_detail_shows_event_and_form(client, yokohama):
    event = _event(yokohama)
    event_questions_set(
        event=event,
        purpose=QuestionPurpose.REGISTRATION,
        questions=[QuestionData(label="参加の目的", kind=QuestionKind.CHOICE, choices="情報収集\n導入検討")],
        actor=None,
    )
    response = client.get(reverse("events:detail", args=[event.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "第1回は現状分析、<br>第2回は計画づくりです。" in html
    assert "〒231-0023" in html
    assert "kenshu-2" not in html
    assert "参加の目的" in html
    assert 'name="furigana"' in html and 'name="website"' in html
    assert reverse("portal:privacy") in html
    assert 'name="form_token"' not in html


def test_signed_in_visitor_gets_name_and_email_prefilled(client, yokohama, event):
    user = make_user(yokohama, name="佐藤 次郎", email="sato@yokohama.example.jp")
    client.force_login(user)
    html = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert 'value="佐藤 次郎"' in html
    assert 'value="sato@yokohama.example.jp"' in html


def test_registering_confirms_and_redirects_to_the_persons_page(client, event):
    response = _register(client, event)
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:registration", args=[registration.token])
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.name_kana == "タナカ マコト"
    assert registration.company_name == "株式会社ミナト精機"
    assert registration.privacy_policy_version == "1.0"
    html = _page(client, registration)
    assert "参加確定" in html
    assert registration.code in html


def test_get_on_register_goes_to_the_event_page(client, event):
    response = client.get(reverse("events:register", args=[event.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("events:detail", args=[event.pk])


def test_fourth_registration_of_three_seats_is_waitlisted(client, event, registration_factory):
    for _ in range(3):
        registration_factory(event)
    assert "満席" in client.get(reverse("events:detail", args=[event.pk])).content.decode()
    response = _register(client, event)
    assert response.status_code == 302
    fourth = Registration.objects.get(email="tanaka@minato-seiki.example.jp")
    assert fourth.status == RegistrationStatus.WAITLISTED
    html = _page(client, fourth)
    assert "キャンセル待ち" in html
    assert "1番目" in html


def test_duplicate_email_is_refused_with_input_kept(client, event):
    _register(client, event)
    response = _register(client, event, company_name="別の会社")
    html = response.content.decode()
    assert response.status_code == 400
    assert "このメールアドレスではすでに申し込まれています" in html
    assert 'value="別の会社"' in html
    assert 'value="tanaka@minato-seiki.example.jp"' in html
    assert Registration.objects.count() == 1


def test_required_question_must_be_answered(client, event):
    event_questions_set(
        event=event,
        purpose=QuestionPurpose.REGISTRATION,
        questions=[
            QuestionData(
                label="参加の目的", kind=QuestionKind.CHOICE, choices="情報収集\n導入検討", required=True
            ),
            QuestionData(label="関心度", kind=QuestionKind.RATING),
            QuestionData(label="関心のある分野", kind=QuestionKind.MULTIPLE, choices="会計\n在庫\n受発注"),
        ],
        actor=None,
    )
    purpose, rating, fields = event.questions.order_by("order", "id")
    response = _register(client, event)
    assert response.status_code == 400
    assert "選択してください" in response.content.decode()
    assert not Registration.objects.exists()

    response = client.post(
        reverse("events:register", args=[event.pk]),
        {
            **registration_post_data(),
            f"q_{purpose.pk}": "導入検討",
            f"q_{rating.pk}": "4",
            f"q_{fields.pk}": ["会計", "在庫"],
        },
    )
    assert response.status_code == 302
    assert Registration.objects.get().answers == {
        str(purpose.pk): "導入検討",
        str(rating.pk): 4,
        str(fields.pk): ["会計", "在庫"],
    }


def test_invalid_input_is_400_with_messages_beside_fields(client, event):
    response = _register(client, event, furigana="Tanaka", consent="")
    html = response.content.decode()
    assert response.status_code == 400
    assert "カタカナまたはひらがなで入力してください" in html
    assert "個人情報の取扱いに同意いただけない場合は送信できません" in html
    assert 'value="田中　誠"' in html or 'value="田中 誠"' in html


def test_closed_window_shows_no_form_and_refuses_post(client, yokohama):
    closed = _event(yokohama, registration_closes_at=timezone.now() - dt.timedelta(hours=1))
    html = client.get(reverse("events:detail", args=[closed.pk])).content.decode()
    assert "申込の受付は終了しました" in html
    assert 'name="furigana"' not in html
    response = _register(client, closed)
    assert response.status_code == 400
    assert "このイベントは現在申込を受け付けていません" in response.content.decode()
    assert not Registration.objects.exists()


def test_not_yet_open_says_when(client, yokohama):
    soon = _event(yokohama, registration_opens_at=timezone.now() + dt.timedelta(days=2))
    html = client.get(reverse("events:detail", args=[soon.pk])).content.decode()
    assert "に始まります" in html
    assert 'name="furigana"' not in html


def test_honeypot_pretends_success(client, event):
    response = _register(client, event, website="http://spam.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("events:list")
    assert not Registration.objects.exists()


def test_rate_limit_answers_429_and_keeps_input(client, event, settings):
    settings.OUENTAI_PUBLIC_FORM_RATE = "2/m"
    assert _register(client, event, email="a@example.jp").status_code == 302
    assert _register(client, event, email="b@example.jp").status_code == 302
    response = _register(client, event, email="c@example.jp")
    html = response.content.decode()
    assert response.status_code == 429
    assert "短時間に多くの送信がありました" in html
    assert 'value="c@example.jp"' in html
    assert Registration.objects.count() == 2


def test_register_path_stays_lean(client, event, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        assert _register(client, event).status_code == 302


# A person's own page


def test_registration_page_is_private(client, event, registration_factory):
    registration = registration_factory(event)
    response = client.get(reverse("events:registration", args=[registration.token]))
    assert "noindex" in response["X-Robots-Tag"]
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    unknown = "00000000-0000-4000-8000-000000000000"
    assert client.get(reverse("events:registration", args=[unknown])).status_code == 404


def test_qr_and_online_url_only_when_confirmed(client, yokohama):
    event = _event(yokohama, capacity=1)
    from ouentai.events.services import RegistrationData, registration_create

    confirmed = registration_create(event=event, data=RegistrationData(name="一人目", email="one@example.jp"))
    waiting = registration_create(event=event, data=RegistrationData(name="二人目", email="two@example.jp"))
    assert waiting.status == RegistrationStatus.WAITLISTED

    html = _page(client, confirmed)
    assert reverse("events:qr", args=[confirmed.token]) in html
    assert f"受付コード {confirmed.code} のQRコード" in html
    assert "https://meet.example.jp/kenshu-2" in html
    qr = client.get(reverse("events:qr", args=[confirmed.token]))
    assert qr.status_code == 200
    assert qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content

    html = _page(client, waiting)
    assert reverse("events:qr", args=[waiting.token]) not in html
    assert waiting.code not in html
    assert "kenshu-2" not in html
    assert client.get(reverse("events:qr", args=[waiting.token])).status_code == 404
    waiting_ics = client.get(reverse("events:ics", args=[waiting.token])).content.decode()
    assert "kenshu-2" not in waiting_ics
    confirmed_ics = client.get(reverse("events:ics", args=[confirmed.token])).content.decode()
    assert "kenshu-2" in confirmed_ics.replace("\r\n ", "")


def test_ics_has_each_session(client, event, registration_factory):
    registration = registration_factory(event)
    response = client.get(reverse("events:ics", args=[registration.token]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="event-{event.pk}.ics"'
    components = Calendar.from_ical(response.content).walk("VEVENT")
    sessions = list(event.sessions.order_by("starts_at"))
    assert [str(c.get("summary")) for c in components] == [f"{event.title}（{s.title}）" for s in sessions]
    assert [c.decoded("dtstart") for c in components] == [s.starts_at for s in sessions]


def test_cancel_frees_the_seat_for_the_first_waiting(client, event, registration_factory, run_queued_tasks):
    first, _second, _third = (registration_factory(event) for _ in range(3))
    waiting1 = registration_factory(event)
    waiting2 = registration_factory(event)
    assert "2番目" in _page(client, waiting2)
    html = _page(client, first)
    assert "本当にこの申込を取り消しますか" in html
    assert "<details>" in html

    assert client.get(reverse("events:cancel", args=[first.token])).status_code == 405
    response = client.post(reverse("events:cancel", args=[first.token]))
    assert response.status_code == 302
    assert response["Location"] == reverse("events:registration", args=[first.token])
    first.refresh_from_db()
    waiting1.refresh_from_db()
    waiting2.refresh_from_db()
    assert first.status == RegistrationStatus.CANCELLED
    assert waiting1.status == RegistrationStatus.OFFERED
    assert waiting2.status == RegistrationStatus.WAITLISTED
    page = client.get(response["Location"]).content.decode()
    assert "申込を取り消しました" in page
    assert "参加を取り消す" not in page

    run_queued_tasks()
    offered_mails = [m for m in mail.outbox if "席が空きました" in m.subject]
    assert [m.to for m in offered_mails] == [[waiting1.email]]

    html = _page(client, waiting1)
    assert "繰り上げ案内中" in html
    assert "参加を確定する" in html


def test_accept_turns_offer_into_confirmed(client, event, registration_factory):
    first = registration_factory(event)
    registration_factory(event)
    registration_factory(event)
    waiting = registration_factory(event)
    client.post(reverse("events:cancel", args=[first.token]))
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.OFFERED

    response = client.post(reverse("events:accept", args=[waiting.token]))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    html = client.get(response["Location"]).content.decode()
    assert "参加が確定しました" in html
    assert waiting.code in html


def test_accept_without_offer_shows_the_message(client, event, registration_factory):
    registration_factory(event), registration_factory(event), registration_factory(event)
    waiting = registration_factory(event)
    response = client.post(reverse("events:accept", args=[waiting.token]), follow=True)
    assert "この申込には繰り上げのご案内が出ていません" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.WAITLISTED


def test_cancel_and_accept_need_csrf(event, registration_factory):
    from django.test import Client

    registration = registration_factory(event)
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("events:cancel", args=[registration.token])).status_code == 403
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
