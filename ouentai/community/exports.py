"""What a company export holds: the header and one row per company, read in chunks with ``values()`` (no
model instances), for ouentai.core.exports to stream as CSV or .xlsx."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ouentai.community.choices import Industry, ItStage, MembershipStatus
from ouentai.community.models import Company
from ouentai.core.jp import format_phone, format_postal_code

CHUNK = 2000

FIELDS = [
    "name", "name_kana", "corporate_number", "postal_code", "prefecture", "city", "town", "address", "phone",
    "industry", "employees", "capital_yen", "is_sme", "is_small", "it_stage", "membership__status",
    "membership__coordinator__name", "membership__last_it_investment_on", "membership__next_investment_due",
]  # fmt: skip


def _headers() -> list[str]:
    return [
        _("会社名"), _("会社名フリガナ"), _("法人番号"), _("郵便番号"), _("都道府県"), _("市区町村"), _("町域"),
        _("番地・建物名"), _("電話番号"), _("業種"), _("従業員数"), _("資本金（円）"), _("中小企業"),
        _("小規模企業者"), _("IT経営力の段階"), _("会員の状態"), _("担当ITコーディネータ"), _("前回のIT投資"),
        _("次のIT投資の見込み"),
    ]  # fmt: skip


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (_("該当") if value else _("非該当"))


def _row(values: dict[str, Any]) -> list[Any]:
    industries = dict(Industry.choices)
    stages = dict(ItStage.choices)
    statuses = dict(MembershipStatus.choices)
    return [
        values["name"],
        values["name_kana"],
        values["corporate_number"],
        format_postal_code(values["postal_code"]),
        values["prefecture"],
        values["city"],
        values["town"],
        values["address"],
        format_phone(values["phone"]),
        str(industries.get(values["industry"], "")),
        values["employees"],
        values["capital_yen"],
        _yes_no(values["is_sme"]),
        _yes_no(values["is_small"]),
        str(stages.get(values["it_stage"], "")),
        str(statuses.get(values["membership__status"], "")),
        values["membership__coordinator__name"] or "",
        values["membership__last_it_investment_on"],
        values["membership__next_investment_due"],
    ]


def company_rows(queryset: QuerySet[Company]) -> Iterator[list[Any]]:
    """The header, then one row per company, read CHUNK at a time."""
    yield _headers()
    for values in queryset.values(*FIELDS).iterator(chunk_size=CHUNK):
        yield _row(values)
