"""A staff member looks after the company list in a real browser: imports a CP932 CSV through a real task
worker (dry run, then the import), merges a company typed twice, saves a filter as a segment and downloads
it as CSV."""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from ouentai.accounts.models import Organization, User
from ouentai.community.models import Company, CompanyImport
from ouentai.core.audit import audit_entries_for
from tests.accounts.factories import PASSWORD
from tests.community.factories import CompanyFactory
from tests.e2e.pages import DESKTOP, field, screenshot

ORIGINAL = "株式会社みなと精機"

# As an office exports it from Excel: Shift_JIS (CP932), CRLF, half-width kana. Row 3 is the existing
# company typed another way (skipped as a likely duplicate), row 4 a near name that is another company,
# row 5 a phone number too short to be one.
CSV_ROWS = [
    ["会社名", "フリガナ", "電話番号", "郵便番号", "従業員数"],
    ["有限会社さくら商店", "ｻｸﾗｼｮｳﾃﾝ", "045-222-0003", "231-0045", "4"],
    ["ミナト精機(株)", "ﾐﾅﾄｾｲｷ", "045-201-5555", "", "12"],
    ["ミナト精機販売株式会社", "ﾐﾅﾄｾｲｷﾊﾝﾊﾞｲ", "045-201-9999", "231-0023", "30"],
    ["株式会社こうなん電設", "ｺｳﾅﾝﾃﾞﾝｾﾂ", "045-12", "", "8"],
]
ERROR_ROW = 5
DUPLICATE_ROW = 3


def counts(page: Page) -> dict[str, str]:
    """The counters of the import page: label → number shown."""
    result = {}
    for item in page.locator("ul.counts > li").all():
        label = item.evaluate("li => li.firstChild.textContent").strip()
        result[label] = item.locator("strong").inner_text().strip()
    return result


def report_rows_locator(page: Page):
    table = page.locator("table", has=page.locator("caption", has_text="お知らせする行"))
    return table.locator("tbody tr")


