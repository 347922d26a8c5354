"""Formsets in console forms (sessions, presenters, contacts, qualifications…): rows tied to stored
records, the filled-in rows of a valid formset, and "add a row" that works without JavaScript (the
page again, as typed, with one more empty row focused)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from ouentai.core.fields import RowIdField
from ouentai.core.forms import AccessibleFormMixin


class RowForm(AccessibleFormMixin, forms.Form):
    """A formset row: ``pk`` ties it to a stored row (empty for a new one)."""

    pk = RowIdField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        delete = self.fields.get("DELETE")
        if delete is not None:
            delete.label = _("この行を削除")


def kept_forms(formset: forms.BaseFormSet[Any]) -> list[Any]:
    """The rows of a valid formset that are filled in and not marked for deletion, in their order."""
    return [form for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]


def with_added_row(data: QueryDict, prefix: str) -> QueryDict:
    """The posted data with one more row in the ``prefix`` formset."""
    extended = data.copy()
    total = extended.get(f"{prefix}-TOTAL_FORMS") or "0"
    extended[f"{prefix}-TOTAL_FORMS"] = str(int(total) + 1 if total.isdigit() else 1)
    return extended


def without_errors(form: forms.BaseForm | forms.BaseFormSet[Any]) -> None:
    """Show a bound form or formset as typed, without judging it: staff only asked for one more row."""
    if isinstance(form, forms.BaseFormSet):
        setattr(form, "_non_form_errors", form.error_class())  # noqa: B010 (private, read by non_form_errors)
        setattr(form, "_errors", [])  # noqa: B010
        for row in form.forms:
            without_errors(row)
        return
    setattr(form, "_errors", forms.utils.ErrorDict())  # noqa: B010 (read by errors: no validation runs)
    form.cleaned_data = {}


def focus_new_row(formset: forms.BaseFormSet[Any]) -> None:
    """Put the cursor in the first visible field of the formset's last (new) row."""
    new_row = formset.forms[-1]
    first = next(name for name, field in new_row.fields.items() if not field.widget.is_hidden)
    new_row.fields[first].widget.attrs["autofocus"] = True
