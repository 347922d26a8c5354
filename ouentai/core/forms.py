"""Accessible form rendering: fields with errors get aria-invalid and point at their message."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

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
