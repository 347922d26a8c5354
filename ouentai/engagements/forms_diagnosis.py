"""The public self-diagnosis as a form: one radio group per question (field ``q_<question id>``, values
the choice ids), grouped by dimension. The questions come from the organization's questionnaire (data),
so the form is built from it at run time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ouentai.core.forms import AccessibleFormMixin
from ouentai.engagements.models import DiagnosisQuestion, Dimension, Questionnaire


def field_name(question: DiagnosisQuestion) -> str:
    return f"q_{question.pk}"


@dataclass(frozen=True)
class QuestionField:
    number: int  # 1-based across the whole questionnaire (問1, 問2…)
    question: DiagnosisQuestion
    field: forms.BoundField


@dataclass(frozen=True)
class DimensionGroup:
    number: int
    dimension: Dimension
    questions: list[QuestionField]
    first: int
    last: int


class DiagnosisForm(AccessibleFormMixin, forms.Form):
    """Every question is required (the service refuses an unanswered one too, should the questionnaire
    change between showing the form and sending it)."""

    def __init__(self, *args: Any, questionnaire: Questionnaire, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self._layout: list[tuple[Dimension, list[DiagnosisQuestion]]] = []
        for dimension in questionnaire.dimensions.all():
            questions = list(dimension.questions.all())
            if not questions:
                continue
            self._layout.append((dimension, questions))
            for question in questions:
                field = forms.ChoiceField(
                    label=question.text,
                    choices=[(str(choice.pk), choice.label) for choice in question.choices.all()],
                    widget=forms.RadioSelect,
                )
                # The error list at the top names the question (the field's label) before the message.
                field.error_messages["required"] = _("この質問に答えてください。")
                field.error_messages["invalid_choice"] = _("選択肢の中から一つ選んでください。")
                self.fields[field_name(question)] = field

    @property
    def question_count(self) -> int:
        return sum(len(questions) for _dimension, questions in self._layout)

    def groups(self) -> list[DimensionGroup]:
        """The dimensions in order with their bound fields, numbered for the progress shown beside each
        fieldset ("問4〜6 ／ 12問中")."""
        result = []
        number = 0
        for index, (dimension, questions) in enumerate(self._layout, start=1):
            first = number + 1
            rows = []
            for question in questions:
                number += 1
                rows.append(QuestionField(number, question, self[field_name(question)]))
            result.append(DimensionGroup(index, dimension, rows, first, number))
        return result

    def answers(self) -> dict[str, int]:
        """{question id: choice id} of a valid form, as the scoring service takes them."""
        return {
            name.removeprefix("q_"): int(value)
            for name, value in self.cleaned_data.items()
            if name.startswith("q_") and value
        }
