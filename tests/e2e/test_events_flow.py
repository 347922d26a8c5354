"""An event from both sides in a real browser: a visitor registers, the confirmation (with calendar file
and QR code) goes out through a real worker to a real SMTP server, staff check the visitor in at the
door by the code from the mail, send the survey to those who came, the visitor answers it from the
mail's link, and staff read the answer in the results."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from ouentai.accounts.models import Organization, User
from ouentai.core.models import OutgoingMail
from ouentai.events import services
from ouentai.events.choices import QuestionPurpose, RegistrationStatus
from ouentai.events.models import Attendance, Event, Registration, Session, SurveyResponse
from tests.accounts.factories import PASSWORD
from tests.e2e.pages import DESKTOP, field, screenshot
from tests.e2e.support import MailServer, ReceivedMail, wait_until
from tests.events.factories import make_event

VISITOR = "tanaka@minato-seiki.example.jp"
ABSENT = "suzuki@kohoku-denki.example.jp"
COMMENT = "事例の紹介がとても具体的で、自社でも試したいと思いました。"
CODE = re.compile(r"受付コード: ([0-9A-Z]{8})")


def mail_to(server: MailServer, address: str, subject_part: str, *, timeout: float = 60) -> ReceivedMail:
    """The one message to ``address`` whose subject contains ``subject_part``, waited for (bounded)."""

    def found() -> list[ReceivedMail]:
        return [m for m in server.messages if m.rcpt_tos == (address,) and subject_part in m.subject]

    matches = wait_until(found, timeout=timeout)
    assert len(matches) == 1, [(m.rcpt_tos, m.subject) for m in server.messages]
    return matches[0]


def attachments(message: ReceivedMail) -> dict[str, tuple[str, bytes]]:
    """Attached files of a received message: filename → (MIME type, content)."""
    result = {}
    for part in message.message.iter_attachments():
        filename = part.get_filename()
        assert filename, part
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        result[filename] = (part.get_content_type(), payload)
    return result


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_visitor_registers_checks_in_and_answers_the_survey(
    live_server,
    browser: Browser,
    mail_server: MailServer,
    start_worker,
    yokohama: Organization,
    staff: User,
    screenshots: Path,
    settings,
):
    # Mail rendered in this process (the survey, sent from a console page) links to the live server.
    settings.OUENTAI_PUBLIC_BASE_URL = live_server.url
    # A one-session seminar that starts in half an hour: registration is still open, the desk is open.
    event = make_event(
        yokohama,
        staff,
        sessions=1,
        capacity=20,
        starts_in=dt.timedelta(minutes=30),
        kind="kickoff",
        title="IT経営セミナー 受発注のデジタル化",
    )
    services.event_questions_set(
        event=event,
        purpose=QuestionPurpose.SURVEY,
        questions=[
            services.QuestionData(label="満足度", kind="rating", required=True, order=1),
            services.QuestionData(
                label="参考になった点", kind="multiple", choices="講演\n事例\n交流", order=2
            ),
            services.QuestionData(label="ご意見", kind="text", order=3),
        ],
        actor=staff,
    )
    # Someone else registers too but will not come: the survey must not reach them.
    absent = services.registration_create(
        event=event,
        data=services.RegistrationData(
            name="鈴木 次郎",
            name_kana="スズキ ジロウ",
            company_name="港北電機株式会社",
            email=ABSENT,
            phone="",
            answers={},
        ),
    )
    assert absent.status == RegistrationStatus.CONFIRMED
    worker = start_worker(workers=1)  # starts while the visitor browses

    # --- The visitor registers (half-width kana for the フリガナ). ---
    visitor = browser.new_context(viewport=DESKTOP, locale="ja-JP")
    visitor.set_default_timeout(10_000)
    page = visitor.new_page()
    page.goto(f"{live_server.url}/events/")
    page.get_by_role("link", name=event.title, exact=True).click()
    expect(page.get_by_role("heading", name=event.title, level=1)).to_be_visible()
    field(page, "氏名").fill("田中 太郎")
    field(page, "フリガナ").fill("ﾀﾅｶ ﾀﾛｳ")
    field(page, "会社名").fill("株式会社ミナト精機")
    field(page, "メールアドレス").fill(VISITOR)
    page.get_by_label("個人情報の取扱いに同意する", exact=True).check()
    page.get_by_role("button", name="参加を申し込む", exact=True).click()

    page.wait_for_url(re.compile(r"/events/r/[0-9a-f-]{36}/$"))
    registration = Registration.objects.get(email=VISITOR)
    assert page.url == f"{live_server.url}/events/r/{registration.token}/"
    expect(page.get_by_role("heading", name="申込内容の確認", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("現在の状態"))).to_contain_text("参加確定")
    qr = page.get_by_role("img", name=f"受付コード {registration.code} のQRコード")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), "the QR code image did not load"
    expect(page.locator(".checkin-pass")).to_contain_text(registration.code)
    expect(page.get_by_text("タナカ タロウ", exact=True)).to_be_visible()  # normalized to full-width
    assert registration.name_kana == "タナカ タロウ"
    screenshot(page, screenshots, "event-registration")

    # --- The worker delivers the confirmation with the calendar file and the QR code. ---
    confirmation = mail_to(mail_server, VISITOR, "参加確定")
    assert event.title in confirmation.subject
    assert "田中 太郎 様" in confirmation.body
    code = CODE.search(confirmation.body)
    assert code is not None, confirmation.body
    assert code.group(1) == registration.code
    own_page = re.search(r"https?://\S+/events/r/[0-9a-f-]{36}/", confirmation.body)
    assert own_page is not None, confirmation.body
    assert urlsplit(own_page.group(0)).path == f"/events/r/{registration.token}/"
    files = attachments(confirmation)
    assert files["event.ics"][0] == "text/calendar"
    assert b"BEGIN:VCALENDAR" in files["event.ics"][1]
    png = f"checkin-{registration.code}.png"
    assert files[png][0] == "image/png"
    assert files[png][1].startswith(b"\x89PNG\r\n\x1a\n")

    # --- Staff check the visitor in at the desk, typing the code from the mail in lower case. ---
    console = browser.new_context(viewport=DESKTOP, locale="ja-JP")
    console.set_default_timeout(10_000)
    desk = console.new_page()
    desk.goto(f"{live_server.url}/accounts/login/")
    field(desk, "メールアドレス").fill(staff.email)
    field(desk, "パスワード").fill(PASSWORD)
    desk.get_by_role("button", name="ログイン", exact=True).click()
    desk.wait_for_url(re.compile(r"/console/"))
    desk.get_by_role("navigation", name="コンソールメニュー").get_by_role(
        "link", name="イベント", exact=True
    ).click()
    desk.wait_for_url(f"{live_server.url}/console/events/")
    desk.get_by_role("link", name=event.title, exact=True).click()
    desk.wait_for_url(f"{live_server.url}/console/events/{event.pk}/")
    desk.get_by_role("navigation", name="イベントのメニュー").get_by_role(
        "link", name="受付", exact=True
    ).click()
    desk.wait_for_url(f"{live_server.url}/console/events/{event.pk}/checkin/")
    expect(desk.get_by_role("heading", name=re.compile("^受付"), level=1)).to_be_visible()
    desk.get_by_label("受付コード（QRコードの下の8文字）", exact=True).fill(code.group(1).lower())
    desk.get_by_role("button", name="受付", exact=True).click()
    result = desk.get_by_role("status").filter(has_text="受付完了")
    expect(result).to_contain_text("田中 太郎 様（株式会社ミナト精機） 受付しました")
    assert result.get_attribute("aria-live") == "assertive"
    screenshot(desk, screenshots, "event-checkin")
    assert Attendance.objects.filter(registration=registration).count() == 1
    assert not Attendance.objects.filter(registration=absent).exists()

    # --- The seminar takes place: its two hours are over (the session moved back, so that the worker
    # process and the browser keep the real clock). ---
    session = event.sessions.get()
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=2, minutes=30),
        ends_at=timezone.now() - dt.timedelta(minutes=30),
    )
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=2, minutes=30),
        ends_at=timezone.now() - dt.timedelta(minutes=30),
    )

    # --- Staff send the survey: only the attendee gets it. ---
    desk.get_by_role("navigation", name="イベントのメニュー").get_by_role(
        "link", name="アンケート", exact=True
    ).click()
    desk.wait_for_url(f"{live_server.url}/console/events/{event.pk}/survey/")
    expect(desk.get_by_role("heading", name="アンケート", level=1)).to_be_visible()
    expect(desk.get_by_text("まだアンケートを送っていない出席者 1人に送信します")).to_be_visible()
    desk.get_by_role("button", name="アンケートを送信", exact=True).click()
    expect(desk.get_by_text("アンケートを1人に送信しました。")).to_be_visible()
    survey_mail = mail_to(mail_server, VISITOR, "アンケートのお願い")
    assert event.title in survey_mail.subject
    survey_link = f"{live_server.url}/events/r/{registration.token}/survey/"
    assert survey_link in survey_mail.body.split(), survey_mail.body
    # Everything queued so far is out (the absent person's confirmation included): no survey for them.
    assert wait_until(
        lambda: not OutgoingMail.objects.exclude(status=OutgoingMail.Status.SENT).exists(), timeout=30
    )
    assert [m.subject for m in mail_server.messages if m.rcpt_tos == (ABSENT,)] == [
        f"【参加確定】{event.title}"
    ]

    # --- The visitor answers from the mail's link. ---
    page.goto(survey_link)
    expect(page.get_by_role("heading", name="アンケートのお願い", level=1)).to_be_visible()
    page.get_by_role("group", name="満足度").get_by_label("5 とても良い", exact=True).check()
    useful = page.get_by_role("group", name="参考になった点")
    useful.get_by_label("講演", exact=True).check()
    useful.get_by_label("事例", exact=True).check()
    field(page, "ご意見").fill(COMMENT)
    screenshot(page, screenshots, "event-survey")
    page.get_by_role("button", name="回答を送信する", exact=True).click()
    expect(page.get_by_role("heading", name="ご回答ありがとうございました", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("田中 太郎 様のご回答を受け付けました。")
    response = SurveyResponse.objects.get()
    assert response.registration_id == registration.pk

    # --- Staff read the results. ---
    desk.goto(f"{live_server.url}/console/events/{event.pk}/survey/")
    desk.get_by_role("navigation", name="開催後の作業").get_by_role(
        "link", name="アンケート結果", exact=True
    ).click()
    desk.wait_for_url(f"{live_server.url}/console/events/{event.pk}/survey/results/")
    counts = desk.get_by_role("list", name="回答の状況")
    expect(counts.get_by_role("listitem").filter(has_text="回答率")).to_contain_text(
        re.compile(r"100(\.0)?%")
    )
    expect(counts.get_by_role("listitem").filter(has_text=re.compile(r"^回答\s*1$"))).to_have_count(1)
    satisfaction = desk.get_by_role("region", name=re.compile(r"満足度$"))
    expect(satisfaction).to_contain_text(re.compile(r"平均 5(\.0)?（5段階）"))
    five = satisfaction.get_by_role("row").filter(
        has=desk.get_by_role("rowheader", name="5 とても良い", exact=True)
    )
    expect(five.get_by_role("cell").first).to_have_text("1")
    useful_result = desk.get_by_role("region", name=re.compile(r"参考になった点$"))
    for option, count in (("講演", "1"), ("事例", "1"), ("交流", "0")):
        row = useful_result.get_by_role("row").filter(
            has=desk.get_by_role("rowheader", name=option, exact=True)
        )
        expect(row.get_by_role("cell").first).to_have_text(count)
    comments = desk.get_by_role("region", name=re.compile(r"ご意見$"))
    expect(comments.get_by_role("listitem")).to_have_text([COMMENT])
    screenshot(desk, screenshots, "event-survey-results")

    assert worker.stop() == 0
    visitor.close()
    console.close()
