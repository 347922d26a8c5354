"""Answers to an event's questions (at registration and in the survey), checked the same way."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from ouentai.core.errors import DomainError
from ouentai.core.rating import rating_value
from ouentai.events.choices import QuestionKind
from ouentai.events.models import Question


def answers_clean(questions: Iterable[Question], answers: dict[str, Any], *, code: str) -> dict[str, Any]:
    """Keep only answers to ``questions`` (keyed by question id); refuse a missing required answer, an
    option that is not offered or a rating outside the 1–5 scale (ouentai.core.rating) (DomainError ``<code>.answer_required`` /
    ``<code>.answer_invalid`` beside the question's field ``q_<id>``). Ratings are stored as numbers."""
    cleaned: dict[str, Any] = {}
    for question in questions:
        value = answers.get(str(question.pk))
        field = f"q_{question.pk}"
        if value in (None, "", []):
            if question.required:
                raise DomainError(
                    _("「%(label)s」に回答してください。") % {"label": question.label},
                    code=f"{code}.answer_required",
                    field=field,
                )
            continue
        if question.kind in (QuestionKind.CHOICE, QuestionKind.MULTIPLE):
            values = value if isinstance(value, list) else [value]
            if any(v not in question.choice_list for v in values):
                raise DomainError(
                    _("「%(label)s」の選択肢にない回答です。") % {"label": question.label},
                    code=f"{code}.answer_invalid",
                    field=field,
                )
        elif question.kind == QuestionKind.RATING:
            rating = rating_value(value)
            if rating is None:
                raise DomainError(
                    _("「%(label)s」は1から5で選んでください。") % {"label": question.label},
                    code=f"{code}.answer_invalid",
                    field=field,
                )
            value = rating
        cleaned[str(question.pk)] = value
    return cleaned
