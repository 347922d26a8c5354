"""Accessible form rendering: fields with errors get aria-invalid and point at their message."""

from __future__ import annotations

from django import forms


class AccessibleFormMixin:
    """After validation, mark each field in error with aria-invalid and aria-describedby so that screen
    readers announce the message beside it."""

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        form = self
        assert isinstance(form, forms.BaseForm)
        for name, field in form.fields.items():
            described = []
            if field.help_text:
                described.append(f"{form.auto_id % name}_help" if form.auto_id else "")
            if name in form.errors:
                field.widget.attrs["aria-invalid"] = "true"
                described.append(f"{form.auto_id % name}_error" if form.auto_id else "")
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if any(described):
                field.widget.attrs["aria-describedby"] = " ".join(d for d in described if d)
