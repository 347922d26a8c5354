"""Support engagements in a real browser: a visitor takes the IT-management self-diagnosis and sees their
stage; staff open an engagement for a member company, move it through the phases in any order, write
the first version of the plan (計画書) and download its PDF; the company's member signs in, finds the
engagement and the plan in the member area and downloads the same PDF, and is refused the console."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from ouentai.accounts.models import Organization, User
from ouentai.community.models import Company
from ouentai.engagements import services
from ouentai.engagements.choices import Phase, Stage
from ouentai.engagements.models import DiagnosisResult, Engagement, PhaseChange, PlanVersion
from tests.e2e.pages import field, log_in, new_page, pdf_text, screenshot
from tests.engagements import conftest as engagement_fixtures

# The 横浜 company with its contact 港 一郎, and his member account (member@example.jp).
company = engagement_fixtures.company
member = engagement_fixtures.member

ANSWER = 3  # the visitor picks the third answer of every question
TITLE = "受発注と在庫の見える化"
CURRENT_STATE = "受注は電話とファクスで受け、担当者が表計算に書き写している。"
CHALLENGES = "納期の回答に半日かかり、短納期の小口受注を逃している。"
IT_STRATEGY = "受注から出荷までを一つの販売管理システムでつなぎ、在庫をその場で引き当てる。"


def pdf_text_of(content: bytes, path: Path) -> str:
    """Save a PDF and extract its text (pages.pdf_text)."""
    path.write_bytes(content)
    return pdf_text(path)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_diagnosis_engagement_plan_and_member_download(
    live_server,
    browser: Browser,
    yokohama: Organization,
    staff: User,
    company: Company,
    member: User,
    screenshots: Path,
    tmp_path: Path,
):
    base = live_server.url

    # --- The stage the answers must give, computed from the questionnaire's data (not hard-coded). ---
    questionnaire = services.questionnaire_for(yokohama)
    picked = {}  # question → the label of the answer picked
    answers = {}
    for dimension in questionnaire.dimensions.all():
        for question in dimension.questions.all():
            choice = sorted(question.choices.all(), key=lambda c: (c.order, c.pk))[ANSWER - 1]
            picked[question.text] = choice.label
            answers[str(question.pk)] = choice.pk
    assert len(picked) == 12
    expected = services.diagnosis_score(questionnaire, answers)
    expected_label = f"段階{expected.stage} {Stage(expected.stage).label}"
    assert expected.stage == 3  # the default questionnaire: third answers everywhere → 組織全体最適化

    # --- A visitor (not signed in) takes the diagnosis. ---
    visitor, page = new_page(browser)
    page.goto(f"{base}/diagnosis/")
    expect(page.get_by_role("heading", name=questionnaire.title, level=1)).to_be_visible()
    for asked, label in picked.items():
        page.get_by_role("group", name=asked).get_by_role("radio", name=label, exact=True).check()
    page.get_by_role("button", name="診断する", exact=True).click()

    page.wait_for_url(re.compile(r"/diagnosis/result/[0-9a-f-]{36}/$"))
    result = DiagnosisResult.objects.get()
    assert page.url == f"{base}/diagnosis/result/{result.token}/"
    assert (result.stage, result.score, result.company_id) == (expected.stage, expected.score, None)
    expect(page.get_by_role("heading", name="IT経営力診断の結果", level=1)).to_be_visible()
    overall = page.get_by_role("region", name="総合の段階")
    expect(overall.locator(".dg-overall-stage")).to_have_text(expected_label)
    expect(page.get_by_role("img", name="観点ごとの点数と段階のグラフ")).to_be_visible()
    table = page.get_by_role("table", name="観点ごとの点数と段階（グラフと同じ数値）")
    for score in expected.dimensions:
        row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=score.name, exact=True))
        expect(row.get_by_role("cell")).to_have_text(
            [str(score.score), f"段階{score.stage} {Stage(score.stage).label}"]
        )
    total = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="総合", exact=True))
    expect(total.get_by_role("cell")).to_have_text([str(expected.score), expected_label])
    expect(page.get_by_role("link", name="プログラムに参加を申し込む")).to_be_visible()
    screenshot(page, screenshots, "engagement-diagnosis-result")
    visitor.close()

    # --- Staff open an engagement from the company's page. ---
    console, page = new_page(browser)
    log_in(page, base, staff.email)
    page.wait_for_url(re.compile(r"/console/"))
    page.get_by_role("navigation", name="コンソールメニュー").get_by_role(
        "link", name="企業", exact=True
    ).click()
    page.get_by_role("link", name=company.name, exact=True).click()
    page.wait_for_url(f"{base}/console/companies/{company.pk}/")
    expect(page.get_by_role("heading", name=company.name, level=1)).to_be_visible()
    page.get_by_role("link", name="支援案件を作成", exact=True).click()

    expect(page.get_by_role("heading", name="新しい支援案件", level=1)).to_be_visible()
    expect(field(page, "企業").locator("option:checked")).to_have_text(company.name)  # preselected
    field(page, "案件名").fill(TITLE)
    field(page, "主担当").select_option(label=staff.name)
    field(page, "開始日").fill("2026-10-01")
    field(page, "目標日").fill("2027-03-31")
    expect(field(page, "開始するフェーズ").locator("option:checked")).to_have_text("経営戦略")
    field(page, "経営課題（企業の言葉で）").fill("受注票が紙で、納期の回答に時間がかかる。")
    page.get_by_role("button", name="保存", exact=True).click()

    page.wait_for_url(re.compile(r"/console/engagements/\d+/$"))
    engagement = Engagement.objects.get()
    assert page.url == f"{base}/console/engagements/{engagement.pk}/"
    assert (engagement.company_id, engagement.lead_id, engagement.phase) == (
        company.pk,
        staff.pk,
        Phase.STRATEGY,
    )
    assert (engagement.started_on, engagement.target_on) == (dt.date(2026, 10, 1), dt.date(2027, 3, 31))
    expect(page.get_by_text(f"支援案件「{TITLE}」を保存しました。")).to_be_visible()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()

    # --- The phases in any order: forward, skipping one, then back. ---
    phase_form = page.locator("form#phase")
    for phase in ("IT戦略策定", "IT導入", "IT資源調達"):
        field(page, "移動先のフェーズ").select_option(label=phase)
        page.get_by_role("button", name="このフェーズに移す", exact=True).click()
        expect(page.get_by_text(f"フェーズを「{phase}」にしました。")).to_be_visible()
        expect(phase_form.locator("strong")).to_have_text(phase)
    current = page.locator('.eng-stepper [aria-current="step"]')
    expect(current).to_contain_text("IT資源調達")
    history = page.get_by_role("region", name="フェーズの履歴").get_by_role("listitem")
    expect(history).to_have_count(4)
    # Newest first, each with who changed it.
    transitions = ["IT導入 → IT資源調達", "IT戦略策定 → IT導入", "経営戦略 → IT戦略策定", "経営戦略から開始"]
    for item, transition in zip(history.all(), transitions, strict=True):
        expect(item).to_contain_text(transition)
        expect(item).to_contain_text(staff.name)
    changes = list(PhaseChange.objects.filter(engagement=engagement).order_by("changed_at", "pk"))
    assert [(c.from_phase, c.to_phase, c.actor_id) for c in changes] == [
        ("", Phase.STRATEGY, staff.pk),
        (Phase.STRATEGY, Phase.IT_STRATEGY, staff.pk),
        (Phase.IT_STRATEGY, Phase.IMPLEMENTATION, staff.pk),
        (Phase.IMPLEMENTATION, Phase.PROCUREMENT, staff.pk),
    ]
    screenshot(page, screenshots, "engagement-detail")

    # --- The first version of the plan. ---
    page.get_by_role("link", name="計画書を作成する", exact=True).click()
    page.wait_for_url(f"{base}/console/engagements/{engagement.pk}/plan/")
    expect(page.get_by_role("heading", name=re.compile("^計画書を書く"), level=1)).to_be_visible()
    expect(field(page, "計画書の表題")).to_have_value(f"{company.name} IT経営計画書")
    field(page, "現状").fill(CURRENT_STATE)
    field(page, "経営課題").fill(CHALLENGES)
    field(page, "IT戦略").fill(IT_STRATEGY)
    field(page, "この版の変更点").fill("初版")
    page.get_by_role("button", name="第1版として保存", exact=True).click()

    page.wait_for_url(f"{base}/console/engagements/{engagement.pk}/plan/1/")
    expect(page.get_by_text("第1版を保存しました。")).to_be_visible()
    version = PlanVersion.objects.get(engagement=engagement)
    assert (version.number, version.created_by_id) == (1, staff.pk)
    assert version.sections["it_strategy"] == IT_STRATEGY
    plan = page.get_by_role("article", name="計画書の内容")
    expect(plan.get_by_role("region", name="IT戦略")).to_contain_text(IT_STRATEGY)
    expect(plan.get_by_role("region", name="現状")).to_contain_text(CURRENT_STATE)
    screenshot(page, screenshots, "engagement-plan-version")

    with page.expect_download() as downloaded:
        page.get_by_role("link", name="第1版のPDFをダウンロード", exact=True).click()
    assert downloaded.value.suggested_filename == f"plan-{engagement.pk}-v1.pdf"
    staff_pdf = tmp_path / "staff-download.pdf"
    downloaded.value.save_as(staff_pdf)
    text = pdf_text_of(staff_pdf.read_bytes(), tmp_path / "staff.pdf")
    assert "計画書" in text
    assert company.name in text
    assert "販売管理システム" in text  # a section written above (a short phrase: lines may wrap)
    console.close()

    # --- The member signs in, finds the engagement and the plan, and downloads it too. ---
    member_context, page = new_page(browser)
    log_in(page, base, member.email)
    page.wait_for_url(f"{base}/my/")
    expect(page.get_by_role("heading", name=re.compile("^会員ページ"), level=1)).to_be_visible()
    engagements = page.get_by_role("region", name="支援案件")
    expect(engagements.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    expect(engagements).to_contain_text("現在のフェーズ：IT資源調達")
    expect(engagements).to_contain_text("最新：第1版")
    screenshot(page, screenshots, "engagement-member-home")

    with page.expect_download() as member_download:
        engagements.get_by_role("link", name="第1版のPDFをダウンロード", exact=True).click()
    download = member_download.value
    assert download.suggested_filename == f"plan-{engagement.pk}-v1.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = pdf_text_of(saved.read_bytes(), saved)
    assert "計画書" in text
    assert company.name in text
    assert "販売管理システム" in text  # a section written above (a short phrase: lines may wrap)

    # The engagement's own page lists the version too (the same file behind its link).
    engagements.get_by_role("link", name=TITLE, exact=True).click()
    page.wait_for_url(f"{base}/my/engagements/{engagement.pk}/")
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    plans = page.get_by_role("region", name="計画書")
    first = plans.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile("^第1版")))
    expect(first).to_contain_text(f"{company.name} IT経営計画書")
    expect(first.get_by_role("link", name="第1版をダウンロード", exact=True)).to_have_attribute(
        "href", f"/my/engagements/{engagement.pk}/plan/1/pdf/"
    )

    # The member area is theirs; the console is not.
    response = page.goto(f"{base}/console/")
    assert response is not None and response.status == 403
    member_context.close()
