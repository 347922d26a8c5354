"""Form plumbing every app shares: the boundary every form's input crosses (control characters removed,
errors that screen readers announce), the base of public forms, and putting a service's DomainError on
a form."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from ouentai.core.errors import DomainError
from ouentai.core.jp import strip_controls

REQUIRED = _("入力してください。")
REQUIRED_CHOICE = _("選択してください。")


def _without_controls(form: forms.BaseForm) -> Any:
    """The form's submitted data with control and bidi-override characters removed from every text
    field (line breaks kept in text areas, turned into spaces elsewhere); passwords and files untouched."""
    data = form.data
    texts = {
        form.add_prefix(name): isinstance(field.widget, forms.Textarea)
        for name, field in form.fields.items()
        if not isinstance(field.widget, (forms.PasswordInput, forms.FileInput))
    }

    def clean(value: Any, multiline: bool) -> Any:
        return strip_controls(value, multiline=multiline) if isinstance(value, str) else value

    if isinstance(data, QueryDict):
        copied = data.copy()
        for key, multiline in texts.items():
            if key in data:
                copied.setlist(key, [clean(value, multiline) for value in data.getlist(key)])
        return copied
    return {key: clean(value, texts[key]) if key in texts else value for key, value in data.items()}


class AccessibleFormMixin:
    """The boundary of every form of ours. Before validation, control and bidi-override characters are
    removed from the text typed (they broke exports and can disguise a name); after it, each field in
    error is marked with aria-invalid and aria-describedby so that screen readers announce the message
    beside it. Empty required fields say plainly what to do."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form = self
        assert isinstance(form, forms.BaseForm)
        for field in form.fields.values():
            if isinstance(field, forms.ChoiceField):
                field.error_messages["required"] = REQUIRED_CHOICE
            elif not isinstance(field, forms.BooleanField):
                field.error_messages["required"] = REQUIRED

    def full_clean(self) -> None:
        form = self
        assert isinstance(form, forms.BaseForm)
        if form.is_bound:
            form.data = _without_controls(form)
        super().full_clean()  # type: ignore[misc]
        for name in form.fields:
            self._describe(name)

    def add_error(self, field: str | None, error: Any) -> None:
        """Errors added after validation (a service's DomainError shown beside its field) are announced
        like the form's own."""
        super().add_error(field, error)  # type: ignore[misc]
        form = self
        assert isinstance(form, forms.BaseForm)
        if hasattr(form, "cleaned_data"):
            names = list(error.keys()) if isinstance(error, dict) else [field]
            for name in names:
                if name in form.fields:
                    self._describe(name)

    def _describe(self, name: str) -> None:
        form = self
        assert isinstance(form, forms.BaseForm)
        field = form.fields[name]
        auto_id = form[name].auto_id
        described = []
        if field.help_text:
            described.append(f"{auto_id}_help")
        if name in form.errors:
            field.widget.attrs["aria-invalid"] = "true"
            described.append(f"{auto_id}_error")
        else:
            field.widget.attrs.pop("aria-invalid", None)
        if described and auto_id:
            field.widget.attrs["aria-describedby"] = " ".join(described)


class PublicForm(AccessibleFormMixin, forms.Form):
    """Hidden plumbing shared by public forms: the once-only token, the policy version agreed to, and a
    honeypot field that people never see."""

    form_token = forms.UUIDField(widget=forms.HiddenInput)
    policy_version = forms.CharField(widget=forms.HiddenInput, required=False)
    website = forms.CharField(
        required=False,
        label=_("この欄は空のままにしてください"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    consent = forms.BooleanField(
        label=_("個人情報の取扱いに同意する"),
        error_messages={"required": _("個人情報の取扱いに同意いただけない場合は送信できません。")},
    )

    municipality_code = ""

    @classmethod
    def initial_for(cls, policy_version: str) -> dict[str, Any]:
        return {"form_token": uuid.uuid4(), "policy_version": policy_version}

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's refusal where it belongs: beside the field it names when the form has that field,
    else above the form. With AccessibleFormMixin the field is marked invalid and points at the message,
    as for the form's own errors."""
    form.add_error(error.field if error.field in form.fields else None, str(error.message))
