"""A success case in a real browser, by the three people who make it: the coordinator turns a completed
engagement into a case from the engagement's page (company facts, phases and KPIs come from the
records), adds a photo with its alternative text and sends it for approval; a reviewer of the same
organization approves it as an anonymized case and asks the company for consent; the company's member
sees exactly what would be public (no company name), the consent text and its version, and consents
in /my/; staff publish it and it is found by the search; the member withdraws it and it is gone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Browser, expect

from ouentai.accounts.models import Organization, User
from ouentai.cases.choices import CONSENT_TEXT_VERSION, CONSENT_TEXTS, CaseStatus, CaseVariant, ConsentMethod
from ouentai.cases.models import Case
from ouentai.cases.selectors.public import CASE_SEARCH_KIND, public_cases
from ouentai.community.models import Company
from ouentai.core.models import OutgoingMail
from ouentai.core.search import search_filter
from ouentai.engagements.models import Engagement
from tests.cases.factories import completed_engagement
from tests.community.factories import CompanyFactory, ContactFactory, MemberFactory
from tests.e2e.pages import field, log_in, new_page, screenshot

TITLE = "受注と在庫を一つにつないで納期回答を即日に"
SUMMARY = "紙とFAXの受注をクラウドの販売管理に移し、在庫を見ながら納期を答えられるようにした。"
SOLUTION = "販売管理と在庫管理のクラウドサービスを選び、受注の入力を営業事務に集めた。"
RESULTS = "納期の回答が翌日から即日になり、電話の折り返しがほぼなくなった。"
ALT = "新しい出荷棚の前で受注画面を確かめる社員"
# A 1×1 PNG: a photo the browser uploads.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15"
    b"\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def japanese(text: Any) -> str:
    """A lazy text as the Japanese pages show it, whatever language this thread has active."""
    with translation.override("ja"):
        return str(text)


@pytest.fixture
def company(yokohama: Organization) -> Company:
    company = CompanyFactory.create(
        organization=yokohama, name="株式会社みなと精機", in_yokohama=True, employees=12
    )
    ContactFactory.create(company=company, name="港 一郎", email="minato@example.jp")
    return company


@pytest.fixture
def engagement(company: Company, coordinator: User) -> Engagement:
    return completed_engagement(company=company, lead=coordinator, title="受注から出荷までの見える化")


@pytest.fixture
def member(company: Company) -> User:
    return MemberFactory.create(
        company=company,
        contact=company.contacts.first(),
        user__email="member@example.jp",
        user__name="港 一郎",
    ).user


def found(query: str) -> list[Case]:
    return list(search_filter(public_cases(), kind=CASE_SEARCH_KIND, query=query))


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_engagement_to_case_consent_publication_and_withdrawal(
    live_server,
    browser: Browser,
    coordinator: User,
    staff: User,
    company: Company,
    engagement: Engagement,
    member: User,
    screenshots: Path,
    tmp_path: Path,
):
    base = live_server.url
    kpi = engagement.kpis.get()

    # --- The coordinator makes the case from the completed engagement's page. ---
    console, page = new_page(browser)
    log_in(page, base, coordinator.email)
    page.wait_for_url(re.compile(r"/console/"))
    page.goto(f"{base}/console/engagements/{engagement.pk}/")
    cases_panel = page.get_by_role("region", name="成功事例")
    expect(cases_panel.get_by_text("成功事例はまだありません。")).to_be_visible()
    cases_panel.scroll_into_view_if_needed()
    screenshot(page, screenshots, "cases-engagement-panel")
    cases_panel.get_by_role("link", name="この案件から成功事例を作成").click()

    page.wait_for_url(f"{base}/console/cases/new/{engagement.pk}/")
    expect(page.get_by_role("heading", name=re.compile("^新しい成功事例"), level=1)).to_be_visible()
    records = page.get_by_role("region", name="記録から載る内容")
    for shown in ("株式会社みなと精機", "横浜市中区", "6〜20人", "経営戦略 → IT戦略策定 → IT導入"):
        expect(records).to_contain_text(shown)
    # Prefilled from the engagement; its measured KPI is offered with the recorded figures, ticked.
    expect(field(page, "事例の表題")).to_have_value("受注から出荷までの見える化")
    expect(field(page, "経営課題")).to_have_value(engagement.challenges)
    kpi_box = page.get_by_role("checkbox", name=re.compile(f"^{kpi.name}：1,000 → 1,170"))
    expect(kpi_box).to_be_checked()
    screenshot(page, screenshots, "cases-console-form")

    field(page, "事例の表題").fill(TITLE)
    field(page, "要約").fill(SUMMARY)
    field(page, "課題の分類").select_option(label="生産性の向上")
    field(page, "ITの分野").select_option(label="受発注")
    field(page, "導入したITと進め方").fill(SOLUTION)
    field(page, "成果").fill(RESULTS)
    field(page, "経営者の声").fill("数字で見えるようになって、社員との話が早くなりました。")
    field(page, "経営者の声の話し手（役職）").fill("代表取締役")
    page.get_by_role("button", name="保存", exact=True).click()

    page.wait_for_url(re.compile(r"/console/cases/\d+/$"))
    case = Case.objects.get()
    assert page.url == f"{base}/console/cases/{case.pk}/"
    expect(page.get_by_text(f"成功事例「{TITLE}」を保存しました。")).to_be_visible()
    assert (case.author_id, case.status, case.company_id) == (coordinator.pk, CaseStatus.DRAFT, company.pk)
    assert [k.kpi_id for k in case.kpis.all()] == [kpi.pk]

    # A photo without its alternative text is refused beside the field; with it, it is kept.
    photo = tmp_path / "出荷棚.png"
    photo.write_bytes(PNG)
    media = page.get_by_role("region", name="写真・資料")
    media.get_by_label("ファイル", exact=True).set_input_files(photo)
    media.get_by_role("button", name="追加する").click()
    expect(page.locator("#id_alt_text_error")).to_contain_text("代替テキスト")
    media = page.get_by_role("region", name="写真・資料")
    media.get_by_label("ファイル", exact=True).set_input_files(photo)
    media.get_by_label("代替テキスト", exact=True).fill(ALT)
    media.get_by_role("button", name="追加する").click()
    expect(page.get_by_role("img", name=ALT)).to_be_visible()

    page.get_by_role("button", name="承認に回す").click()
    expect(page.get_by_text("承認に回しました。")).to_be_visible()
    expect(page.locator("h1 .status")).to_have_text("承認待ち")
    # The author never approves their own case: no approve button for them.
    expect(page.get_by_role("button", name="承認して同意を依頼")).to_have_count(0)
    console.close()

    # --- A reviewer of the same organization approves it, anonymized, and asks for consent. ---
    reviewer, page = new_page(browser)
    log_in(page, base, staff.email)
    page.wait_for_url(re.compile(r"/console/"))
    page.get_by_role("navigation", name="コンソールメニュー").get_by_role("link", name="成功事例").click()
    page.wait_for_url(f"{base}/console/cases/")
    screenshot(page, screenshots, "cases-console-list")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"{base}/console/cases/{case.pk}/")
    page.get_by_label("匿名（業種・規模・地域のみ）").check()
    screenshot(page, screenshots, "cases-console-review")
    page.get_by_role("button", name="承認して同意を依頼").click()
    expect(
        page.get_by_text("承認し、企業に「匿名（業種・規模・地域のみ）」での掲載の同意を依頼しました。")
    ).to_be_visible()
    case.refresh_from_db()
    assert (case.status, case.variant, case.reviewer_id) == (
        CaseStatus.CONSENT_REQUESTED,
        CaseVariant.ANONYMOUS,
        staff.pk,
    )
    [asked] = OutgoingMail.objects.filter(kind="cases.consent_requested")
    assert asked.to == member.email and f"/my/cases/{case.pk}/" in asked.body

    # --- The member sees exactly what would be public, and consents to the text shown. ---
    member_context, page = new_page(browser)
    log_in(page, base, member.email)
    page.wait_for_url(re.compile(r"/my/"))
    page.get_by_role("navigation", name="会員ページのメニュー").get_by_role(
        "link", name="成功事例の掲載"
    ).click()
    page.wait_for_url(f"{base}/my/cases/")
    waiting = page.get_by_role("region", name="同意をお願いしている事例")
    expect(waiting.get_by_role("link", name=TITLE)).to_be_visible()
    screenshot(page, screenshots, "cases-my-list")
    waiting.get_by_role("link", name="内容を確かめて同意する").click()
    page.wait_for_url(f"{base}/my/cases/{case.pk}/")
    preview = page.locator("article.case-preview")
    expect(preview.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(preview).to_contain_text("神奈川県の")
    expect(preview).not_to_contain_text("みなと精機")  # anonymized: the name is not public
    expect(preview).not_to_contain_text("横浜市中区")
    expect(preview.get_by_role("img", name=ALT)).to_be_visible()
    expect(page.locator("#consent-text")).to_have_text(japanese(CONSENT_TEXTS[CaseVariant.ANONYMOUS]))
    expect(page.get_by_text(f"同意文（第{CONSENT_TEXT_VERSION}版）")).to_be_visible()
    screenshot(page, screenshots, "cases-my-consent")
    page.get_by_role("button", name="この内容で掲載に同意する").click()
    expect(page.locator("#id_agree_error")).to_contain_text(
        "チェックを入れてください"
    )  # the box must be ticked
    page.get_by_label("上の同意文を読み、その内容に同意します").check()
    page.get_by_role("button", name="この内容で掲載に同意する").click()
    expect(page.get_by_text("掲載に同意しました。")).to_be_visible()
    consent = case.consents.get()
    assert (consent.given_by_id, consent.method, consent.version, consent.variant) == (
        member.pk,
        ConsentMethod.ONLINE,
        CONSENT_TEXT_VERSION,
        CaseVariant.ANONYMOUS,
    )
    assert consent.text == japanese(CONSENT_TEXTS[CaseVariant.ANONYMOUS])
    [told] = OutgoingMail.objects.filter(kind="cases.consented")
    assert told.to == coordinator.email
    assert found("受注") == []  # consented is not published

    # --- Staff publish it: it is in the search index (a 2-character word finds it). ---
    page_staff = reviewer.pages[0]
    page_staff.reload()
    consents = page_staff.get_by_role("region", name="掲載の同意の記録")
    expect(consents).to_contain_text(f"同意文 第{CONSENT_TEXT_VERSION}版")
    expect(consents).to_contain_text(japanese(CONSENT_TEXTS[CaseVariant.ANONYMOUS]))
    expect(consents).to_contain_text(member.name)
    page_staff.get_by_role("button", name="公開する").click()
    expect(page_staff.get_by_text("事例を公開しました。")).to_be_visible()
    expect(page_staff.locator("h1 .status")).to_have_text("公開中")
    screenshot(page_staff, screenshots, "cases-console-published")
    assert found("受注") == [case] and found("在庫") == [case]
    assert found("みなと精機") == []  # the anonymized company is not in the index

    # A visitor finds it in the public library by a 2-character word, without the company's name.
    visitor, library = new_page(browser)
    library.goto(f"{base}/cases/")
    library.locator("#case-q").fill("受注")
    library.locator("#case-q").press("Enter")
    library.wait_for_url(re.compile(r"/cases/\?.*q="))
    expect(library.get_by_role("link", name=TITLE)).to_be_visible()
    library.get_by_role("link", name=TITLE).click()
    library.wait_for_url(f"{base}/cases/{case.public_key}/")
    expect(library.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(library.locator("main")).not_to_contain_text("みなと精機")

    # --- The member withdraws it: gone from every public read at once. ---
    page.goto(f"{base}/my/cases/{case.pk}/")
    withdraw = page.get_by_role("region", name="公開を取りやめる")
    withdraw.get_by_label("取りやめる理由").fill("取引先に知られたくない情報が含まれていたため")
    screenshot(page, screenshots, "cases-my-published")
    withdraw.get_by_role("button", name="公開を取りやめる").click()
    expect(page.get_by_text("公開を取りやめました。")).to_be_visible()
    expect(page.locator("h1 .status")).to_have_text("公開取りやめ")
    assert found("受注") == [] and list(public_cases()) == []
    assert library.goto(f"{base}/cases/{case.public_key}/").status == 404  # type: ignore[union-attr]
    library.goto(f"{base}/cases/?q=受注")
    expect(library.get_by_role("link", name=TITLE)).to_have_count(0)
    visitor.close()
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN and case.consents.get().withdrawn_at is not None
    [notice] = OutgoingMail.objects.filter(kind="cases.withdrawn")
    assert notice.to == coordinator.email and "取引先に知られたくない" in notice.body

    # The history on the case page says who did what, in words.
    page_staff.reload()
    audit = page_staff.get_by_role("region", name="変更履歴")
    for action in (
        "事例を作成",
        "事例を承認に回す",
        "企業に掲載の同意を依頼",
        "企業が掲載に同意",
        "事例を公開",
        "事例の公開を取りやめ",
    ):
        expect(audit).to_contain_text(action)
    member_context.close()
    reviewer.close()
