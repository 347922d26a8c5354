"""The IT-management self-diagnosis: the organization's questionnaire (from the built-in default on
first use), scoring as a pure function of the data, and stored results."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.models import Organization, User
from ouentai.community.models import Company
from ouentai.community.services import company_record_it_stage
from ouentai.core.audit import audit_record
from ouentai.core.errors import DomainError
from ouentai.engagements import diagnosis_default
from ouentai.engagements.models import (
    DiagnosisChoice,
    DiagnosisQuestion,
    DiagnosisResult,
    Dimension,
    Questionnaire,
    StageRule,
)


def questionnaire_for(organization: Organization) -> Questionnaire:
    """The organization's active questionnaire; the built-in default is copied in on first use, after
    which org admins change it as data (questions, weights, scores, thresholds, texts)."""
    found = (
        Questionnaire.objects.filter(organization=organization, is_active=True)
        .prefetch_related("dimensions__questions__choices", "stage_rules")
        .order_by("-pk")
        .first()
    )
    if found is not None:
        return found
    with transaction.atomic():
        # Two first visitors at once must not both copy the default: the organization row serializes them.
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        if Questionnaire.objects.filter(organization=organization, is_active=True).exists():
            return questionnaire_for(organization)
        questionnaire = Questionnaire.objects.create(
            organization=organization,
            title=diagnosis_default.TITLE,
            introduction=diagnosis_default.INTRODUCTION,
        )
        for d_order, (name, questions) in enumerate(diagnosis_default.DIMENSIONS):
            dimension = Dimension.objects.create(questionnaire=questionnaire, name=name, order=d_order)
            for q_order, (text, weight, answers) in enumerate(questions):
                question = DiagnosisQuestion.objects.create(
                    dimension=dimension, text=text, weight=weight, order=q_order
                )
                DiagnosisChoice.objects.bulk_create(
                    DiagnosisChoice(question=question, label=label, score=Decimal(score), order=score)
                    for score, label in enumerate(answers, start=1)
                )
        StageRule.objects.bulk_create(
            StageRule(
                questionnaire=questionnaire,
                stage=stage,
                min_score=minimum,
                explanation=text,
                next_steps=steps,
            )
            for stage, (minimum, text, steps) in diagnosis_default.STAGES.items()
        )
        audit_record(actor=None, action="engagements.questionnaire.created", target=questionnaire)
    return questionnaire_for(organization)


@dataclass(frozen=True)
class DimensionScore:
    dimension_id: int
    name: str
    score: Decimal
    stage: int


@dataclass(frozen=True)
class DiagnosisScore:
    dimensions: list[DimensionScore]
    score: Decimal
    stage: int


def _stage(score: Decimal, rules: list[StageRule]) -> int:
    """The highest stage whose minimum the score reaches (stage 1 when none does)."""
    reached = [rule.stage for rule in rules if score >= rule.min_score]
    return max(reached) if reached else 1


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def diagnosis_score(questionnaire: Questionnaire, answers: dict[str, int]) -> DiagnosisScore:
    """Score answers ({question id: choice id}; every question must be answered). A dimension's score
    is the weighted mean of its answers' scores; the overall score is the mean of the dimensions'; each
    becomes a stage by the questionnaire's thresholds. Uses the prefetched data only."""
    rules = list(questionnaire.stage_rules.all())
    results = []
    for dimension in questionnaire.dimensions.all():
        total = Decimal(0)
        weights = Decimal(0)
        for question in dimension.questions.all():
            choice_id = answers.get(str(question.pk))
            choice = next((c for c in question.choices.all() if str(c.pk) == str(choice_id)), None)
            if choice is None:
                raise DomainError(
                    _("「%(question)s」に答えてください。") % {"question": question.text},
                    code="diagnosis.unanswered",
                    field=f"q_{question.pk}",
                )
            total += question.weight * choice.score
            weights += question.weight
        if weights == 0:
            continue
        score = _round(total / weights)
        results.append(DimensionScore(dimension.pk, dimension.name, score, _stage(score, rules)))
    if not results:
        raise DomainError(_("この診断にはまだ設問がありません。"), code="diagnosis.empty")
    overall = _round(sum((r.score for r in results), Decimal(0)) / len(results))
    return DiagnosisScore(results, overall, _stage(overall, rules))


def diagnosis_submit(
    *,
    questionnaire: Questionnaire,
    answers: dict[str, int],
    user: User | None = None,
    company: Company | None = None,
) -> DiagnosisResult:
    """Score and keep a diagnosis. ``company`` is the signed-in member's own company (kept with it so
    that staff see results over time, and its stage becomes the company's IT経営力の段階); anonymous
    results are kept without a company."""
    scored = diagnosis_score(questionnaire, answers)
    if company is not None and company.organization_id != questionnaire.organization_id:
        company = None
    with transaction.atomic():
        result = DiagnosisResult.objects.create(
            organization_id=questionnaire.organization_id,
            questionnaire=questionnaire,
            company=company,
            taken_by=user if user is not None and user.is_authenticated else None,
            answers={str(k): int(v) for k, v in answers.items()},
            scores=[
                {"dimension": d.dimension_id, "name": d.name, "score": str(d.score), "stage": d.stage}
                for d in scored.dimensions
            ],
            score=scored.score,
            stage=scored.stage,
        )
        audit_record(
            actor=user, action="engagements.diagnosis.taken", target=result, details={"stage": scored.stage}
        )
        if company is not None:
            # The company's stage is the latest assessment: the console's page, list and filter read it.
            company_record_it_stage(
                company=company, stage=scored.stage, actor=result.taken_by, source=f"diagnosis:{result.pk}"
            )
    return result
