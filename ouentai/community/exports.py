"""Exports of company lists: CSV (UTF-8 with BOM by default, or CP932 for older Excel) and .xlsx.

Rows are read in chunks with ``values()`` (no model instances) and written as they come, so memory
stays flat whatever the number of rows: CSV is streamed to the client; .xlsx is written by openpyxl in
write-only mode to a temporary file that is then streamed.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

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


class _Echo:
    def write(self, value: str) -> str:
        return value


# Text typed by the public (names, answers) must never become a formula in the spreadsheet that staff
# open: a cell starting with one of these is a formula to Excel.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(cell: Any) -> Any:
    if cell is None:
        return ""
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def stream_csv(rows: Iterable[list[Any]], *, encoding: str = "utf-8-sig") -> Iterator[bytes]:
    """CSV bytes, one row at a time. UTF-8 starts with a BOM so that Excel reads it as UTF-8; in CP932
    a character it lacks becomes '?'. Text that Excel would read as a formula is prefixed with '."""
    writer = csv.writer(_Echo())
    if encoding == "utf-8-sig":
        yield "\ufeff".encode()
        encoding = "utf-8"
    for row in rows:
        yield writer.writerow([_csv_cell(cell) for cell in row]).encode(encoding, errors="replace")


def write_xlsx(rows: Iterable[list[Any]], *, title: str) -> IO[bytes]:
    """An .xlsx workbook in a temporary file (write-only mode: rows are not kept in memory), rewound.
    Text is always stored as text, never as a formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to FileResponse, which closes it
    workbook.save(handle)
    handle.seek(0)
    return handle
