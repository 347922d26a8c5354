"""Outcome goals (成果目標) in a real browser: office staff open the 年度 dashboard from the console menu,
set this year's targets typed the Japanese way (full-width digits), are told in Japanese beside the field
and in the summary when a target is negative (what they typed kept), then see each indicator's actual
against its target. The actual number opens exactly the engagements it counts, month by month; the
monthly table and the chart are there for every reader; the year picker works from the keyboard.

The live server cannot be clock-patched: the data is dated in the current 年度, up to today."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from ouentai.accounts.models import Organization, User
from ouentai.core.calendar import fiscal_year, fiscal_year_bounds, fiscal_year_text, local_today
from ouentai.engagements.choices import EngagementStatus
from ouentai.engagements.models import Engagement
from ouentai.engagements.services import engagement_set_status
from ouentai.outcomes.models import Indicator, Target
from ouentai.outcomes.services import indicators_install
from tests.community.factories import CompanyFactory
from tests.e2e.pages import DESKTOP, PHONE, field, log_in, new_page, screenshot
from tests.engagements.factories import EngagementFactory

STARTED = "支援案件の開始"
COMPLETED = "支援案件の完了"
NEGATIVE = "0以上の数を入力してください。"


def computed_indicators() -> None:
    """The indicators the data migration switches on. A transactional test before this one flushed the
    database, migration rows included: they are put back as on install."""
    indicators_install()


def focused(locator: Locator) -> bool:
    return bool(locator.evaluate("element => element === document.activeElement"))


def tab_to(page: Page, locator: Locator, limit: int = 60) -> int:
    """Press Tab until ``locator`` has the focus; how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if focused(locator):
            return presses
    raise AssertionError(f"not reached with {limit} presses of Tab")


