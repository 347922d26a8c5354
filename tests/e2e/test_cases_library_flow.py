"""The case library in a real browser, as a company owner uses it: narrows the library by a facet,
searches a 2-character word (在庫), opens a case and reads its KPI table; after the company withdraws its
consent the case is gone from the list, its page (404), the feed and the search. Screenshots of the
library, a search with more hits than its limit, and a case page at desktop and phone widths go to the screenshots folder (the copies in
docs/img/ are taken from there by hand, so a test run never changes the repository)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from ouentai.accounts.models import Organization
from ouentai.cases.choices import CaseVariant, Challenge, ItArea
from ouentai.cases.models import Case
from ouentai.cases.selectors import library
from ouentai.cases.services.workflow import case_withdraw
from ouentai.engagements import services as engagement_services
from ouentai.engagements.choices import EngagementStatus, KpiDirection, Phase
from tests.cases.factories import CaseFactory, publish
from tests.community.factories import CompanyFactory
from tests.e2e.pages import DESKTOP, PHONE, new_page
from tests.engagements.factories import EngagementFactory, KpiFactory

# (company, KPIs (name, unit, direction, before, after), case fields)
CASES: list[tuple[dict[str, Any], list[tuple[str, str, str, int, int]], dict[str, Any]]] = [
    (
        {"name": "株式会社みなと精機", "industry": "E", "employees": 12},
        [
            ("受注から出荷までの日数", "日", KpiDirection.DECREASE, 5, 2),
            ("在庫の回転日数", "日", KpiDirection.DECREASE, 48, 30),
        ],
        {
            "title": "在庫と受注を一つの画面に：納期回答を即日に",
            "summary": "紙とFAXの受注をクラウドの販売管理に移し、在庫を見ながら納期を答えられるようにした。",
            "it_area": ItArea.INVENTORY,
            "challenge_kind": Challenge.PRODUCTIVITY,
            "variant": CaseVariant.ANONYMOUS,
        },
    ),
    (
        {"name": "有限会社こうほく食品", "industry": "E", "employees": 35},
        [("棚卸しにかかる時間", "時間", KpiDirection.DECREASE, 16, 4)],
        {
            "title": "ハンディ端末で棚卸しを半日から1時間に",
            "summary": "バーコードで入出庫を記録し、月末の棚卸しと在庫の差異を減らした。",
            "it_area": ItArea.INVENTORY,
            "challenge_kind": Challenge.LABOUR,
            "variant": CaseVariant.NAMED,
        },
    ),
    (
        {"name": "株式会社あおば会計サービス", "industry": "L", "employees": 8},
        [("月次決算の締め日数", "日", KpiDirection.DECREASE, 20, 7)],
        {
            "title": "クラウド会計で月次決算を早める",
            "summary": "銀行明細の取り込みと請求書の電子化で、月次の数字を翌月7日に出せるようにした。",
            "it_area": ItArea.ACCOUNTING,
            "challenge_kind": Challenge.PRODUCTIVITY,
            "variant": CaseVariant.NAMED,
            "solution": "クラウド会計と請求書の電子化サービスを導入した。",
            "results": "月次の数字が早く出る。",
        },
    ),
    (
        {"name": "株式会社さくら工務店", "industry": "D", "employees": 22},
        [("問い合わせ件数（月）", "件", KpiDirection.INCREASE, 6, 19)],
        {
            "title": "施工事例のサイトで問い合わせが3倍に",
            "summary": "写真と費用の目安を載せたサイトに変え、地域からの問い合わせを増やした。",
            "it_area": ItArea.SALES,
            "challenge_kind": Challenge.GROWTH,
            "variant": CaseVariant.ANONYMOUS,
            "solution": "施工事例を載せるサイトを作った。",
            "results": "問い合わせが増えた。",
        },
    ),
]


def _case(
    organization: Organization,
    company: dict[str, Any],
    kpis: list[tuple[str, str, str, int, int]],
    fields: dict[str, Any],
) -> Case:
    """A completed engagement with the KPIs measured, turned into a case and published."""
    variant = fields.pop("variant")
    firm = CompanyFactory.create(organization=organization, in_yokohama=True, **company)
    engagement = EngagementFactory.create(
        organization=organization, company=firm, challenges="紙の台帳で管理している。"
    )
    for phase in (Phase.IT_STRATEGY, Phase.IMPLEMENTATION):
        engagement_services.engagement_set_phase(engagement=engagement, phase=phase, actor=engagement.lead)
    for name, unit, direction, before, after in kpis:
        kpi = KpiFactory.create(
            engagement=engagement, name=name, unit=unit, direction=direction, baseline_value=Decimal(before),
            target_value=Decimal(after),
        )  # fmt: skip
        engagement_services.kpi_measure(
            kpi=kpi, measured_on=dt.date(2027, 3, 15), value=Decimal(after), actor=engagement.lead
        )
    engagement = engagement_services.engagement_set_status(
        engagement=engagement, status=EngagementStatus.COMPLETED, actor=engagement.lead
    )
    return publish(CaseFactory.create(engagement=engagement, **fields), variant=variant)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_visitor_narrows_searches_and_reads_a_case_until_it_is_withdrawn(
    live_server: Any, browser: Browser, yokohama: Organization, screenshots: Path
) -> None:
    cases = [_case(yokohama, dict(c), k, dict(f)) for c, k, f in CASES]
    target = cases[0]
    context, page = new_page(browser)

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="成功事例", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("成功事例")
    expect(page.get_by_role("heading", name="4件の事例")).to_be_visible()
    for suffix, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=screenshots / f"cases-library-{suffix}.png", full_page=True)
    page.set_viewport_size(DESKTOP)

    # A facet: IT area 在庫・物流 (2 cases), shown with its count.
    facets = page.get_by_role("complementary")
    facets.get_by_role("link", name="在庫・物流 （2件）").click()
    expect(page.get_by_role("heading", name="2件の事例")).to_be_visible()
    # A 2-character word narrows further, the facet kept; the hit is highlighted in the title.
    page.get_by_label("キーワード").fill("在庫")
    page.get_by_role("button", name="検索").click()
    expect(page.get_by_role("heading", name="2件の事例")).to_be_visible()
    assert "it_area=inventory" in page.url
    expect(page.locator(".case-card h3 mark").first).to_have_text("在庫")
    page.get_by_label("キーワード").fill("在庫　ＦＡＸ")
    page.get_by_role("button", name="検索").click()
    expect(page.get_by_role("heading", name="1件の事例")).to_be_visible()

    page.get_by_role("link", name=target.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(target.title)
    table = page.get_by_role("table", name="KPIの支援前と支援後")
    expect(table.get_by_role("rowheader", name="在庫の回転日数")).to_be_visible()
    row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="在庫の回転日数"))
    expect(row).to_contain_text("48日")
    expect(row).to_contain_text("30日")
    expect(row).to_contain_text("2027年（令和9年）3月15日")
    # Anonymized: the company's name is nowhere on the page.
    assert "みなと精機" not in page.content()
    for suffix, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=screenshots / f"cases-case-{suffix}.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    case_url = page.url

    # More hits than the search's limit (1 here, 200 in use): the newest are listed, and the page says so.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(library, "SEARCH_LIMIT", 1)
        page.goto(f"{live_server.url}/cases/?q=在庫")
        expect(page.get_by_role("heading", name="1件を超える事例")).to_be_visible()
        expect(page.get_by_role("status")).to_contain_text("新しく載った1件を並べています")
        expect(page.locator(".case-card")).to_have_count(1)
        for suffix, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.screenshot(path=screenshots / f"cases-library-capped-{suffix}.png", full_page=True)
        page.set_viewport_size(DESKTOP)

    # The company withdraws its consent: gone from the list, the page, the feed and the search at once.
    case_withdraw(case=target, actor=target.company.member_accounts.get().user)
    page.goto(f"{live_server.url}/cases/")
    expect(page.get_by_role("heading", name="3件の事例")).to_be_visible()
    expect(page.get_by_role("link", name=target.title)).to_have_count(0)
    assert page.goto(case_url).status == 404  # type: ignore[union-attr]
    feed = page.request.get(f"{live_server.url}/cases/feed/").text()
    assert target.title not in feed and cases[1].title in feed
    page.goto(f"{live_server.url}/cases/?q=fax")
    expect(page.get_by_role("heading", name="0件の事例")).to_be_visible()
    page.screenshot(path=screenshots / "cases-after-withdrawal.png", full_page=True)
    context.close()
