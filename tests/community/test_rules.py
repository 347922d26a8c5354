import pytest

from ouentai.community.rules import SmeCategory, sme_category_for, sme_status

M, W, R, S = SmeCategory.MANUFACTURING, SmeCategory.WHOLESALE, SmeCategory.RETAIL, SmeCategory.SERVICES
OKU = 100_000_000


@pytest.mark.parametrize(
    ("category", "capital", "employees", "is_sme", "is_small"),
    [
        (M, 3 * OKU, 1000, True, False),  # capital at the limit is enough
        (M, 10 * OKU, 300, True, False),  # employees at the limit are enough
        (M, 10 * OKU, 301, False, False),
        (M, None, 20, True, True),
        (M, None, 21, True, False),
        (W, OKU, 500, True, False),
        (W, OKU + 1, 101, False, False),
        (W, None, 5, True, True),
        (W, None, 6, True, False),
        (R, 50_000_000, 200, True, False),
        (R, 60_000_000, 51, False, False),
        (S, 60_000_000, 100, True, False),
        (S, 60_000_000, 101, False, False),
        (S, 1_000_000, 5, True, True),
        (S, 60_000_000, None, None, None),  # over on capital, employees unknown: cannot say
        (M, None, None, None, None),
        ("", OKU, 10, None, None),  # category unknown
    ],
)
def test_sme_status(category, capital, employees, is_sme, is_small):
    status = sme_status(category=category, capital_yen=capital, employees=employees)
    assert (status.is_sme, status.is_small) == (is_sme, is_small)


def test_category_defaults_follow_the_industry():
    assert sme_category_for("E") == M
    assert sme_category_for("G") == S
    assert sme_category_for("I") == ""  # 卸売業 or 小売業: staff choose
    assert sme_category_for("I", W) == W
    assert sme_category_for("M", R) == R  # 飲食店 counted as 小売業 by choice
