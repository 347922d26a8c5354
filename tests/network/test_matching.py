"""Matching on a fixed set of experts: the expected ranking and the reasons given for each."""

from __future__ import annotations

import datetime as dt

import pytest

from ouentai.network import selectors
from ouentai.network.models import DispatchRequest, Expert
from tests.network.factories import DispatchFactory, ExpertFactory, QualificationData

pytestmark = pytest.mark.django_db


@pytest.fixture
def experts(yokohama, skills, expert_user):
    """Five experts besides nobody else: 専門 花子 (the expert_user fixture: IT skills ×2, 神奈川, ITC
    valid) and four more with a known profile each."""
    hanako = Expert.objects.get(user=expert_user)
    taro = ExpertFactory.create(
        organization=yokohama,
        name="会計 太郎",
        name_kana="カイケイ タロウ",
        area_codes="14",
        skills=[skills["finance"]],
    )
    jiro = ExpertFactory.create(
        organization=yokohama,
        name="東京 次郎",
        name_kana="トウキョウ ジロウ",
        area_codes="13",
        skills=[skills["erp"], skills["security"]],
        # An ITコーディネータ whose qualification has expired:
        qualifications=[QualificationData(kind="itc", number="ITC-2", expires_on=dt.date(2025, 3, 31))],
    )
    saburo = ExpertFactory.create(
        organization=yokohama,
        name="多忙 三郎",
        name_kana="タボウ サブロウ",
        area_codes="14100",
        max_active=1,
        skills=[skills["erp"]],
    )
    shiro = ExpertFactory.create(
        organization=yokohama,
        name="休止 四郎",
        name_kana="キュウシ シロウ",
        is_available=False,
        skills=[skills["erp"], skills["security"]],
    )
    return {"hanako": hanako, "taro": taro, "jiro": jiro, "saburo": saburo, "shiro": shiro}


def test_ranking_and_reasons_for_an_it_request(yokohama, sme, scheme, staff, experts):
    # 多忙 三郎 already has an active dispatch: his one slot is taken.
    DispatchFactory.create(
        organization=yokohama,
        company=sme,
        scheme=scheme,
        theme="finance",
        requested_visits=1,
        actor=staff,
        expert=experts["saburo"],
        submit=True,
    )
    request = DispatchFactory.create(
        organization=yokohama,
        company=sme,
        scheme=scheme,
        theme="it",
        requested_visits=2,
        first_preferred_on=dt.date(2026, 12, 10),
        actor=staff,
    )
    ranked = selectors.expert_candidates(request, today=dt.date(2026, 11, 27))
    names = [c.expert.name for c in ranked]
    scores = {c.expert.name: c.score for c in ranked}
    # 花子: 2 IT skills (6) + area 14 (3) + ITC valid (2) + 3 free slots (3) = 14
    # 次郎: 2 IT skills (6) + outside area (0) + ITC expired (0) + 3 free (3) = 9
    # 太郎: no IT skill (0) + area (3) + 3 free (3) = 6
    # 四郎 (not available: 6 + no area listed 1 = 7) and 三郎 (full: 3 + area 3 = 6) come last, by score.
    assert names == ["専門 花子", "東京 次郎", "会計 太郎", "休止 四郎", "多忙 三郎"]
    assert scores["専門 花子"] == 14 and scores["東京 次郎"] == 9 and scores["会計 太郎"] == 6
    reasons = {c.expert.name: c.reasons for c in ranked}
    assert (
        "「IT活用・デジタル化」のスキル: 情報セキュリティ対策、販売・在庫管理システム" in reasons["専門 花子"]
    )
    assert "ITコーディネータ（有効）" in reasons["専門 花子"]
    assert "企業の所在地は対応地域の外" in reasons["東京 次郎"]
    assert "ITコーディネータ（有効）" not in reasons["東京 次郎"]
    assert "「IT活用・デジタル化」のスキルの登録なし" in reasons["会計 太郎"]
    assert "担当件数が上限（1件）" in reasons["多忙 三郎"]
    assert "希望日に受付停止中" in reasons["休止 四郎"]
    assert [c.available for c in ranked] == [True, True, True, False, False]


def test_ranking_for_a_finance_request_puts_the_accountant_first(yokohama, sme, scheme, staff, experts):
    request = DispatchFactory.create(
        organization=yokohama, company=sme, scheme=scheme, theme="finance", requested_visits=1, actor=staff
    )
    ranked = selectors.expert_candidates(request)
    assert ranked[0].expert.name == "会計 太郎"


def test_matching_uses_a_fixed_number_of_queries(
    yokohama, sme, scheme, staff, experts, django_assert_max_num_queries
):
    request = DispatchRequest.objects.select_related("company").get(
        pk=DispatchFactory.create(
            organization=yokohama, company=sme, scheme=scheme, theme="it", requested_visits=1, actor=staff
        ).pk
    )
    selectors.expert_candidates(request)  # the first call of a process fits the case recommender
    # Two of its own; the case library's candidate source (cases.selectors.recommend) up to six.
    with django_assert_max_num_queries(8):
        selectors.expert_candidates(request)
