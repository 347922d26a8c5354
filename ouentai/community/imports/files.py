"""Reading company files: CSV in UTF-8 (with or without BOM) or CP932, and .xlsx; and the bounds a file
must keep before anything of it is stored.

A file is checked whole at upload (``inspect_upload``): its size, the number of rows and columns and the
length of every cell, and for .xlsx the sizes the zip archive declares for its parts (a small file that
expands to gigabytes is refused without being expanded) and the sheet's real extent, scanned as a stream
in bounded memory. A file that passes can be read by the worker in bounded memory and shown on a page of
bounded size.

CSV rows are read with their byte offsets, so that a long import resumes at the row where it stopped
(``read_rows(start=...)``). An .xlsx file is turned once into a UTF-8 CSV (``xlsx_to_csv``) that the
import then reads the same way.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import html
import io
import re
import zipfile
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import IO, Any
from xml.etree import ElementTree

from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from ouentai.core.numbers import number_text as number

# Bounds of an uploaded file (docs/users/staff.md and docs/operators/deployment.md say the same).
MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 1_000_000  # data rows, the header not counted
MAX_COLUMNS = 200
MAX_CELL_CHARS = 5_000
# .xlsx only: what its zip archive may expand to, and how many cells its sheet may hold (openpyxl reads
# about 200,000 cells a second: the whole sheet is turned into CSV by one task within the worker's time).
MAX_XLSX_CELLS = 3_000_000
MAX_XLSX_PARTS = 1_000
MAX_XLSX_EXPANDED = 512 * 1024 * 1024
MAX_XLSX_SHEET_BYTES = 384 * 1024 * 1024
MAX_XLSX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
MAX_XLSX_RATIO = 100  # expanded ÷ compressed, for parts above 1 MB
# One line of a CSV file (all its cells together) may not be longer than this many bytes.
MAX_LINE_BYTES = MAX_COLUMNS * MAX_CELL_CHARS * 4

# Characters no company data holds: C0/C1 controls except tab and line breaks, DEL, bidi overrides and
# isolates (which make text display in another order than it is stored), and a stray byte-order mark.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
_NEWLINE = re.compile(rb"\r\n|\r|\n")


class FileLimitError(ValueError):
    """A file that cannot be imported: too large, too wide, too long, unreadable. ``message`` is a
    Japanese sentence saying what is wrong and what to do."""

    def __init__(self, message: Any, code: str) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code


@dataclass(frozen=True)
class FileFacts:
    """What an upload is: its encoding ('' for .xlsx), the header row and the number of data rows
    (blank rows not counted; for .xlsx an upper bound until the file is converted)."""

    encoding: str
    headers: list[str]
    data_rows: int


@dataclass(frozen=True)
class RowRead:
    """One row of a file: its number as a spreadsheet shows it (the header is row 1), its cells, and
    for CSV the byte offset just after it (where reading resumes)."""

    number: int
    cells: list[str]
    end: int


def is_xlsx(name: str) -> bool:
    return name.lower().endswith(".xlsx")


def is_blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def clean_cell(value: Any) -> str:
    """A cell as text: numbers without a trailing .0, dates as YYYY-MM-DD, invisible control and bidi
    characters removed (they carry no data and break the exports)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return _INVISIBLE.sub("", str(value))


def _trimmed(cells: list[str]) -> list[str]:
    """Without the empty cells at the end of the row."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def detect_encoding(head: bytes) -> str:
    """utf-8-sig when the bytes are UTF-8 (with or without a BOM), else cp932."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not just a character cut at the end of the sample
            return "cp932"
    return "utf-8-sig"


class _Lines:
    """The lines of a byte stream from ``start`` (line ends \\r\\n, \\n or \\r kept, as csv wants them),
    decoded; ``offset`` is the byte offset just after the last line handed out."""

    def __init__(self, handle: IO[bytes], encoding: str, start: int) -> None:
        self.handle = handle
        self.offset = start
        self.first_encoding = encoding
        # utf-8-sig strips a BOM at the start of the file only.
        self.encoding = "utf-8" if encoding == "utf-8-sig" else encoding
        handle.seek(start)
        if start:
            self.first_encoding = self.encoding

    def _raw(self) -> Iterator[bytes]:
        pending = b""
        while True:
            block = self.handle.read(1 << 16)
            data = pending + block
            position = 0
            for match in _NEWLINE.finditer(data):
                if block and match.end() == len(data) and data.endswith(b"\r"):
                    break  # \r at the end of the block: a \n may follow in the next one
                yield data[position : match.end()]
                position = match.end()
            pending = data[position:]
            if len(pending) > MAX_LINE_BYTES:
                raise FileLimitError(
                    _("改行のない長すぎる行があります。CSV形式で保存し直したファイルか確かめてください。"),
                    code="import.line_too_long",
                )
            if not block:
                if pending:
                    yield pending
                return

    def __iter__(self) -> Iterator[str]:
        encoding = self.first_encoding
        for line in self._raw():
            self.offset += len(line)
            yield line.decode(encoding)
            encoding = self.encoding


