"""Recommendations: the rules of the model (reasons, own company left out, scores in range) without
the database, then through the pages: only public cases are recommended, an anonymized case never
shows its company, a withdrawn case leaves at once, and the pages' query counts stay constant."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ouentai.accounts.models import Organization, User
from ouentai.cases.choices import CaseVariant, Challenge, ItArea
from ouentai.cases.links import case_public_url
from ouentai.cases.models import Case
from ouentai.cases.selectors.recommend import (
    case_model,
    case_recommendations_for_company,
    company_profile,
    dispatch_candidate_notes,
    expert_recommendations_for_company,
)
from ouentai.cases.services.workflow import case_submit, case_withdraw
from ouentai.cases.similarity import MIN_SCORE, STRUCTURE_POINTS, CaseItem, CaseModel, Profile
from ouentai.community.models import Company
from ouentai.network import selectors as network_selectors
from tests.cases.factories import CaseFactory, completed_engagement, publish, reviewer_of
from tests.community.factories import CompanyFactory
from tests.engagements.factories import EngagementFactory
from tests.network.factories import DispatchFactory, ExpertFactory

# --- the model, without the database ----------------------------------------------------------------

ORDERS_TEXT = (
    "受注の電話とFAXを紙で管理していて、在庫の確認に時間がかかる。クラウドの販売管理で受注と在庫をつないだ。"
)
ACCOUNTING_TEXT = "経理が請求書を手で入力していた。会計ソフトとインボイス対応の請求書発行に切り替えた。"
HR_TEXT = "タイムカードの集計に毎月三日かかっていた。勤怠管理をクラウドにしてシフトも共有した。"


def item(pk: int, **fields: Any) -> CaseItem:
    values: dict[str, Any] = {
        "pk": pk,
        "key": uuid.uuid4(),
        "organization_id": 1,
        "company_id": 100 + pk,
        "named": False,
        "company_name": "",
        "title": f"事例{pk}",
        "summary": "",
        "industry": "E",
        "size_band": "6-20",
        "prefecture": "神奈川県",
        "city": "",
        "challenge_kind": Challenge.PRODUCTIVITY,
        "it_area": ItArea.ORDERS,
    }
    values.update(fields)
    return CaseItem(**values)


@pytest.fixture(scope="module")
def model() -> CaseModel:
    return CaseModel.fit(
        [
            (item(1), ORDERS_TEXT),
            (
                item(2, industry="I", it_area=ItArea.ACCOUNTING, challenge_kind=Challenge.COST),
                ACCOUNTING_TEXT,
            ),
            (
                item(
                    3, industry="P", it_area=ItArea.HR, challenge_kind=Challenge.LABOUR, prefecture="東京都"
                ),
                HR_TEXT,
            ),
        ]
    )


def test_the_closest_case_comes_first_with_its_reasons_in_words(model):
    profile = Profile(
        text="ふぁっくすで受けた注文を手入力していて、在庫がすぐ分からない。FAXの受注をなくしたい。",
        industry="E",
        size_band="6-20",
        prefecture="神奈川県",
    )
    found = model.rank(profile, limit=5)
    assert found[0].item.pk == 1
    reasons = found[0].reasons
    assert reasons[0].startswith("共通のキーワード：")
    # Terms are shown as the company typed them (FAX, not fax), the most telling first.
    assert {"FAX", "受注", "在庫"} <= set(found[0].terms)
    assert "同じ業種（製造業）" in reasons
    assert "同じ従業員規模（6〜20人）" in reasons
    assert "同じ地域（神奈川県）" in reasons
    assert "同じITの分野（受発注）" in reasons
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)


def test_a_company_is_never_recommended_its_own_case(model):
    profile = Profile(text=ORDERS_TEXT, company_id=101)
    assert 1 not in [m.item.pk for m in model.rank(profile, limit=5)]


def test_hiragana_grammar_is_not_a_key_term(model):
    found = model.rank(Profile(text="しているところです。していました。"), limit=5)
    assert all(not m.terms for m in found)


def test_an_empty_model_recommends_nothing():
    assert CaseModel.fit([]).rank(Profile(text=ORDERS_TEXT), limit=5) == []


WORDS = [
    "受注",
    "在庫",
    "FAX",
    "会計",
    "請求書",
    "勤怠",
    "シフト",
    "ふぁっくす",
    "です",
    "を",
    "、",
    "。",
    "EC",
    "顧客",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    words=st.lists(st.sampled_from(WORDS), max_size=12),
    industry=st.sampled_from(["", "E", "I", "P"]),
    size_band=st.sampled_from(["", "6-20", "21-50"]),
    own=st.sampled_from([None, 101, 102, 103]),
    limit=st.integers(min_value=1, max_value=5),
)
def test_any_profile_gets_at_most_limit_cases_each_with_a_reason_above_the_floor(
    model, words, industry, size_band, own, limit
):
    profile = Profile(text="".join(words), industry=industry, size_band=size_band, company_id=own)
    found = model.rank(profile, limit=limit)
    assert len(found) <= limit
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    top = sum(STRUCTURE_POINTS.values()) + 1.0001
    for match in found:
        assert match.reasons
        assert MIN_SCORE <= match.score <= top
        assert 0 <= match.text_score <= 1.0001
        assert own is None or match.item.company_id != own


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=8))
def test_a_shared_fact_never_lowers_a_score(model, words):
    text = "".join(words)
    plain = {m.item.pk: m.score for m in model.rank(Profile(text=text), limit=3)}
    same_industry = {m.item.pk: m.score for m in model.rank(Profile(text=text, industry="E"), limit=3)}
    for pk, score in plain.items():
        if pk in same_industry:
            assert same_industry[pk] >= score


# --- through the database and the pages ---------------------------------------------------------------


def company_with_words(organization: Organization, name: str = "株式会社さくら部品") -> Company:
    """A 12-person manufacturer in 横浜 whose engagement describes an order-taking problem."""
    company = CompanyFactory.create(organization=organization, name=name, in_yokohama=True, employees=12)
    EngagementFactory.create(
        organization=organization,
        company=company,
        challenges="FAXで届く注文を手で受注入力していて、在庫の引当てに時間がかかる。",
        strategy="受注と在庫を一つの仕組みで見て、納期回答を早くする。",
    )
    return company


def case_of(organization: Organization, name: str, **fields: Any) -> Case:
    company = CompanyFactory.create(organization=organization, name=name, in_yokohama=True, employees=15)
    return CaseFactory.create(engagement=completed_engagement(company=company), **fields)


ORDERS_CASE = {
    "title": "FAXの受注をクラウドに移して在庫の引当てを即時に",
    "challenge": "FAXで届く注文を紙に書き写して受注入力しており、在庫の確認と引当てに半日かかっていた。",
}


@pytest.mark.django_db
def test_only_public_cases_are_recommended_and_a_withdrawn_case_leaves_at_once(yokohama):
    company = company_with_words(yokohama)
    draft = case_of(yokohama, "株式会社したがき", **ORDERS_CASE)
    to_review = case_of(yokohama, "株式会社しんさ", **ORDERS_CASE)
    assert to_review.author is not None
    in_review = case_submit(case=to_review, actor=to_review.author)
    published = publish(case_of(yokohama, "株式会社こうかい", **ORDERS_CASE))
    withdrawn = publish(case_of(yokohama, "株式会社とりやめ", **ORDERS_CASE))
    case_withdraw(case=withdrawn, actor=reviewer_of(withdrawn), reason="会社の希望")

    keys = [r.case.key for r in case_recommendations_for_company(company)]
    assert keys == [published.public_key]
    assert draft.public_key not in keys and in_review.public_key not in keys

    case_withdraw(case=published, actor=reviewer_of(published), reason="会社の希望")
    assert case_recommendations_for_company(company) == []


@pytest.mark.django_db
def test_the_member_area_lists_public_cases_with_reasons_and_never_an_anonymized_company(client, yokohama):
    company = company_with_words(yokohama)
    anonymous = publish(case_of(yokohama, "株式会社ひみつ製作所", **ORDERS_CASE))
    named = publish(
        case_of(yokohama, "株式会社なまえ工業", **{**ORDERS_CASE, "title": "受注と在庫の見える化"}),
        variant=CaseVariant.NAMED,
    )
    client.force_login(member_of_company(company))
    page = client.get(reverse("my:home")).content.decode()
    assert "同じ課題を解決した事例" in page
    assert case_public_url(anonymous.public_key) in page
    assert case_public_url(named.public_key) in page
    assert "共通のキーワード：" in page
    assert "ひみつ製作所" not in page  # anonymized: industry, size and region only
    assert "神奈川県の" in page
    assert "なまえ工業" in page  # named: the company agreed to be shown
    assert f"/cases/{anonymous.public_key}/" in page


def member_of_company(company: Company) -> User:
    from tests.community.factories import MemberFactory

    return MemberFactory.create(company=company).user


@pytest.mark.django_db
def test_the_member_area_without_public_cases_has_no_section(client, yokohama):
    company = company_with_words(yokohama)
    client.force_login(member_of_company(company))
    assert "同じ課題を解決した事例" not in client.get(reverse("my:home")).content.decode()


def expert_on(case: Case, expert: Any) -> Case:
    """The experts a case lists come from its engagement's reported dispatches (case_sources); here
    the draft gets its expert directly, before it goes through review, consent and publication."""
    case.experts.add(expert)
    return case


@pytest.mark.django_db
def test_the_console_company_page_shows_similar_cases_and_experts_with_reasons_in_constant_queries(
    client, yokohama, staff
):
    company = company_with_words(yokohama)
    expert = ExpertFactory.create(organization=yokohama, name="佐藤 受注")
    other = ExpertFactory.create(organization=yokohama, name="田中 会計")
    anonymous = publish(expert_on(case_of(yokohama, "株式会社ひみつ製作所", **ORDERS_CASE), expert))
    publish(
        expert_on(
            case_of(
                yokohama,
                "株式会社けいり",
                title="請求書の発行を会計ソフトに",
                challenge="経理が請求書を手で作っていた。",
                it_area=ItArea.ACCOUNTING,
            ),
            other,
        )
    )
    client.force_login(staff)
    url = reverse("community:company_detail", args=[company.pk])
    client.get(url)  # the first page of the process fits the model
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    assert "似た事例とおすすめの専門家" in page
    assert anonymous.title in page
    # A case of the staff's own organization links to its console page.
    assert reverse("cases_console:detail", args=[anonymous.pk]) in page
    assert "ひみつ製作所" not in page
    assert "佐藤 受注" in page
    assert "似た課題の事例を1件支援" in page
    assert "派遣の評価はまだありません" in page
    experts = expert_recommendations_for_company(company)
    assert experts[0].expert == expert

    for n in range(4):
        more = publish(expert_on(case_of(yokohama, f"株式会社ついか{n}", **ORDERS_CASE), other))
        assert more.status == "published"
    EngagementFactory.create(organization=yokohama, company=company, challenges="在庫の棚卸が合わない。")
    client.get(url)  # fitted again: the public cases changed
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


@pytest.mark.django_db
def test_profile_reads_what_the_company_wrote(yokohama):
    company = company_with_words(yokohama)
    profile = company_profile(company)
    assert "FAXで届く注文" in profile.text
    assert "納期回答" in profile.text
    assert profile.industry == "E" and profile.size_band == "6-20" and profile.prefecture == "神奈川県"


@pytest.mark.django_db
def test_the_dispatch_matching_ranks_the_expert_who_solved_a_similar_problem(yokohama, staff):
    company = company_with_words(yokohama)
    expert = ExpertFactory.create(organization=yokohama, name="佐藤 受注")
    ExpertFactory.create(organization=yokohama, name="あいだ 一般")
    publish(expert_on(case_of(yokohama, "株式会社ひみつ製作所", **ORDERS_CASE), expert))
    request = DispatchFactory.create(
        organization=yokohama, company=company, actor=staff, purpose="FAXの受注入力をなくしたい"
    )
    notes = dispatch_candidate_notes(request)
    assert set(notes) == {expert.pk}
    points, reasons = notes[expert.pk]
    assert points == 2
    assert reasons[0].startswith("似た課題の事例を1件支援")
    candidates = network_selectors.expert_candidates(request)
    by_name = {c.expert.name: c for c in candidates}
    assert by_name["佐藤 受注"].score == by_name["あいだ 一般"].score + 2
    assert any(r.startswith("似た課題の事例を1件支援") for r in by_name["佐藤 受注"].reasons)


@pytest.mark.django_db
def test_another_organizations_experts_are_never_suggested(yokohama, kawasaki):
    company = company_with_words(yokohama)
    theirs = ExpertFactory.create(organization=kawasaki, name="川崎 専門")
    publish(expert_on(case_of(kawasaki, "株式会社かわさき", **ORDERS_CASE), theirs))
    assert case_recommendations_for_company(company)  # their public case is public to everyone
    assert expert_recommendations_for_company(company) == []


@pytest.mark.django_db
def test_the_model_follows_publication(yokohama):
    company = company_with_words(yokohama)
    assert len(case_model()) == 0
    case = publish(case_of(yokohama, "株式会社こうかい", **ORDERS_CASE))
    assert [i.pk for i in case_model().items] == [case.pk]
    assert case_recommendations_for_company(company)[0].case.pk == case.pk
