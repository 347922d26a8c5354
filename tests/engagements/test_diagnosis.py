"""The IT-management self-diagnosis: scoring against a table of answer sets and expected stages, weights
and thresholds as data, the public form end to end, results kept with a member's company, and the
console's results over time."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ouentai.accounts.models import Organization, User
from ouentai.community.models import Company
from ouentai.engagements import services
from ouentai.engagements.models import (
    DiagnosisQuestion,
    DiagnosisResult,
    Engagement,
    Questionnaire,
    StageRule,
)
from tests.community.factories import CompanyFactory

# The built-in questionnaire: four dimensions of three questions; the first question of dimensions 1, 2
# and 4 weighs 1.5; thresholds 段階2 ≥ 1.75, 段階3 ≥ 2.5, 段階4 ≥ 3.25.


def _questions(questionnaire: Questionnaire) -> list[DiagnosisQuestion]:
    return [q for d in questionnaire.dimensions.all() for q in d.questions.all()]


def answers_for(questionnaire: Questionnaire, scores: list[int]) -> dict[str, int]:
    """{question id: id of the choice with that score}, scores in question order."""
    questions = _questions(questionnaire)
    assert len(questions) == len(scores)
    return {
        str(q.pk): next(c.pk for c in q.choices.all() if c.score == score)
        for q, score in zip(questions, scores, strict=True)
    }


def post_data(questionnaire: Questionnaire, scores: list[int]) -> dict[str, str]:
    return {f"q_{qid}": str(cid) for qid, cid in answers_for(questionnaire, scores).items()}


MIXED = [4, 2, 1, 1, 3, 3, 2, 2, 2, 1, 4, 4]

TABLE = [
    # name, answer scores in question order, expected (dimension scores), dimension stages, overall, stage
    ("all lowest", [1] * 12, ["1.00"] * 4, [1, 1, 1, 1], "1.00", 1),
    ("all highest", [4] * 12, ["4.00"] * 4, [4, 4, 4, 4], "4.00", 4),
    ("all score 2", [2] * 12, ["2.00"] * 4, [2, 2, 2, 2], "2.00", 2),
    ("all score 3", [3] * 12, ["3.00"] * 4, [3, 3, 3, 3], "3.00", 3),
    # Dimension 1 answers 4, 2, 1: weighted (1.5×4 + 2 + 1) / 3.5 = 2.57 → 段階3, where a plain mean
    # (2.33) would say 段階2. Overall: (2.57 + 2.14 + 2.00 + 2.71) / 4 = 2.355 → 2.36 → 段階2.
    ("mixed, weights matter", MIXED, ["2.57", "2.14", "2.00", "2.71"], [3, 2, 2, 3], "2.36", 2),
]


@pytest.mark.parametrize(
    ("scores", "dimension_scores", "dimension_stages", "overall", "stage"),
    [row[1:] for row in TABLE],
    ids=[row[0] for row in TABLE],
)
def test_scoring_table(
    yokohama: Organization,
    scores: list[int],
    dimension_scores: list[str],
    dimension_stages: list[int],
    overall: str,
    stage: int,
) -> None:
    questionnaire = services.questionnaire_for(yokohama)
    scored = services.diagnosis_score(questionnaire, answers_for(questionnaire, scores))
    assert [d.score for d in scored.dimensions] == [Decimal(s) for s in dimension_scores]
    assert [d.stage for d in scored.dimensions] == dimension_stages
    assert scored.score == Decimal(overall)
    assert scored.stage == stage


def test_thresholds_are_data(yokohama: Organization) -> None:
    questionnaire = services.questionnaire_for(yokohama)
    answers = answers_for(questionnaire, MIXED)
    assert services.diagnosis_score(questionnaire, answers).dimensions[0].stage == 3
    StageRule.objects.filter(questionnaire=questionnaire, stage=3).update(min_score=Decimal("2.6"))
    changed = services.diagnosis_score(services.questionnaire_for(yokohama), answers)
    assert changed.dimensions[0].score == Decimal("2.57")
    assert changed.dimensions[0].stage == 2  # 2.57 no longer reaches 段階3


def test_weights_are_data(yokohama: Organization) -> None:
    questionnaire = services.questionnaire_for(yokohama)
    answers = answers_for(questionnaire, MIXED)
    first = _questions(questionnaire)[0]
    DiagnosisQuestion.objects.filter(pk=first.pk).update(weight=Decimal("1"))
    changed = services.diagnosis_score(services.questionnaire_for(yokohama), answers)
    assert changed.dimensions[0].score == Decimal("2.33")  # (4 + 2 + 1) / 3
    assert changed.dimensions[0].stage == 2


def test_questionnaire_created_once(yokohama: Organization, kawasaki: Organization) -> None:
    first = services.questionnaire_for(yokohama)
    assert services.questionnaire_for(yokohama).pk == first.pk
    assert services.questionnaire_for(kawasaki).pk != first.pk
    assert len(_questions(first)) == 12


# --- the public pages -------------------------------------------------------------------------------


def test_public_form_end_to_end(
    client: Client, yokohama: Organization, django_assert_max_num_queries
) -> None:
    questionnaire = services.questionnaire_for(yokohama)
    url = reverse("diagnosis:form")
    with django_assert_max_num_queries(8):
        page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "12問中" in text
    assert "経営とITの結び付き" in text and "<legend" in text
    assert text.count('type="radio"') == 48

    response = client.post(url, post_data(questionnaire, [3] * 12))
    assert response.status_code == 302
    result = DiagnosisResult.objects.get()
    assert response["Location"] == reverse("diagnosis:result", args=[result.token])
    assert result.company is None and result.taken_by is None
    assert result.stage == 3

    shown = client.get(response["Location"])
    body = shown.content.decode()
    assert shown.status_code == 200
    assert "段階3 組織全体最適化" in body
    assert 'role="img"' in body and "<title" in body and "<desc" in body
    assert "<table" in body and "3.00" in body
    assert "経営の目標に沿って、会社全体でITを活用できている段階です。" in body  # StageRule.explanation
    assert reverse("portal:apply") in body and reverse("events:list") in body
    assert "noindex" in body and shown["X-Robots-Tag"].startswith("noindex")
    assert "private" in shown["Cache-Control"]


def test_unanswered_question_keeps_the_other_answers(client: Client, yokohama: Organization) -> None:
    questionnaire = services.questionnaire_for(yokohama)
    data = post_data(questionnaire, MIXED)
    missing = _questions(questionnaire)[4]
    kept_name, kept_value = next((k, v) for k, v in data.items() if k != f"q_{missing.pk}")
    del data[f"q_{missing.pk}"]
    response = client.post(reverse("diagnosis:form"), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert f"{missing.text}：この質問に答えてください。" in text  # the list of errors at the top
    assert (
        f'<p class="error" id="id_q_{missing.pk}_error">この質問に答えてください。</p>' in text
    )  # beside it
    assert re.search(rf'name="{kept_name}" value="{kept_value}"[^>]*checked', text)
    assert not DiagnosisResult.objects.exists()


def test_rate_limited_post_keeps_answers(client: Client, yokohama: Organization, settings) -> None:
    settings.OUENTAI_PUBLIC_FORM_RATE = "1/m"
    questionnaire = services.questionnaire_for(yokohama)
    data = post_data(questionnaire, [2] * 12)
    assert client.post(reverse("diagnosis:form"), data).status_code == 302
    second = client.post(reverse("diagnosis:form"), data)
    assert second.status_code == 429
    name, value = next(iter(data.items()))
    assert re.search(rf'name="{name}" value="{value}"[^>]*checked', second.content.decode())
    assert DiagnosisResult.objects.count() == 1


def test_member_result_is_kept_with_their_company(
    client: Client, yokohama: Organization, member: User, company: Company
) -> None:
    questionnaire = services.questionnaire_for(yokohama)
    client.force_login(member)
    response = client.post(reverse("diagnosis:form"), post_data(questionnaire, [4] * 12))
    assert response.status_code == 302
    result = DiagnosisResult.objects.get()
    assert result.company == company and result.taken_by == member and result.stage == 4
    assert "株式会社みなと精機" in client.get(response["Location"]).content.decode()


def test_unknown_result_token_is_404(client: Client, yokohama: Organization) -> None:
    url = reverse("diagnosis:result", args=["00000000-0000-4000-8000-000000000000"])
    assert client.get(url).status_code == 404


# --- the console: results over time ------------------------------------------------------------------


def _take(questionnaire: Questionnaire, company: Company, scores: list[int], on: dt.date) -> DiagnosisResult:
    result = services.diagnosis_submit(
        questionnaire=questionnaire, answers=answers_for(questionnaire, scores), company=company
    )
    when = timezone.make_aware(dt.datetime.combine(on, dt.time(10)))
    DiagnosisResult.objects.filter(pk=result.pk).update(created_at=when)
    return result


def test_results_over_time(
    client: Client,
    yokohama: Organization,
    company: Company,
    engagement: Engagement,
    staff: User,
    coordinator: User,
    kawasaki_staff: User,
    member: User,
    django_assert_max_num_queries,
) -> None:
    questionnaire = services.questionnaire_for(yokohama)
    _take(questionnaire, company, [4] * 12, dt.date(2027, 3, 20))  # after the engagement (2026-10-01)
    _take(questionnaire, company, [1] * 12, dt.date(2026, 9, 15))  # before
    url = reverse("engagements_console:company_diagnosis", args=[company.pk])

    client.force_login(coordinator)
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    table = text[text.index('class="table compact dg-history"') :]
    before = table.index("2026年（令和8年）9月15日")
    start = table.index("2026年（令和8年）10月1日")
    after = table.index("2027年（令和9年）3月20日")
    assert before < start < after  # oldest first, the engagement's start between the two
    assert "段階1 IT不良資産化" in text and "段階4 共同体最適化" in text
    assert "支援開始" in text and engagement.title in text
    assert 'role="img"' in text and "<polyline" in text

    client.force_login(staff)
    assert client.get(url).status_code == 200
    other = CompanyFactory.create(organization=yokohama, name="株式会社まだ")
    empty = client.get(reverse("engagements_console:company_diagnosis", args=[other.pk]))
    assert empty.status_code == 200 and "この企業の診断結果はまだありません。" in empty.content.decode()
    client.force_login(kawasaki_staff)
    assert client.get(url).status_code == 404
    client.force_login(member)
    assert client.get(url).status_code == 403
