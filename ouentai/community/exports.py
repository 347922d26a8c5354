"""What a company export holds: the header and one row per company with its main contact (the first one
registered: name, フリガナ, e-mail, phone), read in chunks with ``values()`` (no model instances; one more
query per chunk for the contacts), for ouentai.core.exports to stream as CSV or .xlsx. The headers are
ones the import recognises, so an export can be imported again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ouentai.community.choices import Industry, ItStage, MembershipStatus
from ouentai.community.models import Company, Contact
from ouentai.core.jp import format_phone, format_postal_code

CHUNK = 2000

FIELDS = [
    "pk", "name", "name_kana", "corporate_number", "postal_code", "prefecture", "city", "town", "address", "phone",
    "industry", "employees", "capital_yen", "is_sme", "is_small", "it_stage", "membership__status",
    "membership__coordinator__name", "membership__last_it_investment_on", "membership__next_investment_due",
]  # fmt: skip


def _headers() -> list[str]:
    return [
        _("会社名"), _("会社名フリガナ"), _("法人番号"), _("郵便番号"), _("都道府県"), _("市区町村"), _("町域"),
        _("番地・建物名"), _("電話番号"), _("業種"), _("従業員数"), _("資本金（円）"), _("中小企業"),
        _("小規模企業者"), _("IT経営力の段階"), _("会員の状態"), _("担当ITコーディネータ"), _("前回のIT投資"),
        _("次のIT投資の見込み"), _("担当者名"), _("担当者名フリガナ"), _("メールアドレス"), _("担当者の電話番号"),
    ]  # fmt: skip


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (_("該当") if value else _("非該当"))


def _row(values: dict[str, Any], contact: dict[str, Any] | None) -> list[Any]:
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
        contact["name"] if contact else "",
        contact["name_kana"] if contact else "",
        contact["email"] if contact else "",
        format_phone(contact["phone"]) if contact else "",
    ]


def _main_contacts(company_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Each company's first contact (lowest id), one query for a chunk of companies."""
    contacts: dict[int, Any] = {}
    for contact in (
        Contact.objects.filter(company_id__in=company_ids)
        .order_by("company_id", "id")
        .values("company_id", "name", "name_kana", "email", "phone")
    ):
        contacts.setdefault(contact["company_id"], contact)
    return contacts


def _rows(chunk: list[dict[str, Any]]) -> Iterator[list[Any]]:
    contacts = _main_contacts([values["pk"] for values in chunk])
    for values in chunk:
        yield _row(values, contacts.get(values["pk"]))


def company_rows(queryset: QuerySet[Company]) -> Iterator[list[Any]]:
    """The header, then one row per company, read CHUNK at a time."""
    yield _headers()
    chunk: list[dict[str, Any]] = []
    for values in queryset.values(*FIELDS).iterator(chunk_size=CHUNK):
        chunk.append(values)
        if len(chunk) >= CHUNK:
            yield from _rows(chunk)
            chunk = []
    yield from _rows(chunk)