def read_csv_rows(
    handle: IO[bytes], *, encoding: str, start: int = 0, first: int = 1
) -> Generator[RowRead, None, None]:
    """The rows of a CSV file from byte offset ``start`` (whose row number is ``first``), cells cleaned
    and trailing empty cells dropped. Raises UnicodeDecodeError or csv.Error on a row it cannot read
    (``row_number`` is set on the exception)."""
    lines = _Lines(handle, encoding, start)
    reader = csv.reader(lines)
    number = first
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except (UnicodeDecodeError, csv.Error) as exc:
            exc.row_number = number  # type: ignore[union-attr]
            raise
        yield RowRead(number, _trimmed([clean_cell(cell) for cell in cells]), lines.offset)
        number += 1


def read_xlsx_rows(handle: IO[bytes]) -> Generator[RowRead, None, None]:
    """The rows of the first sheet of an .xlsx workbook, read-only (one row in memory at a time). The
    sheet's declared size is ignored: a row is as long as its cells, at most MAX_COLUMNS."""
    workbook = load_workbook(handle, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        for number, row in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
            yield RowRead(number, _trimmed([clean_cell(cell) for cell in row]), 0)
    finally:
        workbook.close()


def read_rows(
    handle: IO[bytes], *, name: str, encoding: str, start: int = 0, first: int = 1
) -> Generator[RowRead, None, None]:
    """Every row of the file (CSV from byte offset ``start``), header first, blank rows included."""
    if is_xlsx(name):
        return read_xlsx_rows(handle)
    return read_csv_rows(handle, encoding=encoding, start=start, first=first)


def data_rows(rows: Iterator[RowRead]) -> Iterator[RowRead]:
    """The rows after the header, without blank ones: what a preview shows, a dry run checks and an
    import writes (so that all three count and number rows the same way)."""
    for row in rows:
        if row.number > 1 and not is_blank(row.cells):
            yield row


def xlsx_to_csv(source: IO[bytes], target: IO[str]) -> int:
    """Write the first sheet of an .xlsx workbook as UTF-8 CSV (rows kept, blank ones too, so that row
    numbers stay those of the sheet); returns the number of data rows that are not blank."""
    writer = csv.writer(target)
    count = 0
    for row in read_xlsx_rows(source):
        writer.writerow(row.cells)
        if row.number > 1 and not is_blank(row.cells):
            count += 1
    return count


# ---------------------------------------------------------------------------------------------------
# Checks at upload


def _too_many_rows() -> FileLimitError:
    return FileLimitError(
        _("行が多すぎます（%(max)s行まで）。ファイルを分けて取り込んでください。")
        % {"max": number(MAX_ROWS)},
        code="import.too_many_rows",
    )


def _too_many_columns(row: int | None, columns: int) -> FileLimitError:
    where = _("%(row)s行目") % {"row": number(row)} if row else _("シート")
    return FileLimitError(
        _(
            "%(where)sの列が多すぎます（%(columns)s列。%(max)s列まで）。使わない列を削除して保存し直してください。"
        )
        % {"where": where, "columns": number(columns), "max": number(MAX_COLUMNS)},
        code="import.too_many_columns",
    )


def _cell_too_long(row: int | None, column: int | None) -> FileLimitError:
    if row is not None and column is not None:
        return FileLimitError(
            _(
                "%(row)s行目の%(column)s列目のセルが長すぎます（%(max)s文字まで）。"
                "内容を確かめ、不要な文を削除して保存し直してください。"
            )
            % {"row": number(row), "column": number(column), "max": number(MAX_CELL_CHARS)},
            code="import.cell_too_long",
        )
    return FileLimitError(
        _("%(max)s文字を超えるセルがあります。内容を確かめ、不要な文を削除して保存し直してください。")
        % {"max": number(MAX_CELL_CHARS)},
        code="import.cell_too_long",
    )


def _unreadable() -> FileLimitError:
    return FileLimitError(
        _(
            "ファイルを読めませんでした。CSV（UTF-8 または Shift_JIS）か Excel（.xlsx）で保存し直してください。"
        ),
        code="import.unreadable",
    )


def _scan_csv(handle: IO[bytes], encoding: str) -> FileFacts:
    """One pass over the raw rows (the cells are not cleaned here: only their number and length
    matter), about 20 MB a second."""
    headers: list[str] = []
    count = 0
    handle.seek(0)
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    reader = csv.reader(text)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if len(cells) > MAX_COLUMNS:
                cells = _trimmed(cells)
                if len(cells) > MAX_COLUMNS:
                    raise _too_many_columns(number, len(cells))
            if cells and max(map(len, cells)) > MAX_CELL_CHARS:
                column = next(i for i, cell in enumerate(cells, start=1) if len(cell) > MAX_CELL_CHARS)
                raise _cell_too_long(number, column)
            if number == 1:
                headers = _trimmed([clean_cell(cell) for cell in cells])
            elif _INVISIBLE.sub("", "".join(cells)).strip():  # as clean_cell and is_blank see it
                count += 1
                if count > MAX_ROWS:
                    raise _too_many_rows()
    except (UnicodeDecodeError, csv.Error) as exc:
        exc.row_number = number + 1  # type: ignore[union-attr]
        raise
    finally:
        with contextlib.suppress(ValueError):
            text.detach()  # leave the caller's file open
    return FileFacts(encoding, headers, count)


def inspect_csv(handle: IO[bytes]) -> FileFacts:
    """Read the whole CSV file once (about a second for 50 MB): the encoding, the header, the number of
    data rows; refuses a file beyond the bounds, or with a row that cannot be read, naming the row."""
    head = handle.read(65536)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
        raise FileLimitError(
            _(
                "UTF-16（Unicode テキスト）や、文字でないデータを含むファイルは読めません。"
                "Excelで「CSV UTF-8（コンマ区切り）」を選んで保存し直してください。"
            ),
            code="import.encoding",
        )
    encoding = detect_encoding(head)
    csv.field_size_limit(MAX_CELL_CHARS * 4)
    candidates = [encoding] if encoding == "cp932" else [encoding, "cp932"]
    for attempt in candidates:
        try:
            return _scan_csv(handle, attempt)
        except UnicodeDecodeError as exc:
            if attempt != candidates[-1]:
                continue  # UTF-8 in the first 64 KB only: try Shift_JIS for the whole file
            raise FileLimitError(
                _(
                    "%(row)s行目の文字を読めませんでした。UTF-8 か Shift_JIS で保存し直してください"
                    "（一つのファイルに二つの文字コードが混ざっているかもしれません）。"
                )
                % {"row": number(getattr(exc, "row_number", 0))},
                code="import.encoding",
            ) from exc
        except csv.Error as exc:
            row = getattr(exc, "row_number", 0)
            if "field larger than field limit" in str(exc):
                raise _cell_too_long(row, None) from exc
            raise FileLimitError(
                _(
                    '%(row)s行目をCSVとして読めませんでした（引用符 " の閉じ忘れなど）。その行を確かめてください。'
                )
                % {"row": number(row)},
                code="import.csv",
            ) from exc
    raise AssertionError("unreachable")  # pragma: no cover


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
_CELL_COLUMN = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]{2,3})[0-9]")
# A run of text long enough to hold more than MAX_CELL_CHARS characters (UTF-8: at least one byte each);
# the candidates are then measured in characters.
_LONG_TEXT = re.compile(rb">([^<]{%d,})" % (MAX_CELL_CHARS + 1))
_MAX_SMALL_PART = 4 * 1024 * 1024


