"""Spreadsheet exports every app streams: CSV (UTF-8 with BOM by default, or CP932 for older Excel) and
.xlsx, and the download response around them.

Rows come from an iterator and are written as they come, so memory stays flat whatever the number of
rows: CSV is streamed to the client; .xlsx is written by openpyxl in write-only mode to a temporary file
that is then streamed. Whatever text was stored, an export never fails on it and never hands Excel a
formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from ouentai.core.http import private

# format → (content type, file extension)
EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "csv-cp932": ("text/csv; charset=shift_jis", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


class _Echo:
    def write(self, value: str) -> str:
        return value


# Text typed by the public (names, answers) must never become a formula in the spreadsheet that staff
# open: a cell starting with one of these is a formula (or a DDE command) to Excel, which also reads the
# full-width forms as formulas.
FORMULA_STARTS = ("=", "+", "-", "@", "|", "\t", "\r", "＝", "＋", "－", "＠", "｜")

# Characters an .xlsx file cannot hold at all (XML 1.0 forbids C0 controls other than tab and newlines):
# openpyxl refuses a cell holding one, which would fail the whole export. They are dropped.
XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Excel opens no workbook with a longer cell.
XLSX_CELL_MAX = 32_767


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
    Text is always stored as text, never as a formula; characters a workbook cannot hold are dropped and
    text beyond Excel's limit per cell is cut, so that the file always opens."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, str):
                value = XLSX_ILLEGAL.sub("", value)[:XLSX_CELL_MAX]
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


def export_response(
    rows: Iterable[list[Any]], *, file_format: str, filename_stem: str, title: str
) -> HttpResponseBase:
    """The download of ``rows`` in ``file_format`` (a key of EXPORT_FORMATS; the caller has checked it):
    .xlsx from a temporary file, CSV streamed, as an attachment named ``filename_stem`` + extension, never
    kept by a shared cache. ``title`` names the workbook's sheet."""
    content_type, extension = EXPORT_FORMATS[file_format]
    response: HttpResponseBase
    if file_format == "xlsx":
        response = FileResponse(write_xlsx(rows, title=title), content_type=content_type)
    else:
        encoding = "cp932" if file_format == "csv-cp932" else "utf-8-sig"
        response = StreamingHttpResponse(stream_csv(rows, encoding=encoding), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename_stem}.{extension}"'
    private(response)
    return response
