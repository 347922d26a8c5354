"""A staff member answers an overdue application in a real browser: picks a reply template, previews the
mail with the placeholders filled, sends it; a real worker delivers it to a real SMTP server; the
application is no longer overdue; once the application becomes a membership the applicant hears that
too, and the company's timeline shows both mails (issue 11, defect 1)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from ouentai.community import services
from ouentai.community.models import Application
from ouentai.core.models import OutgoingMail
from tests.community.factories import ApplicationFactory
from tests.e2e.pages import field, log_in, new_page, screenshot
from tests.e2e.support import MailServer, wait_until

APPLICANT = "tanaka@minato-seiki.example.jp"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_staff_reply_from_a_template_arrives_and_stops_the_clock(
    live_server, browser: Browser, mail_server: MailServer, start_worker, staff, screenshots: Path
):
    organization = staff.organization
    application = ApplicationFactory.create(
        organization=organization, company_name="株式会社ミナト精機", contact_name="田中 誠", email=APPLICANT
    )
    # Received a week ago: the promised reply is overdue.
    Application.objects.filter(pk=application.pk).update(due_on=dt.date.today() - dt.timedelta(days=3))
    services.reply_template_save(
        organization=organization,
        template=None,
        data=services.ReplyTemplateData(
            name="受付のお礼",
            kind="application",
            subject="【{事務局名}】参加のお申し込みありがとうございます（受付番号 {受付番号}）",
            body="{会社名}\n{担当者名} 様\n\n{事務局名}の{送信者名}です。初回の面談日程をご相談させてください。",
        ),
        actor=staff,
    )
    worker = start_worker(workers=1)
    mail_server.wait_for(2, timeout=60)  # the applicant's confirmation and the staff notice

    context, page = new_page(browser)
    log_in(page, live_server.url, staff.email)
    page.wait_for_url(re.compile(r"/console/"))
    page.goto(f"{live_server.url}/console/applications/{application.pk}/")
    expect(page.locator("#reply-due")).to_contain_text("期限を過ぎています")

    field(page, "テンプレート").select_option(label="受付のお礼")
    page.get_by_role("button", name="テンプレートを読み込む", exact=True).click()
    expect(field(page, "件名")).to_have_value(re.compile(r"\{受付番号\}"))  # placeholders as written
    field(page, "本文").fill(field(page, "本文").input_value() + "\nご都合のよい日時をお知らせください。")
    page.get_by_role("button", name="プレビュー", exact=True).click()

    preview = page.get_by_role("region", name="送信する内容（プレビュー）")
    subject = (
        f"【ITコーディネータ横浜】参加のお申し込みありがとうございます（受付番号 {application.reference}）"
    )
    expect(preview).to_contain_text(subject)
    expect(preview).to_contain_text("株式会社ミナト精機")
    expect(preview).to_contain_text("ITコーディネータ横浜の山田 花子です。")
    expect(preview).to_contain_text(APPLICANT)
    screenshot(page, screenshots, "console-reply-preview")
    page.get_by_role("button", name="この内容で送信する", exact=True).click()
    expect(page.get_by_text(f"返信を送信しました（{APPLICANT}）。")).to_be_visible()
    expect(page.locator("#reply-due")).not_to_contain_text("期限を過ぎています")
    expect(page.locator("#reply-due")).to_contain_text("期限後に連絡")

    # The worker delivers the reply over SMTP, with every placeholder filled.
    def reply_arrived() -> list:
        return [m for m in mail_server.messages if m.rcpt_tos == (APPLICANT,) and m.subject == subject]

    replies = wait_until(reply_arrived, timeout=60)
    assert len(replies) == 1, [(m.rcpt_tos, m.subject) for m in mail_server.messages]
    body = replies[0].body.replace("\r\n", "\n")  # SMTP lines end in CRLF
    assert body.startswith("株式会社ミナト精機\n田中 誠 様")
    assert "ITコーディネータ横浜の山田 花子です。" in body
    assert "ご都合のよい日時をお知らせください。" in body
    assert "{" not in body
    assert str(replies[0].message["Reply-To"]) == organization.contact_email
    wait_until(lambda: OutgoingMail.objects.get(kind="application.reply").status == "sent", timeout=30)

    # The record page shows the reply with its delivery status; the inbox counts nothing overdue.
    page.reload()
    logs = page.get_by_role("region", name="対応記録")
    expect(logs).to_contain_text(subject)
    expect(logs).to_contain_text("送信済み")
    page.goto(f"{live_server.url}/console/applications/")
    expect(page.locator(".counts .overdue")).to_have_count(0)

    # Converted: the applicant hears that the membership started; the timeline shows both mails.
    page.goto(f"{live_server.url}/console/applications/{application.pk}/")
    page.get_by_role("button", name="会員企業として登録", exact=True).click()
    expect(page.get_by_text("会員企業として登録しました。")).to_be_visible()

    def welcome_arrived() -> list:
        return [
            m
            for m in mail_server.messages
            if m.rcpt_tos == (APPLICANT,) and "ご参加が始まりました" in m.subject
        ]

    welcome = wait_until(welcome_arrived, timeout=60)
    assert len(welcome) == 1
    assert "これからの流れ" in welcome[0].body
    wait_until(lambda: OutgoingMail.objects.get(kind="application.welcome").status == "sent", timeout=30)
    page.get_by_role("link", name="株式会社ミナト精機", exact=True).click()
    timeline = page.get_by_role("region", name="これまでの経緯")
    expect(timeline).to_contain_text(f"返信メール「{subject}」")
    expect(timeline).to_contain_text(welcome[0].subject)
    expect(timeline).to_contain_text(f"送信済み → {APPLICANT}")
    screenshot(page, screenshots, "console-company-timeline-reply")
    assert worker.stop() == 0
    context.close()
