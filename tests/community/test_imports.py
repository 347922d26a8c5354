import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from ouentai.community import services
from ouentai.community.models import Company, CompanyImport, CompanyImportRow, Contact
from ouentai.community.services import imports as imports_service
from ouentai.community.services.imports import import_run
from ouentai.core.errors import DomainError

pytestmark = pytest.mark.django_db

ROWS = [
    ["会社名", "フリガナ", "電話番号", "郵便番号", "従業員数", "業種", "担当者名", "メールアドレス"],
    [
        "株式会社みなと精機",
        "ﾐﾅﾄｾｲｷ",
        "045-201-1234",
        "231-0023",
        "45",
        "製造業",
        "田中 誠",
        "tanaka@minato.example.jp",
    ],
    ["有限会社さくら商店", "さくらしょうてん", "０４５－２２２－０００３", "", "4", "I", "", ""],
    ["", "カナだけ", "", "", "", "", "", ""],  # no company name
    ["ベイ設計", "", "12345", "", "たくさん", "", "", ""],  # bad phone and count
    ["ミナト精機㈱", "", "", "", "", "", "", ""],  # the first row again, typed another way
]


def csv_bytes(rows, encoding):
    text = "\r\n".join(",".join(r) for r in rows) + "\r\n"
    return text.encode(encoding)


def upload(org, actor, data: bytes, name: str) -> CompanyImport:
    return services.import_upload(organization=org, upload=SimpleUploadedFile(name, data), actor=actor)


def run(record, *, dry_run, actor):
    record = services.import_start(record=record, mapping=record.mapping, dry_run=dry_run, actor=actor)
    while import_run(record.pk) not in ("done", "failed"):  # what the worker runs, chunk after chunk
        pass
    record.refresh_from_db()
    return record


