"""Issue 11, defect 16: hostile files are refused at upload, before anything is stored, with a Japanese
message; what is accepted can be shown and run in bounded time and memory."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from ouentai.community import services
from ouentai.community.imports import files
from ouentai.community.models import CompanyImport
from ouentai.core.errors import DomainError

pytestmark = pytest.mark.django_db


def xlsx(rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite(data: bytes, part: str, change) -> bytes:
    """The same workbook with one part's XML changed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, change(content) if info.filename == part else content)
    return out.getvalue()


def refused(org, actor, data: bytes, name: str) -> DomainError:
    began = time.monotonic()
    with pytest.raises(DomainError) as error:
        services.import_upload(organization=org, upload=SimpleUploadedFile(name, data), actor=actor)
    assert time.monotonic() - began < 10
    assert error.value.field == "file"
    assert not CompanyImport.objects.exists()
    return error.value


def nothing_stored(settings) -> None:
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_defect_16_an_xlsx_with_a_100_mb_cell_is_refused_without_being_expanded(yokohama, staff, settings):
    data = rewrite(
        xlsx([["会社名"], ["みなと商事"]]),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b"</sheetData>",
            b'<row r="3"><c r="A3" t="inlineStr"><is><t>'
            + b"a" * 100_000_000
            + b"</t></is></c></row></sheetData>",
        ),
    )
    assert len(data) < 1_000_000  # 100 MB of one letter compresses to almost nothing
    error = refused(yokohama, staff, data, "bomb.xlsx")
    assert error.code == "import.xlsx_expands" and "展開すると大きく" in str(error.message)
    nothing_stored(settings)


def test_defect_16_a_cell_longer_than_the_bound_is_refused_in_xlsx_and_csv(yokohama, staff, settings):
    long_text = "あ" * (files.MAX_CELL_CHARS + 1)
    error = refused(yokohama, staff, xlsx([["会社名", "備考"], ["みなと商事", long_text]]), "long.xlsx")
    assert error.code == "import.cell_too_long" and "5,000文字" in str(error.message)
    data = f"会社名,備考\r\nみなと商事,{long_text}\r\n".encode()
    error = refused(yokohama, staff, data, "long.csv")
    assert "2行目の2列目" in str(error.message)
    huge = b'\xe4\xbc\x9a\xe7\xa4\xbe\r\n"' + b"a" * 2_000_000 + b'"\r\n'  # one quoted cell of 2 MB
    assert refused(yokohama, staff, huge, "huge.csv").code == "import.cell_too_long"
    nothing_stored(settings)


def test_defect_16_a_sheet_with_16384_columns_is_refused(yokohama, staff):
    wide = ["会社名"] + [""] * 16382 + ["x"]
    error = refused(yokohama, staff, xlsx([wide, ["みなと商事"]]), "wide.xlsx")
    assert error.code == "import.too_many_columns" and "200列まで" in str(error.message)
    error = refused(yokohama, staff, ",".join(["会社名"] + ["x"] * 300).encode(), "wide.csv")
    assert error.code == "import.too_many_columns" and "1行目" in str(error.message)


def test_defect_16_a_declared_extent_of_16384_columns_pads_nothing(client, yokohama, staff):
    data = rewrite(
        xlsx([["会社名", "電話番号"], ["みなと商事", "045-201-1234"]]),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:XFD1048576"/>'),
    )
    record = services.import_upload(
        organization=yokohama, upload=SimpleUploadedFile("declared.xlsx", data), actor=staff
    )
    assert record.headers == ["会社名", "電話番号"]
    client.force_login(staff)
    began = time.monotonic()
    page = client.get(reverse("community:import_detail", args=[record.pk]))
    assert page.status_code == 200 and time.monotonic() - began < 5
    assert len(page.content) < 100_000


def test_defect_16_a_zip_bomb_and_a_lying_archive_are_refused(yokohama, staff, monkeypatch):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            for _ in range(64):
                sheet.write(b" " * (1 << 20))  # 64 MB of nothing
    assert refused(yokohama, staff, out.getvalue(), "bomb.xlsx").code == "import.xlsx_expands"
    monkeypatch.setattr(files, "MAX_XLSX_EXPANDED", 10_000)
    assert (
        refused(yokohama, staff, xlsx([["会社名"], ["みなと商事"]]), "big.xlsx").code == "import.xlsx_expands"
    )
    monkeypatch.undo()
    # A part that holds more than its declared size: zipfile expands no more than declared, then fails.
    good = zipfile.ZipFile(io.BytesIO(xlsx([["会社名"], ["みなと商事"]])))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for item in good.infolist():
            target.writestr(item.filename, good.read(item))
        target.getinfo("xl/worksheets/sheet1.xml").file_size = 10  # what the central directory will claim
    assert refused(yokohama, staff, patched.getvalue(), "lying.xlsx").code == "import.unreadable"


def test_defect_16_entities_and_doctype_are_refused(yokohama, staff):
    data = rewrite(
        xlsx([["会社名"], ["みなと商事"]]),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><worksheet', 1
        ),
    )
    assert refused(yokohama, staff, data, "entities.xlsx").code == "import.unreadable"


def test_defect_16_too_many_rows_or_bytes_are_refused(yokohama, staff, monkeypatch):
    monkeypatch.setattr(files, "MAX_ROWS", 3)
    rows = "会社名\r\n" + "".join(f"会社{i}\r\n" for i in range(4))
    error = refused(yokohama, staff, rows.encode(), "rows.csv")
    assert error.code == "import.too_many_rows" and "3行まで" in str(error.message)
    assert refused(
        yokohama, staff, xlsx([["会社名"]] + [[f"会社{i}"] for i in range(4)]), "rows.xlsx"
    ).code == ("import.too_many_rows")
    monkeypatch.setattr(files, "MAX_BYTES", 10)
    assert "MBまで" in str(refused(yokohama, staff, rows.encode(), "big.csv").message)


def test_defect_16_a_file_that_is_not_what_it_claims_is_refused_in_japanese(client, yokohama, staff):
    assert refused(yokohama, staff, b"%PDF-1.7 \x00\x01\x02" * 50, "list.xlsx").code == "import.unreadable"
    assert refused(yokohama, staff, "会社名\r\nみなと".encode("utf-16"), "list.csv").code in (
        "import.encoding",
        "import.no_header",
        "import.unreadable",
        "import.csv",
    )
    client.force_login(staff)
    response = client.post(
        reverse("community:import_upload"), {"file": SimpleUploadedFile("bomb.xlsx", b"PK\x03\x04garbage")}
    )
    assert response.status_code == 400 and "読めませんでした" in response.content.decode()


def test_defect_16_a_wide_file_with_long_cells_renders_a_small_page(client, yokohama, staff):
    header = ["会社名"] + [f"列{i}" for i in range(1, files.MAX_COLUMNS)]
    rows = [header] + [
        ["みなと商事"] + ["あ" * files.MAX_CELL_CHARS] * (files.MAX_COLUMNS - 1) for _ in range(6)
    ]
    data = "\r\n".join(",".join(r) for r in rows).encode()
    record = services.import_upload(
        organization=yokohama, upload=SimpleUploadedFile("wide.csv", data), actor=staff
    )
    client.force_login(staff)
    page = client.get(reverse("community:import_detail", args=[record.pk]))
    assert page.status_code == 200 and len(page.content) < 2_000_000