def report_rows(page: Page) -> list[list[str]]:
    """The rows of 「お知らせする行」: [row number, kind, message, what staff decided]."""
    return [
        [cell.inner_text().strip() for cell in row.locator("td").all()]
        for row in report_rows_locator(page).all()
    ]


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_staff_imports_merges_and_exports_a_segment(
    live_server,
    browser: Browser,
    start_worker,
    yokohama: Organization,
    staff: User,
    screenshots: Path,
    tmp_path: Path,
):
    worker = start_worker(workers=1)  # starts while the staff member logs in
    original = CompanyFactory.create(organization=yokohama, name=ORIGINAL, phone="+81452011234")
    upload = tmp_path / "企業一覧.csv"
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(CSV_ROWS)  # \r\n line ends, as Excel writes them
    upload.write_bytes(buffer.getvalue().encode("cp932"))

    console = browser.new_context(viewport=DESKTOP, locale="ja-JP", accept_downloads=True)
    console.set_default_timeout(10_000)
    page = console.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    field(page, "メールアドレス").fill(staff.email)
    field(page, "パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン", exact=True).click()
    page.wait_for_url(re.compile(r"/console/"))
    menu = page.get_by_role("navigation", name="コンソールメニュー")
    menu.get_by_role("link", name="企業", exact=True).click()
    expect(page.get_by_role("heading", name="企業", level=1)).to_be_visible()

    # Upload: the file is read as CP932 and its columns are guessed from the Japanese headers.
    page.get_by_role("link", name="ファイルから取り込む", exact=True).click()
    expect(page.get_by_role("heading", name="企業の取り込み", level=1)).to_be_visible()
    field(page, "ファイル").set_input_files(upload)
    page.get_by_role("button", name="アップロード", exact=True).click()
    page.wait_for_url(re.compile(r"/console/companies/import/\d+/$"))
    record = CompanyImport.objects.get()
    assert record.encoding == "cp932"
    assert record.headers == CSV_ROWS[0]
    expect(page.get_by_role("heading", level=1)).to_have_text("企業の取り込み：企業一覧.csv")
    expect(page.get_by_role("heading", name="先頭の行の点検", level=3)).to_be_visible()
    expect(page.get_by_role("combobox", name="会社名", exact=True)).to_have_value("0")
    expect(page.get_by_role("combobox", name="電話番号", exact=True)).to_have_value("2")
    preview = page.locator("table", has=page.get_by_role("columnheader", name="点検結果"))
    expect(preview.locator("tbody tr")).to_have_count(4)
    expect(preview.locator("tbody tr").first).to_contain_text("有限会社さくら商店")  # decoded from CP932
    expect(preview.locator("tbody tr").first).to_contain_text("問題なし")
    expect(preview.locator("tbody tr").last).to_contain_text("電話番号を確認してください")
    screenshot(page, screenshots, "community-import-mapping")

    # The dry run, in the worker: counts what would happen and registers nothing.
    page.get_by_role("button", name="試行する（登録しない）", exact=True).click()
    progress = page.locator("#progress-heading")
    expect(progress).to_have_text(re.compile(r"試行（登録はしません） — 完了"), timeout=30_000)
    assert counts(page) == {"登録できる企業": "2", "重複の可能性（登録せず）": "1", "エラーの行": "1"}
    assert Company.objects.count() == 1

    # The import itself: the page refreshes itself every 2 s until the worker is done.
    page.get_by_role("button", name="取り込む", exact=True).click()
    expect(progress).to_have_text(re.compile(r"取り込み — 完了"), timeout=30_000)
    expect(page.locator("#progress-text")).to_have_text("4 / 4 行")
    assert counts(page) == {"登録した企業": "2", "重複の可能性（登録せず）": "1", "エラーの行": "1"}
    rows = report_rows(page)
    assert [row[:2] for row in rows] == [[str(DUPLICATE_ROW), "重複の可能性"], [str(ERROR_ROW), "エラー"]]
    assert rows[0][2] == f"既存の企業：{ORIGINAL}"
    assert "電話番号" in rows[1][2]
    expect(page.get_by_role("button", name="取り込む", exact=True)).to_have_count(0)  # done: not again
    expect(page.get_by_text("このページは2秒ごとに更新されます。")).to_have_count(0)
    screenshot(page, screenshots, "community-import-done")
    record.refresh_from_db()
    assert (record.status, record.dry_run) == (CompanyImport.Status.DONE, False)
    assert sorted(Company.objects.values_list("name", flat=True)) == sorted(
        [ORIGINAL, "有限会社さくら商店", "ミナト精機販売株式会社"]
    )

    # The row held back is added to the existing company: its empty fields are filled, nothing else.
    page.get_by_role("link", name="選ぶ", exact=True).click()
    held = page.get_by_role("article", name=f"{DUPLICATE_ROW}行目：ミナト精機(株)")
    expect(held.get_by_role("radio", name=ORIGINAL)).to_be_checked()
    screenshot(page, screenshots, "community-import-held-row")
    held.get_by_role("button", name="選んだ企業に追加", exact=True).click()
    expect(page.get_by_text(f"{DUPLICATE_ROW}行目を「{ORIGINAL}」に追加しました。")).to_be_visible()
    expect(report_rows_locator(page).first).to_contain_text(f"既存の企業に追加：{ORIGINAL}")
    original.refresh_from_db()
    assert (original.name_kana, original.employees, original.phone) == ("ミナトセイキ", 12, "+81452011234")
    sakura = Company.objects.get(name="有限会社さくら商店")
    assert (sakura.name_kana, sakura.phone, sakura.employees) == ("サクラショウテン", "+81452220003", 4)
    assert (sakura.prefecture, sakura.city) == ("神奈川県", "横浜市中区")

    # The same company typed once more by hand: the form warns, the staff member registers it anyway.
    menu.get_by_role("link", name="企業", exact=True).click()
    expect(page.get_by_role("heading", name="企業", level=1)).to_be_visible()
    page.get_by_role("link", name="企業を登録", exact=True).click()
    field(page, "会社名").fill("㈱ﾐﾅﾄ精機")
    field(page, "電話番号").fill("045-201-7777")
    field(page, "従業員数").fill("12")
    field(page, "番地・建物名").fill("1-2-3 みなとビル4階")
    page.get_by_role("button", name="保存", exact=True).click()
    warning = page.get_by_role("region", name="同じ企業かもしれません")
    expect(warning).to_be_visible()
    expect(warning.get_by_role("link", name=ORIGINAL, exact=True)).to_be_visible()
    expect(warning).to_contain_text("会社名が同じ（表記ゆれを除く）")
    assert Company.objects.count() == 3
    page.get_by_label("上の企業とは別の企業なので、このまま登録する", exact=True).check()
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("企業情報を保存しました。")).to_be_visible()
    twin = Company.objects.exclude(pk=original.pk).get(name_key=original.name_key)
    assert page.url == f"{live_server.url}/console/companies/{twin.pk}/"

    # 名寄せ: one group, the original first; compare, keep the original, merge.
    menu.get_by_role("link", name="企業", exact=True).click()
    page.get_by_role("link", name="重複の可能性がある企業", exact=True).click()
    expect(page.get_by_role("heading", name="重複の可能性がある企業", level=1)).to_be_visible()
    groups = page.get_by_role("region", name=re.compile(r"^グループ\d+$"))
    expect(groups).to_have_count(1)
    group = groups.first
    expect(group).to_contain_text("会社名が同じ（表記ゆれを除く）")
    expect(group.locator("tbody tr")).to_have_count(2)
    expect(group.locator("tbody tr").first.get_by_role("link").first).to_have_text(ORIGINAL)
    expect(group.locator("tbody tr").last.get_by_role("link").first).to_have_text(twin.name)
    screenshot(page, screenshots, "community-duplicates")
    group.get_by_role("link", name=f"「{ORIGINAL}」と比べる", exact=True).click()
    page.wait_for_url(f"{live_server.url}/console/companies/{original.pk}/merge/{twin.pk}/")
    expect(page.get_by_role("heading", name="企業を統合", level=1)).to_be_visible()
    # Each choice names the company it keeps, so a screen reader tells them apart.
    expect(page.get_by_role("radio", name=f"「{ORIGINAL}」を残す")).to_be_checked()
    expect(page.get_by_role("radio", name=f"「{twin.name}」を残す")).not_to_be_checked()
    screenshot(page, screenshots, "community-merge")
    page.get_by_role("button", name="統合する", exact=True).click()
    page.wait_for_url(f"{live_server.url}/console/companies/{original.pk}/")
    expect(page.get_by_text(f"「{ORIGINAL}」に統合しました。")).to_be_visible()
    expect(page.get_by_role("heading", name=ORIGINAL, level=1)).to_be_visible()
    assert list(Company.objects.filter(name_key=original.name_key).values_list("pk", flat=True)) == [
        original.pk
    ]
    original.refresh_from_db()
    assert (
        original.address == "1-2-3 みなとビル4階"
    )  # an empty field of the kept company, filled from the other
    merged = audit_entries_for(original).filter(action="community.company.merged")
    assert merged.count() == 1
    assert merged.get().actor_id == staff.pk

    # A segment: companies of 1–5 employees, saved, opened again and downloaded as UTF-8 CSV.
    menu.get_by_role("link", name="企業", exact=True).click()
    total = page.locator(".list-tools [role=status]")
    filters = page.get_by_role("search", name="企業の検索と絞り込み")
    filters.get_by_role("combobox", name="従業員数").select_option("1-5")
    filters.get_by_role("button", name="検索", exact=True).click()
    expect(total).to_have_text("1社")
    page.get_by_role("textbox", name="この条件をセグメントとして保存").fill("小規模")
    page.locator("form.segment-save").get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("セグメント「小規模」を保存しました。")).to_be_visible()
    page.get_by_role("link", name="解除").click()
    expect(total).to_have_text("3社")
    segments = page.get_by_role("navigation", name="セグメント")
    segments.get_by_role("link", name="小規模", exact=True).click()
    expect(segments.get_by_role("link", name="小規模", exact=True)).to_have_attribute("aria-current", "true")
    expect(total).to_have_text("1社")
    table = page.get_by_role("table", name="企業の一覧")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr")).to_contain_text("有限会社さくら商店")
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV（UTF-8）", exact=True).click()
    download = info.value
    assert re.fullmatch(r"companies-\d{8}\.csv", download.suggested_filename)
    data = Path(download.path()).read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    exported = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert exported[0][:3] == ["会社名", "会社名フリガナ", "法人番号"]
    assert [row[0] for row in exported[1:]] == ["有限会社さくら商店"]
    assert exported[1][1] == "サクラショウテン"
    assert exported[1][exported[0].index("従業員数")] == "4"

    console.close()
    assert worker.stop() == 0