def report(record) -> list[dict]:
    """The rows the import reported, as the page lists them."""
    return [
        {"row": r.number, "kind": r.kind, "messages": r.messages}
        for r in CompanyImportRow.objects.filter(company_import=record).order_by("number")
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp932"])
def test_csv_in_any_japanese_encoding_is_read_and_mapped(yokohama, staff, encoding):
    record = upload(yokohama, staff, csv_bytes(ROWS, encoding), "会員名簿.csv")
    assert record.headers[0] == "会社名"
    assert record.mapping == {
        "name": 0, "name_kana": 1, "phone": 2, "postal_code": 3, "employees": 4, "industry": 5,
        "contact_name": 6, "email": 7,
    }  # fmt: skip


def test_dry_run_reports_rows_and_writes_nothing(yokohama, staff):
    record = upload(yokohama, staff, csv_bytes(ROWS, "cp932"), "list.csv")
    record = run(record, dry_run=True, actor=staff)
    assert record.status == "done" and record.total_rows == 5
    assert (record.created_count, record.duplicate_count, record.error_count) == (2, 1, 2)
    assert Company.objects.count() == 0
    by_row = {r["row"]: r for r in report(record)}
    assert by_row[4]["kind"] == "error" and any("会社名" in m for m in by_row[4]["messages"])
    assert by_row[5]["kind"] == "error"
    assert any("電話番号" in m for m in by_row[5]["messages"]) and any(
        "従業員数" in m for m in by_row[5]["messages"]
    )
    assert by_row[6]["kind"] == "duplicate"


def test_import_creates_companies_and_contacts_and_skips_duplicates(yokohama, staff):
    services.company_create(
        organization=yokohama, data=services.CompanyData(name="さくら商店（有）"), actor=staff
    )
    record = upload(yokohama, staff, csv_bytes(ROWS, "utf-8-sig"), "list.csv")
    record = run(record, dry_run=False, actor=staff)
    assert (record.created_count, record.duplicate_count, record.error_count) == (1, 2, 2)
    minato = Company.objects.get(name="株式会社みなと精機")
    assert minato.name_kana == "ミナトセイキ" and minato.phone == "+81452011234" and minato.industry == "E"
    assert minato.city == "横浜市中区"
    assert Contact.objects.get().email == "tanaka@minato.example.jp"
    assert Company.objects.count() == 2  # the existing さくら商店 was not duplicated
    with pytest.raises(DomainError):
        services.import_start(record=record, mapping=record.mapping, dry_run=False, actor=staff)


def test_xlsx_import(yokohama, staff):
    workbook = Workbook()
    for row in ROWS[:3]:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    record = upload(yokohama, staff, buffer.getvalue(), "list.xlsx")
    record = run(record, dry_run=False, actor=staff)
    assert record.created_count == 2
    assert Company.objects.get(name="有限会社さくら商店").employees == 4


def test_a_restarted_task_resumes_without_writing_a_row_twice(yokohama, staff, monkeypatch):
    monkeypatch.setattr(imports_service, "BATCH_ROWS", 1)
    record = upload(yokohama, staff, csv_bytes(ROWS[:3], "utf-8"), "list.csv")
    record = services.import_start(record=record, mapping=record.mapping, dry_run=False, actor=staff)
    original = imports_service._commit_batch
    batches: list[object] = []

    def killed_after_row_2(*args, **kwargs):
        if len(batches) == 2:  # the header, then row 2 were committed
            raise SystemExit("the worker was killed here")
        batches.append(args[1])
        return original(*args, **kwargs)

    monkeypatch.setattr(imports_service, "_commit_batch", killed_after_row_2)
    with pytest.raises(SystemExit):
        import_run(record.pk)
    record.refresh_from_db()
    assert (record.processed_rows, record.created_count, record.next_row) == (1, 1, 3)
    assert Company.objects.get().name == "株式会社みなと精機"
    monkeypatch.setattr(imports_service, "_commit_batch", original)
    assert import_run(record.pk) == "done"  # the queue runs the task again
    record.refresh_from_db()
    assert record.processed_rows == 2 and record.created_count == 2 and record.duplicate_count == 0
    assert Company.objects.count() == 2


def test_wrong_files_are_refused_in_japanese(yokohama, staff):
    with pytest.raises(DomainError) as error:
        upload(yokohama, staff, b"\x00\x01", "list.pdf")
    assert error.value.code == "import.type"
    with pytest.raises(DomainError):
        upload(yokohama, staff, b"\r\n\r\n", "empty.csv")


def test_console_flow_and_permissions(client, yokohama, staff, kawasaki_staff, coordinator):
    client.force_login(staff)
    response = client.post(
        reverse("community:import_upload"), {"file": SimpleUploadedFile("list.csv", csv_bytes(ROWS, "cp932"))}
    )
    record = CompanyImport.objects.get()
    assert response["Location"] == reverse("community:import_detail", args=[record.pk])
    page = client.get(response["Location"]).content.decode()
    assert "先頭の行の点検" in page and "株式会社みなと精機" in page
    mapping = {k: str(v) for k, v in record.mapping.items()}
    started = client.post(response["Location"], {**mapping, "run": "dry"})
    assert started.status_code == 302
    record.refresh_from_db()
    assert record.status == "queued" and record.dry_run
    assert 'http-equiv="refresh"' in client.get(response["Location"]).content.decode()
    client.force_login(kawasaki_staff)
    assert client.get(response["Location"]).status_code == 404
    client.force_login(coordinator)
    assert client.get(reverse("community:import_upload")).status_code == 403


@pytest.mark.parametrize("typed", ["P", "P 医療，福祉", "医療，福祉", "医療,福祉", "医療"])
def test_industry_accepts_what_the_export_writes(typed):
    from ouentai.community.imports import check_row

    checked = check_row(2, ["株式会社テスト", typed], {"name": 0, "industry": 1})
    assert checked.errors == [] and checked.company is not None and checked.company.industry == "P"
