"""The regions the program office compares: the areas of METI's regional bureaus (経済産業局) by
prefecture (JIS code). An organization's region is that of the first area it serves; one that serves
no area yet is shown apart."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ouentai.core.jp import PREFECTURES

# (key, name, JIS prefecture codes), in the order METI lists its bureaus.
BUREAUS: tuple[tuple[str, Promise, tuple[int, ...]], ...] = (
    ("hokkaido", _("北海道経済産業局"), (1,)),
    ("tohoku", _("東北経済産業局"), (2, 3, 4, 5, 6, 7)),
    ("kanto", _("関東経済産業局"), (8, 9, 10, 11, 12, 13, 14, 15, 19, 20, 22)),
    ("chubu", _("中部経済産業局"), (16, 17, 21, 23, 24)),
    ("kinki", _("近畿経済産業局"), (18, 25, 26, 27, 28, 29, 30)),
    ("chugoku", _("中国経済産業局"), (31, 32, 33, 34, 35)),
    ("shikoku", _("四国経済産業局"), (36, 37, 38, 39)),
    ("kyushu", _("九州経済産業局"), (40, 41, 42, 43, 44, 45, 46)),
    ("okinawa", _("沖縄総合事務局"), (47,)),
)
UNKNOWN = "unknown"
UNKNOWN_NAME = _("担当地域の未設定")

_BY_PREFECTURE = {code: key for key, _name, codes in BUREAUS for code in codes}
NAMES: dict[str, Promise] = {key: name for key, name, _codes in BUREAUS} | {UNKNOWN: UNKNOWN_NAME}
ORDER = [key for key, _name, _codes in BUREAUS] + [UNKNOWN]


def region_of(area_code: str | None) -> str:
    """The bureau of a JIS area code (2-digit prefecture or 5-digit municipality code)."""
    if not area_code or not area_code[:2].isdigit():
        return UNKNOWN
    return _BY_PREFECTURE.get(int(area_code[:2]), UNKNOWN)


def prefecture_of(area_code: str) -> str:
    number = int(area_code[:2]) if area_code[:2].isdigit() else 0
    return PREFECTURES[number - 1] if 1 <= number <= len(PREFECTURES) else ""
