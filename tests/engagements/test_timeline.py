"""Engagements, their phase changes, plan versions and diagnoses show on the company's timeline."""

from __future__ import annotations

import pytest

from ouentai.community.selectors import company_timeline
from ouentai.engagements import services

pytestmark = pytest.mark.django_db


def test_company_timeline_shows_engagement_history(company, engagement, coordinator):
    services.engagement_set_phase(
        engagement=engagement, phase="implementation", actor=coordinator, note="途中から導入"
    )
    services.plan_save(
        engagement=engagement,
        title="IT活用計画書",
        sections={"current_state": "紙の受注票"},
        actor=coordinator,
    )
    questionnaire = services.questionnaire_for(company.organization)
    answers = {
        str(question.pk): question.choices.all()[3].pk
        for dimension in questionnaire.dimensions.all()
        for question in dimension.questions.all()
    }
    services.diagnosis_submit(questionnaire=questionnaire, answers=answers, company=company)
    entries = company_timeline(company)
    titles = [e.title for e in entries]
    assert "支援案件「受注から出荷までの見える化」を開始（経営戦略）" in titles
    assert "支援案件「受注から出荷までの見える化」のフェーズをIT導入へ" in titles
    assert "計画書「IT活用計画書」第1版を保存" in titles
    assert "IT経営力診断: 段階4 共同体最適化" in titles
    assert next(e for e in entries if e.kind == "engagement" and "IT導入" in e.title).actor == str(
        coordinator
    )
