"""Expert dispatch in a real browser, by the four people who take part: staff file a request from the
company's page (a request over the scheme's limit is refused beside its field), choose the expert the
matching ranks first and submit it; the support organization's user approves it; the expert logs two
visits (a third is no longer possible) and writes the completion report (with its PDF); the company's
member confirms and rates it; the totals of the 年度 show the visits, hours, company and covered fee."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import Browser, Locator, expect

from ouentai.accounts.models import Organization, User
from ouentai.community.models import Company
from ouentai.core.calendar import fiscal_year, local_today
from ouentai.core.models import AuditEntry
from ouentai.core.templatetags.ouentai import fiscal_year_label
from ouentai.network import selectors
from ouentai.network.choices import DispatchStatus
from ouentai.network.models import DispatchRequest, DispatchScheme, DispatchVisit, Expert, Skill
from tests.e2e.pages import field, log_in, new_page, pdf_text, screenshot
from tests.network import conftest as network_fixtures
from tests.network.factories import ExpertFactory

# 中小機構's 中小企業119-like scheme (3 visits a 年度, 5 for IT, SMEs in 神奈川, 2 h a visit at
# 10,000円/h, fully covered), 株式会社みなと精機 in 横浜市中区, the partner user of 中小機構 and the
# expert 専門 花子 (IT skills, 神奈川, a valid ITコーディネータ certificate).
support_org = network_fixtures.support_org
scheme = network_fixtures.scheme
sme = network_fixtures.sme
skills = network_fixtures.skills
partner = network_fixtures.partner
expert_user = network_fixtures.expert_user
member_of = network_fixtures.member_of

THEME = "IT活用・デジタル化"
PURPOSE = "受注から出荷までの流れを見直し、在庫を見える化したい。"
PREFERRED = "平日の午後（火・木）"
# Both visits today: the request is created and approved today, and a visit is logged after it took
# place, on or after the day of approval.
VISITS = [  # (days ago, start, end, summary, next steps)
    (
        0,
        "10:00",
        "12:00",
        "受発注と在庫の流れを現場で聞き取り、業務フロー図にまとめた。",
        "在庫の品目一覧を用意する",
    ),
    (0, "14:00", "16:00", "販売管理システムの候補3製品を比べ、選び方を助言した。", "見積りを2社から取る"),
]
REPORT = {
    "支援の概要": "受発注・在庫管理の現状把握とシステム選定の支援を2回行った。",
    "助言の内容": "在庫の引当てを受注時に行える販売管理システムを選ぶよう助言した。",
    "今後の取り組み": "見積りを比べ、来年度の導入計画を立てる。",
}
COMMENT = "現場の話をよく聞いてもらえ、次に何をすべきかがはっきりした。"


def row_of(table: Locator, header: str | re.Pattern[str]) -> Locator:
    """The table row whose row header has ``header``."""
    return table.get_by_role("row").filter(has=table.page.get_by_role("rowheader", name=header))


@pytest.fixture
def member(sme: Company, member_of) -> User:
    """会員 一郎, the member account of 株式会社みなと精機."""
    user: User = member_of(sme)
    return user


@pytest.fixture
def other_expert(yokohama: Organization, skills: dict[str, Skill]) -> Expert:
    """A finance expert serving 東京 only: the matching must rank him below 専門 花子 for an IT theme
    in 横浜."""
    return ExpertFactory.create(
        organization=yokohama,
        name="財務 太郎",
        name_kana="ザイム タロウ",
        area_codes="13",
        skills=[skills["finance"]],
    )


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_request_approve_visits_report_rating_and_totals(
    live_server,
    browser: Browser,
    yokohama: Organization,
    staff: User,
    scheme: DispatchScheme,
    sme: Company,
    partner: User,
    expert_user: User,
    other_expert: Expert,
    member: User,
    screenshots: Path,
    tmp_path: Path,
):
    base = live_server.url
    today = local_today()
    # The first preferred date a week ahead, unless that is already the next 年度 (it names the 年度).
    first_day = today + dt.timedelta(days=7)
    if fiscal_year(first_day) != fiscal_year(today):
        first_day = today
    year = fiscal_year(first_day)
    expert = Expert.objects.get(user=expert_user)
    it_limit = scheme.limit_for("it")
    assert it_limit == 5

    # --- 1. Staff file the request from the company's page. ---
    console, page = new_page(browser)
    log_in(page, base, staff.email)
    page.wait_for_url(re.compile(r"/console/"))
    page.get_by_role("navigation", name="コンソールメニュー").get_by_role(
        "link", name="企業", exact=True
    ).click()
    page.get_by_role("link", name=sme.name, exact=True).click()
    page.wait_for_url(f"{base}/console/companies/{sme.pk}/")
    dispatch_panel = page.get_by_role("region", name="専門家派遣")
    expect(dispatch_panel).to_contain_text("派遣申請はまだありません。")
    dispatch_panel.get_by_role("link", name="専門家派遣を申請", exact=True).click()

    expect(page.get_by_role("heading", name="専門家派遣を申請", level=1)).to_be_visible()
    expect(field(page, "企業").locator("option:checked")).to_have_text(sme.name)  # preselected
    field(page, "派遣制度").select_option(label=f"{scheme.support_organization.name}　{scheme.name}")
    field(page, "テーマ").select_option(label=THEME)
    visits = field(page, "希望する訪問回数")
    visits.fill(str(it_limit + 1))  # one more than an IT theme allows in a 年度
    field(page, "最初の希望日").fill(first_day.isoformat())
    field(page, "希望日時").fill(PREFERRED)
    field(page, "相談したいこと").fill(PURPOSE)
    page.get_by_role("button", name="下書きを保存", exact=True).click()

    # Refused beside the field, in Japanese, with what was typed kept.
    expect(page.get_by_role("heading", name="専門家派遣を申請", level=1)).to_be_visible()
    limit_error = page.locator("#id_requested_visits_error")
    expect(limit_error).to_contain_text(f"{sme.name}が受けられる訪問は{it_limit}回まで")
    expect(limit_error).to_contain_text(f"残りは{it_limit}回です。")
    expect(visits).to_have_value(str(it_limit + 1))
    expect(visits).to_have_attribute("aria-invalid", "true")
    expect(visits).to_have_attribute("aria-describedby", re.compile(r"\bid_requested_visits_error\b"))
    expect(field(page, "相談したいこと")).to_have_value(PURPOSE)
    assert not DispatchRequest.objects.exists()

    visits.fill("2")
    page.get_by_role("button", name="下書きを保存", exact=True).click()
    page.wait_for_url(re.compile(r"/console/network/dispatches/\d+/$"))
    dispatch = DispatchRequest.objects.get()
    assert page.url == f"{base}/console/network/dispatches/{dispatch.pk}/"
    assert (dispatch.status, dispatch.theme, dispatch.requested_visits) == (DispatchStatus.DRAFT, "it", 2)
    assert (dispatch.first_preferred_on, dispatch.fiscal_year, dispatch.created_by_id) == (
        first_day,
        year,
        staff.pk,
    )
    expect(page.get_by_text(f"{sme.name}の派遣申請（下書き）を保存しました。")).to_be_visible()
    expect(page.get_by_text("現在、制度の規則を満たしています。")).to_be_visible()

    # The matching: 専門 花子 first, with her reasons (those the service gives, and the ones that make
    # her first); the finance expert from 東京 after her.
    candidates = selectors.expert_candidates(dispatch)
    assert [c.expert.pk for c in candidates] == [expert.pk, other_expert.pk]
    hanako = candidates[0]
    assert "企業の所在地に対応" in hanako.reasons
    assert "ITコーディネータ（有効）" in hanako.reasons
    matching = page.get_by_role("table", name="専門家の候補（点数の高い順）")
    rows = matching.locator("tbody").get_by_role("row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).get_by_role("link", name=expert.name, exact=True)).to_be_visible()
    expect(rows.nth(1).get_by_role("link", name=other_expert.name, exact=True)).to_be_visible()
    expect(rows.nth(0).get_by_role("listitem")).to_have_text(hanako.reasons)
    expect(rows.nth(0)).to_contain_text(str(hanako.score))
    expect(rows.nth(1)).to_contain_text("企業の所在地は対応地域の外")
    # The button names the expert for screen readers ("この専門家に決める（専門 花子）").
    rows.nth(0).get_by_role("button", name=re.compile(rf"^この専門家に決める\s*（{expert.name}）$")).click()

    expect(page.get_by_text(f"専門家を「{expert.name}」に決めました。")).to_be_visible()
    request_details = page.get_by_role("region", name="申請の内容")
    expect(request_details.get_by_role("link", name=expert.name, exact=True)).to_be_visible()
    expect(rows.nth(0)).to_contain_text("担当")
    screenshot(page, screenshots, "network-flow-console-dispatch")

    page.get_by_role("button", name="支援機関に提出", exact=True).click()
    expect(page.get_by_text("申請を支援機関に提出しました。")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("申請中")
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.expert_id) == (DispatchStatus.SUBMITTED, expert.pk)

    # --- 2. The support organization's user approves it. ---
    partner_context, page = new_page(browser)
    log_in(page, base, partner.email)
    page.wait_for_url(f"{base}/network/partner/")
    expect(page.get_by_role("heading", name=re.compile("^派遣申請"), level=1)).to_be_visible()
    page.get_by_role("link", name=sme.name, exact=True).click()
    page.wait_for_url(f"{base}/network/partner/requests/{dispatch.pk}/")
    expect(page.get_by_role("heading", name=re.compile(f"^{sme.name}"), level=1)).to_contain_text("申請中")
    expect(page.get_by_text("制度の規則に合っています。")).to_be_visible()
    rule_panel = page.get_by_role("region", name="制度の規則の確認")
    expect(rule_panel).to_contain_text(f"1社あたり年度内{it_limit}回（テーマ「{THEME}」の場合）")
    expect(rule_panel).to_contain_text(f"2回（申請前の残り {it_limit}回）")
    expert_panel = page.get_by_role("region", name="専門家")
    expect(expert_panel).to_contain_text(expert.name)
    expect(expert_panel).to_contain_text("ITコーディネータ")
    expect(page.get_by_role("region", name="申請の内容")).to_contain_text(PURPOSE)
    screenshot(page, screenshots, "network-flow-partner-request")

    page.get_by_role("button", name="この申請を承認する", exact=True).click()
    expect(page.get_by_text("申請を承認しました。")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("承認済み")
    expect(page.get_by_role("button", name="この申請を承認する")).to_have_count(0)
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.decided_by_id) == (DispatchStatus.APPROVED, partner.pk)
    partner_context.close()

    # --- 3. The expert logs two visits and reports. ---
    expert_context, page = new_page(browser)
    log_in(page, base, expert_user.email)
    page.wait_for_url(f"{base}/network/expert/")
    expect(page.get_by_role("heading", name=re.compile("^担当の派遣"), level=1)).to_be_visible()
    page.get_by_role("link", name=sme.name, exact=True).click()
    page.wait_for_url(f"{base}/network/expert/dispatches/{dispatch.pk}/")
    visits_panel = page.get_by_role("region", name=re.compile("^訪問記録"))
    expect(visits_panel).to_contain_text("0／2回")
    # A visit dated before the request existed (and was approved) is refused beside the date.
    visit_form = page.locator("form#visit-form")
    field(visit_form, "訪問日").fill((today - dt.timedelta(days=2)).isoformat())
    field(visit_form, "開始").fill("10:00")
    field(visit_form, "終了").fill("12:00")
    field(visit_form, "実施内容").fill("承認前の打合せ")
    visit_form.get_by_role("button", name="訪問を記録する", exact=True).click()
    expect(page.locator("#id_visit-visited_on_error")).to_contain_text("以降にしてください")
    expect(field(page.locator("form#visit-form"), "訪問日")).to_have_attribute("aria-invalid", "true")
    assert not DispatchVisit.objects.filter(request=dispatch).exists()
    for number, (days_ago, start, end, summary, next_steps) in enumerate(VISITS, start=1):
        visit_form = page.locator("form#visit-form")
        field(visit_form, "訪問日").fill((today - dt.timedelta(days=days_ago)).isoformat())
        field(visit_form, "開始").fill(start)
        field(visit_form, "終了").fill(end)
        field(visit_form, "実施内容").fill(summary)
        field(visit_form, "次回までの課題").fill(next_steps)
        visit_form.get_by_role("button", name="訪問を記録する", exact=True).click()
        expect(page.get_by_text("訪問を記録しました。")).to_be_visible()
        expect(visits_panel).to_contain_text(f"{number}／2回")
        item = visits_panel.get_by_role("listitem").nth(number - 1)
        expect(item).to_contain_text(f"第{number}回")
        expect(item).to_contain_text(f"{start}〜{end}")
        expect(item).to_contain_text("（2時間）")
        expect(item).to_contain_text(summary)
    expect(page.get_by_role("heading", level=1)).to_contain_text("実施中")
    expect(visits_panel).to_contain_text("合計 2回・4時間")

    # Both requested visits are logged: no third visit form, and a third visit posted anyway is refused.
    expect(page.locator("form#visit-form")).to_have_count(0)
    expect(visits_panel).to_contain_text(
        "承認された回数の訪問をすべて記録しました。完了報告を提出してください。"
    )
    token = page.locator("form#report-form input[name=csrfmiddlewaretoken]").input_value()
    refused = page.request.post(
        f"{base}/network/expert/dispatches/{dispatch.pk}/",
        form={
            "csrfmiddlewaretoken": token,
            "action": "visit",
            "visit-visited_on": today.isoformat(),
            "visit-starts_at": "09:00",
            "visit-ends_at": "10:00",
            "visit-summary": "3回目",
        },
        headers={"Referer": page.url},
    )
    assert refused.status == 400
    assert "承認された訪問回数（2回）をすべて記録済みです。" in refused.text()
    assert DispatchVisit.objects.filter(request=dispatch).count() == 2
    screenshot(page, screenshots, "network-flow-expert-visits")  # two visits, the report form open

    # The completion report: the scheme requires 支援の概要, 助言の内容 and 今後の取り組み.
    report_panel = page.get_by_role("region", name="完了報告")
    for label, text in REPORT.items():
        if label != "今後の取り組み":
            field(report_panel, label).fill(text)
    report_panel.get_by_role("button", name="完了報告を提出する", exact=True).click()
    next_steps_field = field(page.get_by_role("region", name="完了報告"), "今後の取り組み")
    expect(page.locator("#id_report-next_steps_error")).to_have_text(
        "「今後の取り組み」を入力してください（この制度の報告書の必須項目です）。"
    )
    expect(next_steps_field).to_have_attribute("aria-invalid", "true")
    expect(field(page.get_by_role("region", name="完了報告"), "支援の概要")).to_have_value(
        REPORT["支援の概要"]
    )
    next_steps_field.fill(REPORT["今後の取り組み"])
    page.get_by_role("button", name="完了報告を提出する", exact=True).click()

    expect(page.get_by_text("完了報告を提出しました。企業の確認と評価をお待ちください。")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("報告済み")
    report_panel = page.get_by_role("region", name="完了報告")
    for text in REPORT.values():
        expect(report_panel).to_contain_text(text)
    pdf_link = report_panel.get_by_role("link", name="完了報告書（PDF）をダウンロード", exact=True)
    expect(pdf_link).to_be_visible()
    screenshot(page, screenshots, "network-flow-expert-dispatch")
    with page.expect_download() as downloaded:
        pdf_link.click()
    assert downloaded.value.suggested_filename == f"dispatch-report-{dispatch.pk}.pdf"
    saved = tmp_path / downloaded.value.suggested_filename
    downloaded.value.save_as(saved)
    text = pdf_text(saved)
    assert sme.name in text
    assert expert.name in text
    flat = re.sub(r"\s+", "", text)  # table cells wrap their lines anywhere
    for summary in (VISITS[0][3], VISITS[1][3], REPORT["助言の内容"]):
        assert summary in flat
    assert "合計2回" in flat and "4.0時間" in flat
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.REPORTED
    assert {key: dispatch.report.get(key) for key in ("summary", "advice", "next_steps")} == {
        "summary": REPORT["支援の概要"],
        "advice": REPORT["助言の内容"],
        "next_steps": REPORT["今後の取り組み"],
    }
    expert_context.close()

    # --- 4. The company's member confirms and rates it. ---
    member_context, page = new_page(browser)
    log_in(page, base, member.email)
    page.wait_for_url(f"{base}/my/")
    section = page.get_by_role("region", name="専門家派遣")
    item = section.locator(f"#dispatch-{dispatch.pk}")
    expect(item).to_contain_text("報告済み")
    expect(item).to_contain_text(expert.name)
    expect(item).to_contain_text("2／2回")
    expect(item).to_contain_text(REPORT["助言の内容"])  # the report, open above the form
    item.get_by_role("group", name="専門家派遣の評価").get_by_role(
        "radio", name="5 とても良い", exact=True
    ).check()
    field(item, "ご感想・ご意見").fill(COMMENT)
    item.get_by_role("button", name="確認して評価を送る", exact=True).click()

    page.wait_for_url(f"{base}/my/#dispatch-{dispatch.pk}")
    expect(
        page.get_by_text("専門家派遣の確認と評価を送信しました。ご協力ありがとうございました。")
    ).to_be_visible()
    item = page.get_by_role("region", name="専門家派遣").locator(f"#dispatch-{dispatch.pk}")
    expect(item).to_contain_text("企業確認済み")
    expect(item).to_contain_text("5 ／ 5（とても良い）")
    expect(item).to_contain_text(COMMENT)
    expect(item.get_by_role("button", name="確認して評価を送る")).to_have_count(0)
    screenshot(page, screenshots, "network-flow-member-home")
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.rating, dispatch.rating_comment) == (
        DispatchStatus.CONFIRMED,
        5,
        COMMENT,
    )
    member_context.close()

    # Every change was audited, by the person who made it.
    actions = list(
        AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(DispatchRequest), target_id=str(dispatch.pk)
        )
        .order_by("pk")
        .values_list("action", "actor_id")
    )
    assert actions == [
        ("network.request.created", staff.pk),
        ("network.request.expert_assigned", staff.pk),
        ("network.request.submitted", staff.pk),
        ("network.request.approved", partner.pk),
        ("network.request.updated", expert_user.pk),  # the first visit puts it in progress
        ("network.visit.logged", expert_user.pk),
        ("network.visit.logged", expert_user.pk),
        ("network.report.submitted", expert_user.pk),
        ("network.request.confirmed", member.pk),
    ]

    # --- 5. Staff read the totals of the 年度. ---
    page = console.pages[0]
    page.goto(f"{base}/console/")
    page.get_by_role("navigation", name="コンソールメニュー").get_by_role(
        "link", name="専門家派遣", exact=True
    ).click()
    page.get_by_role("navigation", name="専門家派遣のメニュー").get_by_role(
        "link", name="集計", exact=True
    ).click()
    page.wait_for_url(f"{base}/console/network/totals/")
    field(page, "年度").select_option(value=str(year))
    page.get_by_role("button", name="表示", exact=True).click()
    page.wait_for_url(re.compile(rf"/console/network/totals/\?year={year}"))
    expect(page.get_by_role("heading", name=f"{fiscal_year_label(year)}の集計", level=2)).to_be_visible()
    totals = page.get_by_role("table", name="派遣制度ごとの集計")
    expect(totals.get_by_role("columnheader")).to_have_text(
        ["派遣制度", "申請件数", "訪問回数", "時間", "企業数", "謝金", "制度の負担額"]
    )
    # 2 visits × 2 h × 10,000円/h, of which the scheme covers 100 %.
    hours = Decimal(2) * scheme.hours_per_visit
    fee = int(hours * scheme.fee_per_hour)
    covered = fee * scheme.fee_share_percent // 100
    assert (hours, fee, covered) == (Decimal(4), 40_000, 40_000)
    expected = ["1", "2", "4", "1", "40,000円", "40,000円"]
    scheme_row = row_of(totals, re.compile(f"^{re.escape(scheme.name)}"))
    expect(scheme_row).to_have_count(1)
    expect(scheme_row.get_by_role("rowheader")).to_contain_text(scheme.support_organization.name)
    expect(scheme_row.get_by_role("cell")).to_have_text(expected)
    expect(row_of(totals, "合計").get_by_role("cell")).to_have_text(expected)
    screenshot(page, screenshots, "network-flow-totals")

    # The console's request page shows the whole story.
    page.goto(f"{base}/console/network/dispatches/{dispatch.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("企業確認済み")
    expect(page.get_by_role("region", name="企業の確認と評価")).to_contain_text("5 ／ 5（とても良い）")
    expect(page.get_by_role("region", name="訪問の記録").locator("tfoot")).to_contain_text("4.0時間")
    console.close()
