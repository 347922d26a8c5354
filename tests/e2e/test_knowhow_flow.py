"""The know-how library in a real browser: a coordinator adds a checklist template with its file,
uploads a second version and makes the item public; a visitor finds it on /knowhow/ by a
two-character word and downloads the latest version. Screenshots of every page at desktop and phone
widths go to var/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.knowhow.choices import Visibility
from ouentai.knowhow.models import Item
from tests.accounts.factories import make_user
from tests.e2e.pages import field, log_in, new_page, screenshot
from tests.engagements.factories import EngagementFactory

TITLE = "在庫管理システム導入前のチェックリスト"
SUMMARY = "在庫の仕組みを入れる前に現場で確かめる項目です。品番の付け方、棚卸しの頻度、置き場の番号。"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_coordinator_shares_a_template_and_a_visitor_downloads_the_latest(
    live_server,
    browser: Browser,
    yokohama: Organization,
    coordinator: User,
    screenshots: Path,
    tmp_path: Path,
):
    base = live_server.url
    EngagementFactory.create(organization=yokohama, lead=coordinator, title="受注から出荷までの見える化")
    first = tmp_path / "checklist.md"
    first.write_text("# 導入前チェックリスト 第1版\n- 品番の付け方\n", encoding="utf-8")
    second = tmp_path / "checklist-v2.md"
    second.write_text("# 導入前チェックリスト 第2版\n- 品番の付け方\n- 置き場の番号\n", encoding="utf-8")

    # --- The coordinator adds the template with its first file (own organization only at first). ---
    context, page = new_page(browser)
    log_in(page, base, coordinator.email)
    page.get_by_role("navigation", name="コンソールメニュー").get_by_role("link", name="ノウハウ").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ノウハウ")
    page.get_by_role("link", name="ノウハウを登録").click()
    # A first try without a title: the page says so in Japanese and keeps what was typed.
    field(page, "種類").select_option(label="チェックリスト")
    field(page, "概要").fill(SUMMARY)
    field(page, "タグ").fill("在庫、導入準備")
    page.get_by_role("button", name="登録", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("タイトル：入力してください。")
    expect(field(page, "概要")).to_have_value(SUMMARY)
    screenshot(page, screenshots, "knowhow-console-form-error")
    field(page, "タイトル").fill(TITLE)
    field(page, "ファイル").set_input_files(str(first))
    field(page, "ファイルの説明").fill("初版")
    page.get_by_role("button", name="登録", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    item = Item.objects.get()
    assert (item.visibility, item.files.count(), item.author_id) == (
        Visibility.ORGANIZATION,
        1,
        coordinator.pk,
    )

    # --- A second version; the first stays listed. ---
    page.get_by_role("link", name="新しい版をアップロード").click()
    field(page, "新しい版のファイル").set_input_files(str(second))
    field(page, "変更内容").fill("置き場の項目を追加")
    screenshot(page, screenshots, "knowhow-console-upload")
    page.get_by_role("button", name="アップロード", exact=True).click()
    expect(page.get_by_text("第2版を登録しました。")).to_be_visible()
    versions = page.get_by_role("table", name="ファイルの版の一覧（新しい順）")
    expect(versions.get_by_role("row")).to_have_count(3)
    expect(versions).to_contain_text("置き場の項目を追加")
    expect(page.get_by_role("link", name="最新版（第2版）をダウンロード")).to_be_visible()

    # --- Linked to an engagement, then made public. ---
    page.get_by_role("link", name="使った支援案件を設定").click()
    page.get_by_label(re.compile("受注から出荷までの見える化")).check()
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("link", name=re.compile("受注から出荷までの見える化"))).to_be_visible()
    page.get_by_role("link", name="編集", exact=True).click()
    page.get_by_label("一般公開", exact=True).check()
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("ノウハウを保存しました。")).to_be_visible()
    screenshot(page, screenshots, "knowhow-console-detail")
    item.refresh_from_db()
    assert item.visibility == Visibility.PUBLIC
    page.goto(f"{base}/console/knowhow/?q=在庫")
    expect(page.locator(".kh-card mark").first).to_have_text("在庫")
    screenshot(page, screenshots, "knowhow-console-list")
    context.close()

    # --- A visitor finds it on /knowhow/ by a two-character word and downloads the latest version. ---
    context, page = new_page(browser)
    page.goto(f"{base}/")
    page.get_by_role("navigation", name="サイト内メニュー").get_by_role("link", name="ノウハウ集").click()
    expect(page.get_by_role("heading", name="ノウハウ集", level=1)).to_be_visible()
    page.get_by_role("search").get_by_label(re.compile("キーワード")).fill("在庫")
    page.get_by_role("button", name="検索", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("1件見つかりました")
    screenshot(page, screenshots, "knowhow-public-list")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.get_by_text("受注から出荷までの見える化")).to_have_count(0)  # the engagement stays inside
    screenshot(page, screenshots, "knowhow-public-detail")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="最新版（第2版）をダウンロード").click()
    download = download_info.value
    assert download.suggested_filename == "checklist-v2.md"
    saved = tmp_path / "downloaded.md"
    download.save_as(saved)
    assert saved.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    context.close()

    # --- An expert reads the shared library in their own area (/network/knowhow/). ---
    expert = make_user(yokohama, Role.EXPERT, "expert@yokohama.example.jp", name="専門家 太郎")
    context, page = new_page(browser)
    log_in(page, base, expert.email)
    page.goto(f"{base}/network/knowhow/")
    expect(page.get_by_role("heading", name="ノウハウ集", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    screenshot(page, screenshots, "knowhow-network-list")
    context.close()
