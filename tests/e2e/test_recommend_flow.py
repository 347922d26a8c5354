"""Recommendations in a real browser: staff open a company's page and see the published cases most like
what the company wrote and the expert who solved a similar problem, each with its reasons; the
company's member signs in and finds 「同じ課題を解決した事例」 in the member area, linking to the
public case pages, with the anonymized companies unnamed. Screenshots at desktop and phone widths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, expect

from ouentai.accounts.models import Organization, User
from ouentai.cases.links import case_public_url
from tests.cases.factories import CaseFactory, completed_engagement, publish
from tests.community.factories import CompanyFactory, MemberFactory
from tests.e2e.pages import log_in, new_page, screenshot
from tests.engagements.factories import EngagementFactory
from tests.network.factories import ExpertFactory

CASES = Path(settings.BASE_DIR) / "bench" / "data" / "recommend_cases.json"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_company_page_and_member_area_show_similar_cases(
    live_server, browser: Browser, yokohama: Organization, staff: User, screenshots: Path
):
    base = live_server.url
    expert = ExpertFactory.create(organization=yokohama, name="佐藤 誠")
    published = []
    # The labelled set's order-taking, inventory and accounting cases (bench/data).
    for case in json.loads(CASES.read_text(encoding="utf-8"))[:12]:
        company = CompanyFactory.create(
            organization=yokohama,
            name=f"株式会社事例{case['id']}",
            prefecture=case["prefecture"],
            industry=case["industry"],
            employees=int(case["size_band"].split("-")[0]) + 1,
        )
        made = CaseFactory.create(
            engagement=completed_engagement(company=company),
            **{key: case[key] for key in ("title", "summary", "challenge", "solution", "results")},
            challenge_kind=case["challenge_kind"],
            it_area=case["it_area"],
        )
        if case["it_area"] == "orders":
            made.experts.add(expert)  # as its engagement's reported dispatch would have listed him
        published.append(publish(made))
    company = CompanyFactory.create(
        organization=yokohama, name="株式会社さくら部品", in_yokohama=True, employees=15
    )
    EngagementFactory.create(
        organization=yokohama,
        company=company,
        challenges="注文の多くがFAXで届き、事務員が販売管理に手で打ち込んでいる。品番の打ち間違いと残業が続いている。",
    )
    member = MemberFactory.create(company=company, user__email="member@sakura.example.jp").user

    # --- Staff: the company's page. ---
    _context, page = new_page(browser)
    log_in(page, base, staff.email)
    page.goto(f"{base}/console/companies/{company.pk}/")
    panel = page.get_by_role("region", name="似た事例とおすすめの専門家")
    expect(panel).to_be_visible()
    first = panel.get_by_role("listitem").first
    expect(first).to_contain_text("共通のキーワード：")
    expect(first).to_contain_text("FAX")
    expect(panel.get_by_role("link", name="佐藤 誠")).to_be_visible()
    expect(panel).to_contain_text("似た課題の事例を")
    expect(panel).not_to_contain_text("株式会社事例")  # the cases are anonymized
    panel.scroll_into_view_if_needed()
    screenshot(page, screenshots, "recommend-company-page")

    # --- The member: 「同じ課題を解決した事例」. ---
    _member_context, mine = new_page(browser)
    log_in(mine, base, member.email)
    mine.goto(f"{base}/my/")
    section = mine.get_by_role("region", name="同じ課題を解決した事例")
    expect(section).to_be_visible()
    links = section.get_by_role("heading", level=3).get_by_role("link")
    expect(links).to_have_count(5)
    hrefs = [links.nth(n).get_attribute("href") for n in range(5)]
    assert set(hrefs) <= {case_public_url(case.public_key) for case in published}
    expect(section).not_to_contain_text("株式会社事例")
    expect(section).to_contain_text("神奈川県の")
    screenshot(mine, screenshots, "recommend-my")
