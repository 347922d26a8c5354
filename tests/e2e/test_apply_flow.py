"""A visitor applies in a real browser, the confirmation mail goes out through a real worker to a real SMTP
server, and a staff member takes the application through to a member company."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from ouentai.community.models import Application, Company, ContactLog
from ouentai.core.models import OutgoingMail
from tests.accounts.factories import PASSWORD
from tests.e2e.pages import DESKTOP, field, screenshot
from tests.e2e.support import MailServer

REFERENCE = re.compile(r"^A-\d{6}-[2-9A-HJ-NP-Z]{6}$")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_visitor_applies_mail_arrives_and_staff_converts(
    live_server, browser: Browser, mail_server: MailServer, start_worker, staff, screenshots: Path
):
    worker = start_worker(workers=1)  # starts while the visitor types

    # The visitor: half-width kana, full-width digits, and the address filled from the postal code.
    visitor = browser.new_context(viewport=DESKTOP, locale="ja-JP")
    visitor.set_default_timeout(10_000)
    page = visitor.new_page()
    page.goto(f"{live_server.url}/apply/")
    expect(page.get_by_role("heading", name="参加申込", level=1)).to_be_visible()
    screenshot(page, screenshots, "apply")

    field(page, "会社名").fill("株式会社ﾐﾅﾄ精機")
    field(page, "会社名フリガナ").fill("ﾐﾅﾄｾｲｷ")
    field(page, "担当者名").fill("田中　誠")
    field(page, "担当者名フリガナ").fill("ﾀﾅｶ ﾏｺﾄ")
    field(page, "メールアドレス").fill("tanaka@minato-seiki.example.jp")
    field(page, "電話番号").fill("０４５－２０１－１２３４")
    postal = field(page, "郵便番号")
    postal.fill("２３１００２３")
    postal.blur()
    expect(field(page, "都道府県")).to_have_value("神奈川県")
    expect(field(page, "市区町村")).to_have_value("横浜市中区")
    # Only company, contact person and e-mail (and the consent) are required; the rest is optional.
    assert page.locator(".public-form .req").count() == 4
    # Typed whole out of habit: what the postal code already filled is not stored twice.
    field(page, "番地・建物名").fill("横浜市中区山下町１－２－３ みなとビル４階")
    expect(field(page, "法人番号")).to_have_value("")
    field(page, "業種").select_option("E")
    field(page, "従業員数").fill("４５")
    field(page, "ご相談内容").fill("受注管理を見直したい")
    page.get_by_label("個人情報の取扱いに同意する", exact=True).check()
    page.get_by_role("button", name="申し込む", exact=True).click()

    page.wait_for_url(f"{live_server.url}/apply/thanks/")
    reference = page.locator("#reference").inner_text().strip()
    assert REFERENCE.match(reference), reference
    screenshot(page, screenshots, "apply-thanks")
    application = Application.objects.get()
    assert application.reference == reference

    # The worker delivers the applicant's confirmation (and the staff notice) to the SMTP server.
    received = mail_server.wait_for(2, timeout=60)
    to_applicant = [m for m in received if m.rcpt_tos == ("tanaka@minato-seiki.example.jp",)]
    assert len(to_applicant) == 1, [(m.rcpt_tos, m.subject) for m in received]
    confirmation = to_applicant[0]
    assert reference in confirmation.subject
    assert "参加のお申し込みを受け付けました" in confirmation.subject
    assert "株式会社ミナト精機" in confirmation.body
    assert reference in confirmation.body
    assert worker.stop() == 0
    assert sorted(OutgoingMail.objects.values_list("kind", "status")) == [
        ("application.confirmation", "sent"),
        ("application.staff_notice", "sent"),
    ]

    # The staff member: log in, open the application, assign, log a call, convert.
    console = browser.new_context(viewport=DESKTOP, locale="ja-JP")
    console.set_default_timeout(10_000)
    page = console.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    field(page, "メールアドレス").fill(staff.email)
    field(page, "パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン", exact=True).click()
    page.wait_for_url(re.compile(r"/console/"))
    page.goto(f"{live_server.url}/console/applications/")
    expect(page.get_by_role("heading", name="参加申込の受付箱")).to_be_visible()
    screenshot(page, screenshots, "console-inbox")
    page.get_by_role("link", name=reference, exact=True).click()
    page.wait_for_url(f"{live_server.url}/console/applications/{application.pk}/")
    screenshot(page, screenshots, "console-application")

    # A panel is also named 担当者 (aria-labelledby its heading): ask for the select itself.
    page.get_by_role("combobox", name="担当者", exact=True).select_option(str(staff.pk))
    page.get_by_role("button", name="割り当てる", exact=True).click()
    expect(page.get_by_text("担当者を山田 花子さんにしました。")).to_be_visible()

    page.get_by_label("電話", exact=True).check()
    field(page, "内容").fill("電話で日程を調整しました。")
    page.get_by_role("button", name="記録する", exact=True).click()
    expect(page.get_by_text("対応を記録しました。")).to_be_visible()

    page.get_by_role("button", name="会員企業として登録", exact=True).click()
    expect(page.get_by_text("会員企業として登録しました。")).to_be_visible()
    page.get_by_role("link", name="株式会社ミナト精機", exact=True).click()
    expect(page.get_by_role("heading", name="株式会社ミナト精機", level=1)).to_be_visible()
    assert re.search(r"/console/companies/\d+/$", page.url)

    company = Company.objects.get()
    assert page.url == f"{live_server.url}/console/companies/{company.pk}/"
    assert company.organization_id == staff.organization_id
    assert company.name == "株式会社ミナト精機"
    assert company.name_kana == "ミナトセイキ"
    assert company.phone == "+81452011234"
    assert company.postal_code == "2310023"
    assert company.legal_form == "株式会社"
    assert company.legal_form_position == "before"
    assert (company.prefecture, company.city) == ("神奈川県", "横浜市中区")
    assert company.employees == 45
    assert (company.town, company.address) == ("山下町", "1-2-3 みなとビル4階")
    application.refresh_from_db()
    assert application.status == "converted"
    assert application.company_id == company.pk
    assert application.assignee_id == staff.pk
    log = ContactLog.objects.get(application=application)
    assert (log.channel, log.note, log.actor_id) == ("phone", "電話で日程を調整しました。", staff.pk)
    visitor.close()
    console.close()