def _column_number(letters: bytes) -> int:
    value = 0
    for letter in letters:
        value = value * 26 + letter - 64
    return value


def _small_xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    """A small XML part of the workbook (its list of sheets, its relationships), parsed; None if absent.
    A part declaring a DTD is refused (entity expansion)."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _MAX_SMALL_PART:
        raise _unreadable()
    data = archive.read(info)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _unreadable()
    return ElementTree.fromstring(data)  # noqa: S314 - no DTD (refused above), a few kilobytes


def _first_sheet(archive: zipfile.ZipFile) -> str:
    """The path of the workbook's first sheet inside the archive."""
    workbook = _small_xml(archive, "xl/workbook.xml")
    rels = _small_xml(archive, "xl/_rels/workbook.xml.rels")
    if workbook is None or rels is None:
        raise _unreadable()
    sheet = workbook.find(f"{_MAIN}sheets/{_MAIN}sheet")
    if sheet is None:
        raise _unreadable()
    rid = sheet.get(f"{_REL}id")
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise _unreadable()


@dataclass
class _Extent:
    rows: int = 0
    cells: int = 0
    columns: int = 0


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, sheet: bool) -> _Extent:
    """Stream one XML part (1 MB at a time; zipfile never expands beyond the declared size): no DTD, no
    text longer than a cell may be, and for the sheet its rows, cells and widest column."""
    extent = _Extent()
    with archive.open(info) as stream:
        carry = b""
        while True:
            block = stream.read(1 << 20)
            data = carry + block
            if block:
                cut = data.rfind(b">")
                if cut < 0:
                    if len(data) > MAX_CELL_CHARS * 4:  # no tag in sight: a text of that many bytes
                        raise _cell_too_long(None, None)
                    carry = data
                    continue
                part, carry = data[: cut + 1], data[cut:]  # the next part starts at this ">"
            else:
                part, carry = data, b""
            if b"<!DOCTYPE" in part or b"<!ENTITY" in part:
                raise _unreadable()
            for match in _LONG_TEXT.finditer(part):
                if len(html.unescape(match.group(1).decode("utf-8", "replace"))) > MAX_CELL_CHARS:
                    raise _cell_too_long(None, None)
            if sheet:
                extent.rows += len(_ROW_TAG.findall(part))
                extent.cells += len(_CELL_TAG.findall(part))
                wide = set(_CELL_COLUMN.findall(part))
                if wide:
                    extent.columns = max(extent.columns, *(_column_number(w) for w in wide))
                if extent.rows > MAX_ROWS + 1:
                    raise _too_many_rows()
                if extent.columns > MAX_COLUMNS:
                    raise _too_many_columns(None, extent.columns)
                if extent.cells > MAX_XLSX_CELLS:
                    raise FileLimitError(
                        _(
                            "Excelファイルのセルが多すぎます（%(max)s個まで）。"
                            "CSV形式で保存し直すと、もっと大きな一覧も取り込めます。"
                        )
                        % {"max": number(MAX_XLSX_CELLS)},
                        code="import.too_many_cells",
                    )
            if not block:
                return extent


