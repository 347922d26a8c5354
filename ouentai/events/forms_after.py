"""Forms of the pages after an event: the survey's questions (console), the survey itself (public) and
the mail to an audience of the event."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ouentai.core.fields import RowIdField
from ouentai.core.forms import REQUIRED, REQUIRED_CHOICE, AccessibleFormMixin
from ouentai.core.jp import normalize_single_line, normalize_text
from ouentai.events.choices import MailAudience, QuestionKind
from ouentai.events.forms_public import question_field
from ouentai.events.models import Question
from ouentai.events.services import QuestionData


class QuestionForm(AccessibleFormMixin, forms.Form):
    """One survey question in the console's editor. A row left empty is ignored."""

    pk = RowIdField()
    # Required, but a row added and left untouched is skipped by the formset (empty_permitted).
    label = forms.CharField(label=_("質問"), max_length=300)
    kind = forms.ChoiceField(label=_("回答の形式"), choices=QuestionKind.choices, initial=QuestionKind.TEXT)
    choices = forms.CharField(
        label=_("選択肢（1行に1つ）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("「選択」の形式のときに入力します。"),
    )
    required = forms.BooleanField(label=_("回答必須"), required=False)
    order = forms.IntegerField(label=_("表示順"), min_value=0, max_value=999, required=False)

    def clean_label(self) -> str:
        return normalize_single_line(self.cleaned_data["label"] or "")

    @property
    def is_blank(self) -> bool:
        return not self.cleaned_data.get("label")

    def to_data(self, position: int) -> QuestionData:
        d = self.cleaned_data
        kind = d["kind"]
        choices = "\n".join(line.strip() for line in (d.get("choices") or "").splitlines() if line.strip())
        order = d.get("order")
        return QuestionData(
            pk=d.get("pk"),
            label=d["label"],
            kind=kind,
            choices=choices if kind in (QuestionKind.CHOICE, QuestionKind.MULTIPLE) else "",
            required=bool(d.get("required")),
            order=order if order is not None else position,
        )


class BaseQuestionFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("この質問を削除する")


QuestionFormSet = forms.formset_factory(
    QuestionForm, formset=BaseQuestionFormSet, extra=2, can_delete=True, max_num=50, validate_max=True
)


def question_initial(questions: Iterable[Question]) -> list[dict[str, Any]]:
    return [
        {"pk": q.pk, "label": q.label, "kind": q.kind, "choices": q.choices, "required": q.required,
         "order": q.order}
        for q in questions
    ]  # fmt: skip


def questions_from_formset(formset: Any) -> list[QuestionData]:
    """The questions kept in a valid formset: neither deleted nor left blank, in form order."""
    result: list[QuestionData] = []
    for position, form in enumerate(formset.forms):
        if not form.has_changed() and not form.cleaned_data.get("pk"):
            continue
        if form.cleaned_data.get("DELETE") or form.is_blank:
            continue
        result.append(form.to_data(position * 10))
    return result


class SurveyForm(AccessibleFormMixin, forms.Form):
    """The survey as an attendee sees it: one field per question, named ``q_<question id>``."""

    def __init__(self, *args: Any, questions: Iterable[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"q_{question.pk}"] = question_field(question)
        # The mixin set its plain-language messages before these fields existed.
        for form_field in self.fields.values():
            form_field.error_messages["required"] = (
                REQUIRED_CHOICE if isinstance(form_field, forms.ChoiceField) else REQUIRED
            )

    def answers(self) -> dict[str, Any]:
        """Answers keyed by question id, as services.survey_submit takes them."""
        result: dict[str, Any] = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q_{question.pk}")
            if isinstance(value, str) and question.kind == QuestionKind.TEXT:
                value = normalize_text(value)
            result[str(question.pk)] = value
        return result

    def bound_questions(self) -> list[tuple[Question, forms.BoundField]]:
        return [(question, self[f"q_{question.pk}"]) for question in self.questions]


class EventMailForm(AccessibleFormMixin, forms.Form):
    audience = forms.ChoiceField(label=_("宛先"), choices=MailAudience.choices, widget=forms.RadioSelect)
    subject = forms.CharField(label=_("件名"), max_length=150)
    body = forms.CharField(
        label=_("本文"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=10000,
        help_text=_("宛名（○○ 様）とイベント名、申込内容の確認リンクは自動で入ります。"),
    )

    def __init__(
        self,
        *args: Any,
        counts: dict[str, int] | None = None,
        not_yet: Collection[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if counts is not None:
            audience = self.fields["audience"]
            assert isinstance(audience, forms.ChoiceField)
            audience.choices = [
                (
                    value,
                    _("%(label)s（開催回の終了後に送れます）") % {"label": label}
                    if value in not_yet
                    else _("%(label)s（%(n)s人）") % {"label": label, "n": counts.get(value, 0)},
                )
                for value, label in MailAudience.choices
            ]

    def clean_subject(self) -> str:
        return normalize_single_line(self.cleaned_data["subject"])

    def clean_body(self) -> str:
        return normalize_text(self.cleaned_data["body"])
