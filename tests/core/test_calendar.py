import datetime as dt

import pytest

from ouentai.core.calendar import (
    add_business_days,
    fiscal_year,
    holiday_name,
    is_business_day,
    wareki_date,
    wareki_fiscal_year,
)

D = dt.date


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2026, 5, 6), "振替休日"),
        (D(2026, 9, 22), "国民の休日"),
        (D(2026, 1, 1), "元日"),
        (D(2026, 11, 23), "勤労感謝の日"),
    ],
)
def test_holidays_in_japanese(day, name):
    assert holiday_name(day) == name
    assert not is_business_day(day)


@pytest.mark.parametrize("day", [D(2026, 12, 29), D(2026, 12, 31), D(2027, 1, 2), D(2027, 1, 3)])
def test_year_end_closure_is_not_a_business_day(day):
    assert not is_business_day(day)


def test_weekend_is_not_a_business_day():
    assert not is_business_day(D(2026, 11, 28))  # Saturday
    assert is_business_day(D(2026, 11, 27))  # Friday


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (D(2026, 11, 26), 2, D(2026, 11, 30)),  # Thu → Fri, Mon
        (D(2026, 11, 20), 2, D(2026, 11, 25)),  # Fri → Mon 11/23 is 勤労感謝の日 → Tue, Wed
        (D(2026, 11, 28), 1, D(2026, 11, 30)),  # received on Saturday
        (D(2026, 5, 1), 2, D(2026, 5, 8)),  # Fri → 5/4,5/5,5/6 (振替休日) → Thu 5/7, Fri 5/8
        (D(2026, 9, 18), 1, D(2026, 9, 24)),  # Fri → 9/21 敬老の日, 9/22 国民の休日, 9/23 秋分の日
        (D(2026, 12, 25), 2, D(2027, 1, 4)),  # Fri → 12/28 (Mon); 12/29–1/3 closed → 1/4 (Mon)
    ],
)
def test_add_business_days(start, days, due):
    assert add_business_days(start, days) == due


def test_add_zero_business_days_is_the_same_day():
    assert add_business_days(D(2026, 11, 28), 0) == D(2026, 11, 28)


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (D(2026, 11, 27), "令和8年11月27日"),
        (D(2019, 5, 1), "令和元年5月1日"),
        (D(2019, 4, 30), "平成31年4月30日"),
        (D(1989, 1, 8), "平成元年1月8日"),
        (D(1989, 1, 7), "昭和64年1月7日"),
    ],
)
def test_wareki(day, text):
    assert wareki_date(day) == text


def test_fiscal_year_april_to_march():
    assert fiscal_year(D(2026, 4, 1)) == 2026
    assert fiscal_year(D(2027, 3, 31)) == 2026
    assert wareki_fiscal_year(2026) == "令和8年度"
    assert wareki_fiscal_year(2019) == "令和元年度"
    assert wareki_fiscal_year(2018) == "平成30年度"
