"""What every form of ours does at the boundary (field trial, defects 14 and 15): control and
bidi-override characters never get in, and every number has a range checked in its form, told in
Japanese, never a database error. The first two tests walk every form class, so a new form is held to
the same rules."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from decimal import Decimal

import pytest
from django import forms

import ouentai
from ouentai.core.fields import MAX_PEOPLE, MAX_YEN, CountField, NameField, RowIdField, YenField
from ouentai.core.forms import AccessibleFormMixin
from ouentai.core.http import MAX_ID


def _form_classes() -> list[type[forms.BaseForm]]:
    found: list[type[forms.BaseForm]] = []
    for info in pkgutil.walk_packages(ouentai.__path__, "ouentai."):
        if ".migrations" in info.name or ".management" in info.name:
            continue
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if (
                inspect.isclass(obj)
                and issubclass(obj, forms.BaseForm)
                and obj.__module__ == module.__name__
                and obj not in found
            ):
                found.append(obj)
    return found


FORMS = _form_classes()
NUMERIC = (forms.IntegerField, forms.DecimalField, forms.FloatField, CountField, YenField)


def test_the_walk_finds_the_forms() -> None:
    names = {form.__name__ for form in FORMS}
    assert {"ApplicationForm", "InquiryForm", "CompanyForm", "LoginForm", "ImportRowForm"} <= names


@pytest.mark.parametrize("form_class", FORMS, ids=lambda form: f"{form.__module__}.{form.__name__}")
def test_every_form_crosses_the_boundary(form_class: type[forms.BaseForm]) -> None:
    assert issubclass(form_class, AccessibleFormMixin), (
        "add AccessibleFormMixin: it removes control characters"
    )


@pytest.mark.parametrize("form_class", FORMS, ids=lambda form: f"{form.__module__}.{form.__name__}")
def test_every_number_has_a_range(form_class: type[forms.BaseForm]) -> None:
    for name, field in form_class.base_fields.items():  # type: ignore[attr-defined]
        if isinstance(field, NUMERIC):
            assert getattr(field, "max_value", None) is not None, f"{name}: no max_value"
            assert getattr(field, "min_value", None) is not None, f"{name}: no min_value"


class _Sample(AccessibleFormMixin, forms.Form):
    name = NameField(max_length=100)
    plain = forms.CharField(max_length=100)
    body = forms.CharField(widget=forms.Textarea)
    secret = forms.CharField(widget=forms.PasswordInput)


def test_control_and_bidi_characters_are_removed_before_validation() -> None:
    form = _Sample(
        {
            "name": "株式会社\x01テスト\x1b\u202e",
            "plain": "a\x00b\u2066c\nd",
            "body": "一行目\r\n二行目\x07\t字下げ",
            "secret": "pass\x01word",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "株式会社テスト"
    assert form.cleaned_data["plain"] == "abc d"
    assert form.cleaned_data["body"] == "一行目\n二行目\t字下げ"
    assert form.cleaned_data["secret"] == "pass\x01word"  # passwords are taken as typed


@pytest.mark.parametrize(
    ("typed", "valid"),
    [("45", True), ("４５人", True), ("10,000,000", True), ("10000001", False), ("2147483648", False),
     ("２１４７４８３６４８", False), ("9" * 40, False), ("-1", False), ("٣", False)],
)  # fmt: skip
def test_count_field_range(typed: str, valid: bool) -> None:
    field = CountField(required=False)
    if valid:
        assert field.clean(typed) <= MAX_PEOPLE
    else:
        with pytest.raises(forms.ValidationError) as raised:
            field.clean(typed)
        assert all(message.endswith("。") for message in raised.value.messages)


@pytest.mark.parametrize(
    ("typed", "valid"),
    [("1000万", True), ("3億5000万円", True), ("999兆", False), (str(MAX_YEN), True), (str(MAX_YEN + 1), False),
     ("9" * 25, False), ("1" * 400, False), ("٣億", False)],
)  # fmt: skip
def test_yen_field_range(typed: str, valid: bool) -> None:
    field = YenField(required=False)
    if valid:
        assert 0 <= field.clean(typed) <= MAX_YEN
    else:
        with pytest.raises(forms.ValidationError):
            field.clean(typed)


def test_row_ids_out_of_range_are_refused_by_the_form() -> None:
    field = RowIdField()
    assert field.clean(str(MAX_ID)) == MAX_ID
    for typed in (str(MAX_ID + 1), "0", "-5"):
        with pytest.raises(forms.ValidationError):
            field.clean(typed)


def test_decimal_kpi_values_stay_inside_the_column() -> None:
    from ouentai.core.fields import JapaneseDecimalField

    field = JapaneseDecimalField()
    assert field.clean("99,999,999,999,999.99") == Decimal("99999999999999.99")
    with pytest.raises(forms.ValidationError):
        field.clean("100000000000000")
