"""The plan document (計画書): numbered versions with who and when, unchanged text refused, the KPI
snapshot, the comparison, the PDF (text and embedded Noto CJK fonts) and the console's permissions."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

from django.test import Client
from django.urls import reverse

from ouentai.accounts.models import User
from ouentai.engagements import documents, services
from ouentai.engagements.choices import PLAN_SECTIONS, KpiDirection
from ouentai.engagements.models import Engagement, PlanVersion
from tests.engagements.factories import KpiFactory
from tests.pdf import pdf_fonts, pdf_text


def plan_data(**sections: str) -> dict[str, str]:
    data = {"title": "株式会社みなと精機 IT経営計画書", "change_note": ""}
    data.update({key: "" for key, _label in PLAN_SECTIONS})
    data.update(sections)
    return data


FIRST = {
    "current_state": "受注票は紙で、事務所の二人が手で転記している。",
    "challenges": "納期の回答に半日かかる。",
    "it_strategy": "受注から出荷までを一つの仕組みでつなぐ。",
    "schedule": "10月 現状分析\n11月 要件定義\n12月 製品選定",
}


def _save(client: Client, engagement: Engagement, **sections: str) -> PlanVersion:
    response = client.post(
        reverse("engagements_console:plan_edit", args=[engagement.pk]), plan_data(**sections)
    )
    assert response.status_code == 302, response.content.decode()
    version = engagement.plan_versions.order_by("-number").first()
    assert version is not None
    assert response["Location"] == reverse(
        "engagements_console:plan_version", args=[engagement.pk, version.number]
    )
    return version


def test_first_version_is_prefilled_from_the_engagement(
    client: Client, engagement: Engagement, coordinator: User
) -> None:
    client.force_login(coordinator)
    text = client.get(reverse("engagements_console:plan_edit", args=[engagement.pk])).content.decode()
    assert "受注票が紙で、納期の回答に半日かかる。" in text  # the engagement's challenges
    assert "短納期の小口受注で選ばれる会社になる。" in text  # its strategy
    for _key, label in PLAN_SECTIONS:
        assert str(label) in text
    assert "第1版として保存" in text


def test_versions_are_numbered_with_who_and_when(
    client: Client, engagement: Engagement, coordinator: User, staff: User
) -> None:
    client.force_login(coordinator)
    first = _save(client, engagement, **FIRST)
    page = client.get(reverse("engagements_console:plan_version", args=[engagement.pk, 1]))
    assert "第1版を保存しました。" in page.content.decode()
    client.force_login(staff)
    second = _save(client, engagement, **{**FIRST, "budget": "300万円（IT導入補助金を申請）"})
    third = _save(client, engagement, **{**FIRST, "budget": "280万円"})
    assert [first.number, second.number, third.number] == [1, 2, 3]
    assert [v.created_by for v in (first, second, third)] == [coordinator, staff, staff]
    assert first.created_at <= second.created_at <= third.created_at

    # The edit form starts from the latest version.
    form = client.get(reverse("engagements_console:plan_edit", args=[engagement.pk])).content.decode()
    assert "280万円" in form and "第4版として保存" in form

    text = client.get(reverse("engagements_console:plan_version", args=[engagement.pk, 2])).content.decode()
    assert "300万円（IT導入補助金を申請）" in text
    assert "山田 花子" in text and "鈴木 一郎" in text  # who saved this one, and the list of all versions
    assert "これは古い版です。最新は第3版です。" in text
    assert "?a=1&amp;b=2" in text  # compare with the previous version
    assert reverse("engagements_console:plan_pdf", args=[engagement.pk, 2]) in text
    assert client.get(reverse("engagements_console:plan_version", args=[engagement.pk, 9])).status_code == 404


def test_saving_unchanged_text_is_refused(client: Client, engagement: Engagement, coordinator: User) -> None:
    client.force_login(coordinator)
    _save(client, engagement, **FIRST)
    # The browser sends CRLF from text areas: the same text all the same.
    again = {**FIRST, "schedule": FIRST["schedule"].replace("\n", "\r\n"), "change_note": "そのまま"}
    response = client.post(reverse("engagements_console:plan_edit", args=[engagement.pk]), plan_data(**again))
    assert response.status_code == 400
    text = response.content.decode()
    assert "前の版から変更がありません。" in text
    assert "受注票は紙で、事務所の二人が手で転記している。" in text  # typed text kept
    assert engagement.plan_versions.count() == 1

    empty = client.post(reverse("engagements_console:plan_edit", args=[engagement.pk]), plan_data(title=""))
    assert empty.status_code == 400
    assert engagement.plan_versions.count() == 1


def test_kpi_snapshot_does_not_change_later(
    client: Client, engagement: Engagement, coordinator: User
) -> None:
    kpi = KpiFactory.create(
        engagement=engagement,
        name="受注処理時間",
        unit="分",
        direction=KpiDirection.DECREASE,
        baseline_value=Decimal("240"),
        baseline_on=dt.date(2026, 10, 1),
        target_value=Decimal("30"),
        target_on=dt.date(2027, 3, 31),
        actor=coordinator,
    )
    services.kpi_measure(kpi=kpi, measured_on=dt.date(2026, 12, 1), value=Decimal("120"), actor=coordinator)
    client.force_login(coordinator)
    edit = client.get(reverse("engagements_console:plan_edit", args=[engagement.pk])).content.decode()
    assert "受注処理時間" in edit and "120分" in edit  # the KPIs the version will take in
    version = _save(client, engagement, **FIRST)
    snapshot = list(version.kpis)

    services.kpi_measure(kpi=kpi, measured_on=dt.date(2027, 3, 1), value=Decimal("25"), actor=coordinator)
    version.refresh_from_db()
    assert version.kpis == snapshot
    (row,) = documents.plan_kpi_rows(version)
    assert (row.name, row.baseline, row.target, row.latest, row.reached) == (
        "受注処理時間",
        "240",
        "30",
        "120",
        "未達成",
    )
    text = client.get(reverse("engagements_console:plan_version", args=[engagement.pk, 1])).content.decode()
    assert "120分" in text and "25分" not in text


def test_compare_marks_added_and_removed_lines(
    client: Client, engagement: Engagement, coordinator: User
) -> None:
    client.force_login(coordinator)
    _save(client, engagement, **FIRST)
    _save(client, engagement, **{**FIRST, "budget": "300万円"})
    _save(
        client,
        engagement,
        **{**FIRST, "budget": "300万円", "schedule": "10月 現状分析\n12月 要件定義\n12月 製品選定\n1月 導入"},
    )
    url = reverse("engagements_console:plan_compare", args=[engagement.pk])
    default = client.get(url).content.decode()  # previous against latest
    assert "第2版 → 第3版" in default

    section = default[default.index('id="diff-schedule"') :]
    section = section[: section.index("</section>")]
    assert re.search(r"削除</span><del>11月 要件定義</del>", section)
    assert re.search(r"追加</span><ins>12月 要件定義</ins>", section)
    assert re.search(r"追加</span><ins>1月 導入</ins>", section)
    assert "10月 現状分析" in section and "<del>10月 現状分析" not in section
    # Unchanged sections are folded away.
    assert re.search(r"<details[^>]*>\s*<summary>経営課題", default)
    assert 'id="diff-budget"' not in default

    chosen = client.get(url, {"a": 1, "b": 3}).content.decode()
    assert "第1版 → 第3版" in chosen and 'id="diff-budget"' in chosen
    assert client.get(url, {"a": 2, "b": 2}).status_code == 400
    assert client.get(url, {"a": 1, "b": 7}).status_code == 400


def test_plan_pdf_text_and_embedded_noto_fonts(
    client: Client, engagement: Engagement, coordinator: User, tmp_path: Path
) -> None:
    client.force_login(coordinator)
    KpiFactory.create(engagement=engagement, name="在庫回転日数", unit="日", direction=KpiDirection.DECREASE, baseline_value=Decimal("45"), baseline_on=dt.date(2026, 10, 1), target_value=Decimal("30"), target_on=dt.date(2027, 9, 30), actor=coordinator)  # fmt: skip
    long_text = "\n".join(f"{i}月 在庫の棚卸しと発注点の見直しを行う。" for i in range(1, 13))
    _save(
        client,
        engagement,
        **{**FIRST, "target_processes": long_text * 3, "risks": "担当者の退職\n→ 手順書を整える"},
    )
    response = client.get(reverse("engagements_console:plan_pdf", args=[engagement.pk, 1]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "private" in response["Cache-Control"]
    pdf = response.content
    assert pdf.startswith(b"%PDF")

    text = pdf_text(pdf, tmp_path, "plan.pdf")
    for expected in (
        "計画書",
        "株式会社みなと精機",
        "株式会社みなと精機 IT経営計画書",
        "第1版",
        "令和",
        "現状",
        "経営課題",
        "経営戦略",
        "IT戦略",
        "目指す業務プロセス",
        "調達するシステム",
        "スケジュール",
        "予算",
        "リスクと対策",
        "在庫回転日数",
        "ITコーディネータ横浜",
        "鈴木 一郎",
    ):
        assert expected in text, expected
    # Line breaks kept: each month of the schedule on its own line.
    assert re.search(r"10月 現状分析\s*\n\s*11月 要件定義", text)
    # More than one page, each with the organization's name and "n / N".
    pages = text.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2
    assert all("ITコーディネータ横浜" in p for p in pages)
    assert re.search(rf"\b1\s*/\s*{len(pages)}\b", pages[0])

    # Page 1 renders, and every font in it is Noto CJK and embedded (no tofu, no substitution).
    names = pdf_fonts(pdf, tmp_path, "plan.pdf")
    assert any(name.startswith("NotoSerifCJKJP") for name in names)  # 明朝 for the text
    assert any(name.startswith("NotoSansCJKJP") for name in names)  # ゴシック for the headings


def test_plan_pages_are_scoped_to_the_organization(
    client: Client,
    engagement: Engagement,
    coordinator: User,
    kawasaki_staff: User,
    member: User,
    django_assert_max_num_queries,
) -> None:
    client.force_login(coordinator)
    _save(client, engagement, **FIRST)
    _save(client, engagement, **{**FIRST, "budget": "300万円"})
    urls = [
        reverse("engagements_console:plan_edit", args=[engagement.pk]),
        reverse("engagements_console:plan_version", args=[engagement.pk, 1]),
        reverse("engagements_console:plan_compare", args=[engagement.pk]),
        reverse("engagements_console:plan_pdf", args=[engagement.pk, 1]),
    ]
    for url in urls[:3]:
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200, url
    client.force_login(kawasaki_staff)
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(urls[0], plan_data(**FIRST, budget="別組織")).status_code == 404
    client.force_login(member)
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert engagement.plan_versions.count() == 2


def test_plan_pdf_function_for_the_member_area(engagement: Engagement, coordinator: User) -> None:
    version = services.plan_save(
        engagement=engagement, title="計画書", sections={"current_state": "現状の文"}, actor=coordinator
    )
    assert documents.plan_pdf(version).startswith(b"%PDF")