def _scan_workbook(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> _Extent:
    sheet = archive.getinfo(_first_sheet(archive))
    if sheet.file_size > MAX_XLSX_SHEET_BYTES:
        raise FileLimitError(
            _("Excelのシートが大きすぎます。CSV形式で保存し直してください。"), code="import.xlsx_sheet"
        )
    extent = _scan_part(archive, sheet, sheet=True)
    for info in infos:
        if info.filename.lower().startswith("xl/sharedstrings"):
            if info.file_size > MAX_XLSX_SHARED_STRINGS_BYTES:
                raise FileLimitError(
                    _("Excelファイルの文字が多すぎます。CSV形式で保存し直してください。"),
                    code="import.xlsx_strings",
                )
            _scan_part(archive, info, sheet=False)
    return extent


def inspect_xlsx(handle: IO[bytes]) -> FileFacts:
    """Check an .xlsx workbook without expanding it into memory: the parts its zip archive declares (how
    many, how large once expanded, how much each expands), then a streamed scan of the first sheet and
    the shared strings. Only then is the header read (openpyxl, read-only)."""
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _unreadable() from exc
    with archive:
        infos = archive.infolist()
        expanded = sum(info.file_size for info in infos)
        bomb = any(
            info.file_size > 1024 * 1024 and info.file_size > MAX_XLSX_RATIO * max(info.compress_size, 1)
            for info in infos
        )
        if len(infos) > MAX_XLSX_PARTS or expanded > MAX_XLSX_EXPANDED or bomb:
            raise FileLimitError(
                _(
                    "このExcelファイルは展開すると大きくなりすぎるため、取り込めません。"
                    "必要な列と行だけを新しいファイルにコピーして保存するか、CSV形式で保存し直してください。"
                ),
                code="import.xlsx_expands",
            )
        try:
            extent = _scan_workbook(archive, infos)
        except (KeyError, zipfile.BadZipFile, zlib.error, EOFError, ElementTree.ParseError) as exc:
            raise _unreadable() from exc  # a part missing, or not what the archive says it is
    handle.seek(0)
    try:
        rows = read_xlsx_rows(handle)
        header = next(rows, RowRead(1, [], 0))
        rows.close()
    except Exception as exc:  # openpyxl raises many kinds of errors on a broken workbook
        raise _unreadable() from exc
    return FileFacts("", header.cells, max(extent.rows - 1, 0))


def inspect_upload(handle: IO[bytes], *, name: str, size: int) -> FileFacts:
    """Check an uploaded file against every bound before it is stored (FileLimitError if it fails)."""
    if size > MAX_BYTES:
        raise FileLimitError(
            _("ファイルが大きすぎます（%(max)sMBまで）。ファイルを分けて取り込んでください。")
            % {"max": MAX_BYTES // (1024 * 1024)},
            code="import.size",
        )
    handle.seek(0)
    try:
        facts = inspect_xlsx(handle) if is_xlsx(name) else inspect_csv(handle)
    finally:
        handle.seek(0)
    if len(facts.headers) > MAX_COLUMNS:
        raise _too_many_columns(1, len(facts.headers))
    return facts
