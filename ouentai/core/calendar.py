"""Fiscal years (年度), Japanese eras (和暦) and business days.

A business day is a weekday that is not a national holiday (祝日法, including 振替休日 and 国民の休日,
from the `holidays` package) and not in the year-end closure of public offices (12/29 – 1/3).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from django.utils import timezone

# (first day, era name). 令和元年度 is used for 2019-04-01 .. 2020-03-31, as most official documents do.
_ERAS: tuple[tuple[dt.date, str], ...] = (
    (dt.date(2019, 5, 1), "令和"),
    (dt.date(1989, 1, 8), "平成"),
    (dt.date(1926, 12, 25), "昭和"),
    (dt.date(1912, 7, 30), "大正"),
    (dt.date(1868, 10, 23), "明治"),
)


def _era_year(era: str, start: dt.date, year: int) -> str:
    number = year - start.year + 1
    return f"{era}{'元' if number == 1 else number}年"


def wareki_year(day: dt.date) -> str:
    """The era year of a date: 2026-11-27 → 令和8年, 2019-05-01 → 令和元年, 2019-04-30 → 平成31年."""
    for start, era in _ERAS:
        if day >= start:
            return _era_year(era, start, day.year)
    raise ValueError("date before 明治")


def wareki_date(day: dt.date) -> str:
    """2026-11-27 → 令和8年11月27日."""
    return f"{wareki_year(day)}{day.month}月{day.day}日"


def fiscal_year(day: dt.date) -> int:
    """The fiscal year (April to March) a date falls in, named by its starting calendar year."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def wareki_fiscal_year(year: int) -> str:
    """2026 → 令和8年度; 2019 → 令和元年度 (not 平成31年度: the era in force for most of that year)."""
    if year == 2019:
        return "令和元年度"
    return wareki_year(dt.date(year, 4, 1)) + "度"


def fiscal_year_text(year: int) -> str:
    """2026 → 2026年度（令和8年度）: the 西暦 year with its 和暦 name, as pages and reports write it."""
    return f"{year}年度（{wareki_fiscal_year(year)}）"


@lru_cache(maxsize=64)
def _national_holidays(year: int) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("JP", years=year, language="ja"))


def holiday_name(day: dt.date) -> str | None:
    """The name of the national holiday on that day (元日, 振替休日, 国民の休日, …), or None."""
    return _national_holidays(day.year).get(day)


def is_year_end_closure(day: dt.date) -> bool:
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def is_business_day(day: dt.date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None and not is_year_end_closure(day)


def add_business_days(start: dt.date, days: int) -> dt.date:
    """The date `days` business days after `start` (start itself never counts, whatever it is)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += dt.timedelta(days=1)
        if is_business_day(current):
            remaining -= 1
    return current


def local_today() -> dt.date:
    return timezone.localdate()
