"""Business rules about companies that are pure functions of their data.

中小企業基本法 第2条: a company is an SME (中小企業者) when its capital OR its regular employees are within
the limit for its category, and a small enterprise (小規模企業者) when its employees are within a lower
limit. The category follows the industry; 卸売業 and 小売業 share JSIC division I, so staff choose
between them (and may override any default, e.g. 飲食店 count as 小売業).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class SmeCategory(models.TextChoices):
    MANUFACTURING = "manufacturing", _("製造業・建設業・運輸業・その他")
    WHOLESALE = "wholesale", _("卸売業")
    RETAIL = "retail", _("小売業")
    SERVICES = "services", _("サービス業")


@dataclass(frozen=True)
class SmeLimit:
    capital_yen: int
    employees: int
    small_employees: int


SME_LIMITS: dict[str, SmeLimit] = {
    SmeCategory.MANUFACTURING: SmeLimit(300_000_000, 300, 20),
    SmeCategory.WHOLESALE: SmeLimit(100_000_000, 100, 5),
    SmeCategory.RETAIL: SmeLimit(50_000_000, 50, 5),
    SmeCategory.SERVICES: SmeLimit(50_000_000, 100, 5),
}

# JSIC division → category when staff have not chosen one. Division I (卸売業，小売業) has no default.
_DEFAULT_CATEGORY = {
    **dict.fromkeys("ABCDEFHJST", SmeCategory.MANUFACTURING),
    **dict.fromkeys("GKLMNOPQR", SmeCategory.SERVICES),
}


def sme_category_for(industry: str, chosen: str = "") -> str:
    """The category that applies: the one staff chose, else the industry's default ('' if unknown)."""
    return chosen or _DEFAULT_CATEGORY.get(industry, "")


@dataclass(frozen=True)
class SmeStatus:
    is_sme: bool | None  # None: not enough data to say
    is_small: bool | None


def sme_status(*, category: str, capital_yen: int | None, employees: int | None) -> SmeStatus:
    """Whether a company is an SME and a small enterprise. Either criterion within the limit makes an
    SME; with only one known and over the limit, or neither known, the answer is unknown (None)."""
    limit = SME_LIMITS.get(category)
    if limit is None or (capital_yen is None and employees is None):
        return SmeStatus(None, None)
    within = [
        capital_yen <= limit.capital_yen if capital_yen is not None else None,
        employees <= limit.employees if employees is not None else None,
    ]
    if True in within:
        is_sme: bool | None = True
    elif None in within:
        is_sme = None
    else:
        is_sme = False
    is_small = employees <= limit.small_employees if employees is not None else None
    if is_sme is False:
        is_small = False
    return SmeStatus(is_sme, is_small)
