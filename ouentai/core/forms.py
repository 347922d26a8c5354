"""Form plumbing every app shares: accessible rendering (fields with errors get aria-invalid and point
at their message), the base of public forms, and putting a service's DomainError on a form."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ouentai.core.errors import DomainError

REQUIRED = _("入力してください。")
REQUIRED_CHOICE = _("選択してください。")


class AccessibleFormMixin:
    """After validation, mark each field in error with aria-invalid and aria-describedby so that screen
    readers announce the message beside it. Empty required fields say plainly what to do."""

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
        super().full_clean()  # type: ignore[misc]
        form = self
        assert isinstance(form, forms.BaseForm)
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
