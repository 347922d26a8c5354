import pytest
from django import forms

from ouentai.core.fields import CountField, YenField


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1000万", 10_000_000),
        ("３億５０００万円", 350_000_000),
        ("10,000,000", 10_000_000),
        ("", None),
        ("1億", 100_000_000),
    ],
)
def test_yen_field_reads_japanese_units(typed, value):
    assert YenField(required=False).clean(typed) == value


@pytest.mark.parametrize("typed", ["一千万", "10万5千", "-5"])
def test_yen_field_refuses_what_it_cannot_read(typed):
    with pytest.raises(forms.ValidationError):
        YenField().clean(typed)


@pytest.mark.parametrize(("typed", "value"), [("４５", 45), ("1,200人", 1200), ("30名", 30)])
def test_count_field(typed, value):
    assert CountField().clean(typed) == value
