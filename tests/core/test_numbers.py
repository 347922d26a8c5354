"""The one rule for numbers on pages, PDFs, exports and charts."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ouentai.core.numbers import number_text, with_unit, yen


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("1200.00"), "1,200"),
        (Decimal("12.50"), "12.5"),
        (Decimal("4.0"), "4"),
        (Decimal("0.125"), "0.13"),
        (Decimal("-0.001"), "0"),
        (-3, "-3"),
        (1234567, "1,234,567"),
        ("2.50", "2.5"),
        (1.1, "1.1"),
        (None, ""),
        ("", ""),
        ("abc", "abc"),
        ("NaN", "NaN"),
    ],
)
def test_number_text(value: object, text: str) -> None:
    assert number_text(value) == text  # type: ignore[arg-type]


def test_units_and_yen() -> None:
    assert with_unit(Decimal("3.50"), "時間") == "3.5時間"
    assert with_unit(0, "件") == "0件"
    assert with_unit(None, "件") == ""
    assert yen(1_000_000) == "1,000,000円"
    assert yen(None) == ""


@given(st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, places=4))
def test_the_text_reads_back_as_the_value_rounded_to_two_places(value: Decimal) -> None:
    text = number_text(value)
    assert not text.endswith((".", "0")) or "." not in text
    expected = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert Decimal(text.replace(",", "")) == expected
