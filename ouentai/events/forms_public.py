"""The public registration form of an event: who the person is, the event's own questions, and consent
to the privacy policy. Fields accept what people type (half-width kana, full-width digits) and hand the
service normalized values (ouentai.core.fields)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ouentai.core.fields import (
    FreeTextField,
    FuriganaField,
    JapaneseEmailField,
    NameField,
    PhoneField,
    text_input,
)
from ouentai.core.forms import REQUIRED, REQUIRED_CHOICE, PublicForm
from ouentai.core.rating import RatingField
from ouentai.events.choices import QuestionKind
from ouentai.events.models import Question
from ouentai.events.services import RegistrationData


def question_field(question: Question) -> forms.Field:
    """The form field for one event question (registration or survey): text → a text area, choice →
    radio buttons, multiple → checkboxes, rating → the product's one 1–5 scale (ouentai.core.rating)."""
    label = question.label
    required = question.required
    if question.kind == QuestionKind.CHOICE:
        return forms.ChoiceField(
            label=label,
            required=required,
            choices=[(c, c) for c in question.choice_list],
            widget=forms.RadioSelect,
        )
    if question.kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            label=label,
            required=required,
            choices=[(c, c) for c in question.choice_list],
            widget=forms.CheckboxSelectMultiple,
        )
    if question.kind == QuestionKind.RATING:
        return RatingField(label=label, required=required)
    return FreeTextField(
        label=label, required=required, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class EventRegistrationForm(PublicForm):
    """Registration for one event. No once-only token: the service refuses a second active registration
    with the same e-mail address, so a double submit cannot register twice."""

    form_token = None  # type: ignore[assignment]  # removes PublicForm's once-only token field

    name = NameField(label=_("氏名"), max_length=100, widget=text_input(autocomplete="name"))
    furigana = FuriganaField(label=_("フリガナ"), max_length=100)
    company_name = NameField(
        label=_("会社名"),
        max_length=200,
        required=False,
        widget=text_input(autocomplete="organization"),
    )
    email = JapaneseEmailField(
        label=_("メールアドレス"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("申込確認と参加証（QRコード）をこのアドレスにお送りします。"),
    )
    phone = PhoneField(
        label=_("電話番号"),
        max_length=30,
        required=False,
        widget=text_input(autocomplete="tel", inputmode="tel"),
        help_text=_("当日の緊急連絡に使います。"),
    )

    def __init__(self, *args: Any, questions: Iterable[Question] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question_names: list[str] = []
        consent = self.fields.pop("consent")
        for question in questions:
            name = f"q_{question.pk}"
            self.fields[name] = question_field(question)
            self.question_names.append(name)
        self.fields["consent"] = consent  # keep the consent last
        # AccessibleFormMixin set its plain messages before the question fields existed.
        for name in self.question_names:
            field = self.fields[name]
            field.error_messages["required"] = (
                REQUIRED_CHOICE if isinstance(field, forms.ChoiceField) else REQUIRED
            )

    @classmethod
    def initial_for(cls, policy_version: str) -> dict[str, Any]:
        return {"policy_version": policy_version}

    @property
    def question_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.question_names]

    @property
    def person_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("name", "furigana", "company_name", "email", "phone")]

    def to_data(self) -> RegistrationData:
        d = self.cleaned_data
        answers: dict[str, Any] = {}
        for name in self.question_names:
            value = d.get(name)
            if value in (None, "", []):
                continue
            answers[name.removeprefix("q_")] = value
        return RegistrationData(
            name=d["name"],
            name_kana=d["furigana"],
            company_name=d["company_name"],
            email=d["email"],
            phone=d["phone"],
            answers=answers,
        )
