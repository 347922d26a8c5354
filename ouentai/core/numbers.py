"""Numbers as people read them, one rule everywhere (pages, PDFs, exports to CSV, charts): thousands
separated, at most two decimal places (rounded half up), no trailing zeros (1200.00 → 1,200; 12.50 → 12.5;
-0 → 0); money in 円."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

PLACES = Decimal("0.01")


def number_text(value: Decimal | float | int | str | None) -> str:
    """ "" for no value; text that is not a number is shown as it is (a snapshot may hold anything)."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    text = f"{number.quantize(PLACES, rounding=ROUND_HALF_UP):,f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text == "-0" else text


def with_unit(value: Decimal | float | int | str | None, unit: str) -> str:
    """「120件」, 「3.5時間」: the number, then the unit (none when there is no number)."""
    text = number_text(value)
    return f"{text}{unit}" if text and unit else text


def yen(value: int | Decimal | None) -> str:
    """「1,000,000円」, or "" for no amount."""
    return with_unit(value, "円")
