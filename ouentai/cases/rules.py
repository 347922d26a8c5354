"""Pure rules of the case library (no database)."""

from __future__ import annotations

from ouentai.cases.choices import SIZE_BAND_LIMITS, SizeBand


def size_band_for(employees: int | None) -> str:
    """The employee band a number falls in ("" when the number is unknown)."""
    if employees is None:
        return ""
    for limit, band in SIZE_BAND_LIMITS:
        if employees <= limit:
            return str(band)
    return str(SizeBand.OVER_300)