def fits_phone(page: Page) -> None:
    """At phone width nothing makes the page scroll sideways (wide tables scroll inside .table-scroll)."""
    page.set_viewport_size(PHONE)
    try:
        wider = page.evaluate(
            """() => {
                const width = document.documentElement.clientWidth;
                if (document.documentElement.scrollWidth <= width) return [];
                return [...document.querySelectorAll("body *")]
                    .filter(e => e.getBoundingClientRect().right > width + 1)
                    .slice(0, 10)
                    .map(e => `${e.tagName.toLowerCase()}.${e.className} (${e.getBoundingClientRect().right}px)`);
            }"""
        )
        assert not wider, f"the page scrolls sideways at {PHONE['width']}px: {wider}"
    finally:
        page.set_viewport_size(DESKTOP)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_targets_dashboard_and_records(
    live_server,
    browser: Browser,
    yokohama: Organization,
    kawasaki: Organization,
    staff: User,
    coordinator: User,
    screenshots: Path,
):
    base = live_server.url
    computed_indicators()
    today = local_today()
    year = fiscal_year(today)
    first, last = fiscal_year_bounds(year)
    label = fiscal_year_text(year)  # 2026年度（令和8年度）

    # --- Three engagements started this 年度 (on its first day, half-way to today, today), one of them
    # completed; one started on the first day of last 年度; one of another organization. ---
    days = [first, first + (today - first) // 2, today]
    titles = ["受発注と在庫の見える化", "勤怠と給与計算のクラウド化", "ネット販売の立ち上げ"]
    started = []
    for number, (day, title) in enumerate(zip(days, titles, strict=True), start=1):
        company = CompanyFactory.create(organization=yokohama, name=f"株式会社みなと精機{number}号")
        started.append(
            EngagementFactory.create(
                organization=yokohama,
                company=company,
                lead=coordinator if number % 2 else staff,
                title=title,
                started_on=day,
            )
        )
    engagement_set_status(engagement=started[0], status=EngagementStatus.COMPLETED, actor=staff)
    last_year = EngagementFactory.create(
        organization=yokohama,
        company=CompanyFactory.create(organization=yokohama, name="株式会社前年度商事"),
        lead=coordinator,
        title="前年度に始めた案件",
        started_on=fiscal_year_bounds(year - 1)[0],
    )
    other = EngagementFactory.create(organization=kawasaki, title="川崎の案件", started_on=today)
    # The drill-down lists them newest first (the later created first on the same day).
    expected_titles = [e.title for e in sorted(started, key=lambda e: (e.started_on, e.pk), reverse=True)]

    # --- Staff sign in and open 成果目標 from the console menu. ---
    context, page = new_page(browser)
    log_in(page, base, staff.email)
    page.wait_for_url(re.compile(r"/console/"))
    menu = page.get_by_role("navigation", name="コンソールメニュー")
    menu.get_by_role("link", name="成果目標", exact=True).click()
    page.wait_for_url(f"{base}/console/outcomes/")
    expect(menu.get_by_role("link", name="成果目標", exact=True)).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"成果目標 {label}")
    if today < last:
        expect(page.get_by_text(f"{first:%Y-%m-%d}から{today:%Y-%m-%d}までの実績です。")).to_be_visible()
    else:  # 31 March: the year is counted in full
        expect(
            page.get_by_text(f"{first:%Y-%m-%d}〜{last:%Y-%m-%d}の実績です（年度は終了しています）。")
        ).to_be_visible()

    section = page.get_by_role("region", name=STARTED, exact=True)
    counts = section.get_by_role("list", name=f"{STARTED}の実績と目標")
    expect(counts.get_by_role("listitem")).to_have_text(
        ["実績 3件", "目標 —", "達成率 —", "前年度の同じ時期 1件"]
    )
    completed = page.get_by_role("region", name=COMPLETED, exact=True)
    expect(completed.get_by_role("list").get_by_role("listitem").first).to_have_text("実績 1件")

    # --- The year picker and its 表示 button, from the keyboard: the year before is shown. ---
    picker = field(page, "年度")
    show = page.get_by_role("button", name="表示", exact=True)
    expect(picker.locator("option:checked")).to_have_text(label)
    menu.get_by_role("link", name="成果目標", exact=True).focus()
    tab_to(page, picker)
    page.keyboard.press("ArrowDown")  # the years run newest first: next year, this year, the year before…
    expect(picker.locator("option:checked")).to_have_text(fiscal_year_text(year - 1))
    page.keyboard.press("Tab")
    assert focused(show), "表示 does not follow the year picker in the tab order"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/console/outcomes/?year={year - 1}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"成果目標 {fiscal_year_text(year - 1)}")
    expect(
        page.get_by_role("region", name=STARTED, exact=True).get_by_role("list").get_by_role("listitem").first
    ).to_have_text("実績 1件")  # last year's engagement, counted in its own 年度
    page.goto(f"{base}/console/outcomes/?year={year}")

    # --- Targets: full-width digits, and a negative target refused in Japanese. ---
    page.get_by_role("link", name=f"{label}の目標を設定", exact=True).click()
    page.wait_for_url(f"{base}/console/outcomes/targets/?year={year}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"成果目標の設定 {label}")
    target = field(page, f"{STARTED}の目標値（件）")
    baseline = field(page, f"{STARTED}の基準値（件）")
    completed_target = field(page, f"{COMPLETED}の目標値（件）")
    target.fill("１０")
    baseline.fill("８")
    completed_target.fill("-2")
    page.get_by_role("button", name="目標を保存", exact=True).click()

    page.wait_for_url(f"{base}/console/outcomes/targets/?year={year}")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("入力内容を確認してください。")
    expect(
        summary.get_by_role("link", name=f"{COMPLETED}の目標値（件）：{NEGATIVE}", exact=True)
    ).to_be_visible()
    expect(completed_target).to_have_attribute("aria-invalid", "true")
    expect(completed_target).to_have_accessible_description(re.compile(f"{NEGATIVE}$"))  # after a ⚠ (CSS)
    expect(completed_target.locator("xpath=..").get_by_text(NEGATIVE, exact=True)).to_be_visible()
    expect(completed_target).to_have_value("-2")  # what was typed is kept, the rest too
    expect(target).to_have_value("１０")
    expect(baseline).to_have_value("８")
    assert not Target.objects.exists()  # all or nothing
    screenshot(page, screenshots, "outcomes-targets-error")
    fits_phone(page)

    completed_target.fill("２")
    page.get_by_role("button", name="目標を保存", exact=True).click()
    page.wait_for_url(f"{base}/console/outcomes/?year={year}")
    expect(page.get_by_text(f"{label}の成果目標を保存しました。", exact=True)).to_be_visible()
    saved = {
        t.indicator.key: (t.target, t.baseline, t.set_by_id)
        for t in Target.objects.select_related("indicator")
    }
    assert saved == {"engagements_started": (10, 8, staff.pk), "engagements_completed": (2, None, staff.pk)}
    assert Indicator.objects.get(key="engagements_started").targets.get().fiscal_year == year

    section = page.get_by_role("region", name=STARTED, exact=True)
    counts = section.get_by_role("list", name=f"{STARTED}の実績と目標")
    expect(counts.get_by_role("listitem")).to_have_text(
        ["実績 3件", "目標 10件", "達成率 30%", "基準値 8件", "前年度の同じ時期 1件"]
    )
    expect(
        page.get_by_role("region", name=COMPLETED, exact=True).get_by_role("list").get_by_role("listitem")
    ).to_have_text(["実績 1件", "目標 2件", "達成率 50%", "前年度の同じ時期 0件"])

    # --- The chart is an image with a title, and the same numbers are in a table. ---
    chart = section.get_by_role("img", name=re.compile(f"^{STARTED}の累計"))
    expect(chart).to_be_visible()
    expect(chart.locator("title").first).to_have_text(f"{STARTED}の累計")
    expect(chart).to_have_accessible_name(re.compile(f"{label}の実績は3件。目標は10件"))
    table = section.get_by_role("table", name=f"{STARTED}の月ごとの実績（{label}）")
    expect(table).to_be_hidden()
    section.get_by_text("月ごとの数を表で見る", exact=True).click()
    expect(table).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(13)  # the heading and the twelve months
    this_month = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=f"{today.year}年{today.month}月", exact=True)
    )
    in_this_month = sum(1 for day in days if (day.year, day.month) == (today.year, today.month))
    expect(this_month.get_by_role("cell").first).to_have_text(str(in_this_month))
    expect(this_month.get_by_role("cell").nth(1)).to_have_text("3")
    screenshot(page, screenshots, "outcomes-dashboard")
    fits_phone(page)

    # --- The actual number opens exactly the engagements it counts. ---
    counts.get_by_role("link", name="3件", exact=True).click()
    page.wait_for_url(f"{base}/console/outcomes/engagements_started/?year={year}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{STARTED} {label}")
    expect(page.get_by_role("status")).to_have_text("3件を数えています。")
    records = page.get_by_role("table", name=f"{STARTED}として数えた記録")
    expect(records.get_by_role("rowheader")).to_have_text(expected_titles)
    for engagement in started:
        row = records.get_by_role("row").filter(
            has=page.get_by_role("link", name=engagement.title, exact=True)
        )
        expect(row.get_by_role("cell")).to_have_text(
            [engagement.company.name, engagement.lead.name, f"{engagement.started_on:%Y-%m-%d}"]
        )
    expect(records).not_to_contain_text(last_year.title)
    expect(records).not_to_contain_text(other.title)
    months = page.get_by_role("navigation", name="月で絞り込む")
    expect(months.get_by_role("link")).to_have_count(13)
    expect(months.get_by_role("link", name="年度全体", exact=True)).to_have_attribute("aria-current", "page")
    screenshot(page, screenshots, "outcomes-records")
    fits_phone(page)

    # The month filter: today's month, then a month with nothing, then the whole year again.
    months.get_by_role("link", name=f"{today.month}月", exact=True).click()
    page.wait_for_url(f"{base}/console/outcomes/engagements_started/?year={year}&month={today:%Y-%m}")
    expect(months.get_by_role("link", name=f"{today.month}月", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{STARTED} {label} ・ {today.year}年{today.month}月"
    )
    expect(page.get_by_role("status")).to_have_text(f"{in_this_month}件を数えています。")
    expect(records.get_by_role("rowheader")).to_have_text(
        [
            e.title
            for e in sorted(started, key=lambda e: (e.started_on, e.pk), reverse=True)
            if e.started_on.month == today.month
        ]
    )
    used = {day.month for day in days}
    empty = next(month for month in (*range(4, 13), 1, 2, 3) if month not in used)
    months.get_by_role("link", name=f"{empty}月", exact=True).click()
    page.wait_for_url(re.compile(rf"&month=\d{{4}}-{empty:02d}$"))
    expect(page.get_by_role("status")).to_have_text("0件を数えています。")
    expect(records).to_contain_text("この期間に数えた記録はありません。")
    months.get_by_role("link", name="年度全体", exact=True).click()
    page.wait_for_url(f"{base}/console/outcomes/engagements_started/?year={year}")
    expect(page.get_by_role("status")).to_have_text("3件を数えています。")

    # A counted row opens its engagement; the way back is the dashboard at the same section.
    records.get_by_role("link", name=titles[0], exact=True).click()
    page.wait_for_url(f"{base}/console/engagements/{started[0].pk}/")
    expect(page.get_by_role("heading", name=titles[0], level=1)).to_be_visible()
    page.go_back()
    page.get_by_role("link", name="← 成果目標", exact=True).click()
    page.wait_for_url(f"{base}/console/outcomes/?year={year}#outcome-engagements_started")
    assert Engagement.objects.get(pk=started[0].pk).status == EngagementStatus.COMPLETED
    context.close()
