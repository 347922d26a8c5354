"""Pure rules of the case library (no database)."""

from __future__ import annotations

from django.utils.translation import gettext

from ouentai.cases.choices import SIZE_BAND_LIMITS, SizeBand
from ouentai.community.choices import industry_name


def size_band_for(employees: int | None) -> str:
    """The employee band a number falls in ("" when the number is unknown)."""
    if employees is None:
        return ""
    for limit, band in SIZE_BAND_LIMITS:
        if employees <= limit:
            return str(band)
    return str(SizeBand.OVER_300)


def anonymous_name(*, prefecture: str, industry: str, size_band: str) -> str:
    """How an anonymized case names its company: only its region, industry (the JSIC name without its
    letter) and size band, in the language of the page; e.g. 神奈川県の製造業（6〜20人）."""
    size = str(SizeBand(size_band).label) if size_band in SizeBand.values else ""
    return gettext("%(region)sの%(industry)s（%(size)s）") % {
        "region": prefecture or gettext("地域非公開"),
        "industry": industry_name(industry) or gettext("企業"),
        "size": size or gettext("規模非公開"),
    }
