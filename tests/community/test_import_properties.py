"""Issue 11, item 6: the import over arbitrary files. Whatever is in the cells (control characters, huge
and negative numbers, odd encodings) and whatever the order of the columns: no 5xx, every row either
written or reported with its row number (never both, never neither), nothing left behind by a refused
row, and the export of what was stored always succeeds."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from ouentai.community import services
from ouentai.community.imports import data_rows, read_rows
from ouentai.community.models import Company, CompanyImport, CompanyImportRow, Contact
from ouentai.community.services.imports import import_run
from ouentai.core.models import AuditEntry

pytestmark = pytest.mark.django_db

HEADERS = [
    "電話番号",
    "郵便番号",
    "住所",
    "従業員数",
    "資本金",
    "業種",
    "法人番号",
    "担当者名",
    "メールアドレス",
    "フリガナ",
    "備考",
]

_numbers = st.integers(min_value=-(10**25), max_value=10**25).map(str)
_wide_numbers = _numbers.map(lambda s: s.translate(str.maketrans("0123456789-", "０１２３４５６７８９－")))
_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"])
    | st.sampled_from('\x00\x01\x1b\u202e\r\n\t,"＝|ｶﾀ㈱髙'),
    max_size=40,
)
_cell = st.one_of(
    st.just(""),
    _text,
    _numbers,
    _wide_numbers,
    st.sampled_from(
        [
            "045-201-1234",
            "231-0023",
            "7000012050002",
            "700001205000",
            "製造業",
            "E",
            "1000万",
            "info@example.jp",
            "x@",
            "神奈川県横浜市中区山下町1-2",
        ]
    ),
)


_name = st.one_of(
    st.sampled_from(["株式会社みなと精機", "ﾐﾅﾄ精機㈱", "さくら商店", "（有）ベイ設計", "髙橋商店"]),
    st.builds(lambda n, suffix: f"{n}{suffix}", _text, st.sampled_from(["", "株式会社", "(株)"])),
    _cell,
)


@st.composite
def files(draw) -> tuple[str, bytes, int]:
    others = draw(st.lists(st.sampled_from(HEADERS), unique=True, max_size=len(HEADERS)))
    headers = draw(st.permutations(["会社名", *others]))
    row = st.fixed_dictionaries({h: _name if h == "会社名" else _cell for h in headers})
    extra = st.lists(_cell, max_size=2)  # cells beyond the header, as spreadsheets leave them
    rows = [
        [values[h] for h in headers] + tail
        for values, tail in draw(st.lists(st.tuples(row, extra), min_size=1, max_size=8))
    ]
    rows += draw(st.lists(st.lists(st.sampled_from(["", " ", "\u3000"]), max_size=3), max_size=2))  # blank
    kind = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp932", "xlsx"]))
    if kind == "xlsx":
        workbook = Workbook()
        for row in [headers, *rows]:
            # A workbook cannot hold C0 controls at all: Excel never writes them.
            workbook.active.append(
                [c.translate(dict.fromkeys(range(32), None)) if isinstance(c, str) else c for c in row]
            )
        binary = io.BytesIO()
        workbook.save(binary)
        return "list.xlsx", binary.getvalue(), len(rows)
    text = io.StringIO(newline="")
    csv.writer(text).writerows([headers, *rows])
    return "list.csv", text.getvalue().encode(kind, errors="replace"), len(rows)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(upload=files())
def test_any_file_is_written_or_reported_row_by_row_and_exports(client, yokohama, staff, upload):
    name, data, _rows = upload
    client.force_login(staff)
    before = CompanyImport.objects.count()
    response = client.post(reverse("community:import_upload"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code in (302, 400)
    event(f"upload {response.status_code} {name}")
    if response.status_code == 400:
        assert CompanyImport.objects.count() == before  # nothing stored
        return
    record = CompanyImport.objects.latest("pk")
    detail = reverse("community:import_detail", args=[record.pk])
    assert client.get(detail).status_code == 200
    if "name" not in record.mapping:
        return  # the name column was not recognised: staff map it by hand
    companies_before, contacts_before = Company.objects.count(), Contact.objects.count()
    record = services.import_start(record=record, mapping=record.mapping, dry_run=False, actor=staff)
    while import_run(record.pk) not in ("done", "failed"):
        pass
    record.refresh_from_db()
    assert record.status == "done"
    with record.file.open("rb") as handle:
        numbers = {row.number for row in data_rows(read_rows(handle, name=name, encoding=record.encoding))}
    written = {
        int(source.rsplit(":", 1)[1])
        for source in AuditEntry.objects.filter(
            action="community.company.created", details__source__startswith=f"import:{record.pk}:"
        ).values_list("details__source", flat=True)
    }
    reported = set(CompanyImportRow.objects.filter(company_import=record).values_list("number", flat=True))
    event(f"rows written {min(len(written), 3)}+, reported {min(len(reported), 3)}+")
    assert written | reported == numbers and not written & reported
    assert record.processed_rows == len(numbers) == record.total_rows
    assert (record.created_count, record.duplicate_count + record.error_count) == (
        len(written),
        len(reported),
    )
    assert Company.objects.count() - companies_before == len(written)  # a refused row left no company
    new_contacts = Contact.objects.count() - contacts_before
    assert new_contacts <= len(written)  # ... and no contact
    assert client.get(detail).status_code == 200
    for file_format in ("csv", "csv-cp932", "xlsx"):
        export = client.get(reverse("community:company_export"), {"format": file_format})
        assert export.status_code == 200
        content = b"".join(export.streaming_content) if export.streaming else export.content
        if file_format == "xlsx":
            assert load_workbook(io.BytesIO(content), read_only=True).active is not None
        else:
            assert (
                len(
                    list(
                        csv.reader(
                            io.StringIO(content.decode("cp932" if "cp932" in file_format else "utf-8-sig"))
                        )
                    )
                )
                >= 1
            )
