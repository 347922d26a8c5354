"""Issue 11, defects 10, 13 and 18: the company import at its edges (each test fails on the code before
the fix)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError
from django.urls import reverse
from django.utils import timezone
from django_q.models import OrmQ

from ouentai.community import services
from ouentai.community.imports import check_row
from ouentai.community.imports.files import MAX_BYTES
from ouentai.community.models import Company, CompanyImport, CompanyImportRow, Contact
from ouentai.community.services import imports as imports_service
from ouentai.community.services.imports import import_run
from ouentai.core.errors import DomainError

pytestmark = pytest.mark.django_db

HEADER = ["会社名", "電話番号", "郵便番号", "住所", "従業員数", "担当者名", "メールアドレス"]


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def upload(org, actor, data: bytes, name: str = "list.csv") -> CompanyImport:
    return services.import_upload(organization=org, upload=SimpleUploadedFile(name, data), actor=actor)


def run_all(record: CompanyImport) -> CompanyImport:
    for _ in range(10_000):
        if import_run(record.pk) in ("done", "failed"):
            break
    record.refresh_from_db()
    return record


def start(record: CompanyImport, actor, *, dry_run: bool = False) -> CompanyImport:
    record = services.import_start(record=record, mapping=record.mapping, dry_run=dry_run, actor=actor)
    return run_all(record)


def reported(record: CompanyImport) -> dict[int, CompanyImportRow]:
    return {r.number: r for r in CompanyImportRow.objects.filter(company_import=record)}


# ---------------------------------------------------------------------------------------------------
# Defect 10


def test_defect_10_rows_with_an_email_but_no_contact_name_are_imported_and_keep_the_address(yokohama, staff):
    rows = [HEADER]
    for i in range(17):
        named = i % 17 >= 7  # 7 of 17 rows have an e-mail address and no name, as in the field trial
        rows.append(
            [
                f"株式会社テスト{i:02d}",
                "",
                "",
                "",
                "",
                "山田 太郎" if named else "",
                f"info@test{i:02d}.example.jp",
            ]
        )
    record = start(upload(yokohama, staff, csv_bytes(rows)), staff)
    assert (record.created_count, record.error_count, record.duplicate_count) == (17, 0, 0)
    nameless = Contact.objects.filter(name="")
    assert nameless.count() == 7
    assert sorted(nameless.values_list("email", flat=True))[0] == "info@test00.example.jp"
    client_company = Company.objects.get(name="株式会社テスト00")
    assert str(client_company.contacts.get()) == "（氏名未登録）"


def test_defect_10_a_contact_known_by_email_only_can_be_kept_and_edited_in_the_console(
    client, yokohama, staff
):
    company = services.company_create(
        organization=yokohama, data=services.CompanyData(name="港商事"), actor=None
    )
    client.force_login(staff)
    contact = services.contact_create(
        company=company, data=services.ContactData(name="", email="info@minato.example.jp"), actor=staff
    )
    page = client.get(reverse("community:company_detail", args=[company.pk])).content.decode()
    assert "（氏名未登録）" in page and "info@minato.example.jp" in page
    with pytest.raises(DomainError):  # a contact with nothing at all to reach them by is still refused
        services.contact_create(company=company, data=services.ContactData(name=""), actor=staff)
    edit = reverse("community:contact_edit", args=[company.pk, contact.pk])
    response = client.post(edit, {"name": "", "email": "info@minato.example.jp", "phone": "045-201-1234"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.phone) == ("", "+81452011234")


def test_defect_10_held_duplicate_is_added_to_the_existing_company_filling_blanks_only(yokohama, staff):
    existing = services.company_create(
        organization=yokohama,
        data=services.CompanyData(name="株式会社みなと精機", phone="+81452011234", employees=40),
        actor=None,
    )
    rows = [
        HEADER,
        [
            "ミナト精機(株)",
            "045-201-9999",
            "231-0023",
            "1-2-3 みなとビル",
            "45",
            "田中 誠",
            "tanaka@minato.example.jp",
        ],
    ]
    record = start(upload(yokohama, staff, csv_bytes(rows)), staff)
    assert record.duplicate_count == 1 and Company.objects.count() == 1
    held = CompanyImportRow.objects.get(company_import=record)
    assert held.candidates == [existing.pk] and held.data["contact"]["email"] == "tanaka@minato.example.jp"
    services.import_row_add_to_company(row=held, company=existing, actor=staff)
    existing.refresh_from_db()
    assert existing.phone == "+81452011234" and existing.employees == 40  # kept: not overwritten
    assert (existing.postal_code, existing.city, existing.address) == (
        "2310023",
        "横浜市中区",
        "1-2-3 みなとビル",
    )
    assert existing.contacts.get().name == "田中 誠"
    held.refresh_from_db()
    assert held.resolution == "merged" and held.resolved_company == existing
    with pytest.raises(DomainError):
        services.import_row_create(row=held, actor=staff)  # decided once


def test_defect_10_held_duplicate_can_be_imported_anyway_or_left_out_from_the_page(
    client, yokohama, staff, kawasaki_staff, coordinator
):
    services.company_create(organization=yokohama, data=services.CompanyData(name="さくら商店"), actor=None)
    rows = [
        HEADER,
        ["有限会社さくら商店", "", "", "", "", "", "hana@sakura.example.jp"],
        ["さくら商店", "", "", "", "", "", ""],
    ]
    record = start(upload(yokohama, staff, csv_bytes(rows)), staff)
    first, second = CompanyImportRow.objects.filter(company_import=record).order_by("number")
    url = reverse("community:import_detail", args=[record.pk])
    client.force_login(staff)
    page = client.get(url).content.decode()
    assert "重複の可能性で保留した行" in page and "選んだ企業に追加" in page and "別の企業として登録" in page
    row_url = reverse("community:import_row", args=[record.pk, first.pk])
    client.force_login(kawasaki_staff)
    assert client.post(row_url, {"action": "create"}).status_code == 404
    client.force_login(coordinator)
    assert client.post(row_url, {"action": "create"}).status_code == 403
    client.force_login(staff)
    assert client.post(row_url, {"action": "create"}).status_code == 302
    created = Company.objects.get(name="有限会社さくら商店")
    assert created.contacts.get().email == "hana@sakura.example.jp"
    client.post(reverse("community:import_row", args=[record.pk, second.pk]), {"action": "skip"})
    second.refresh_from_db()
    assert second.resolution == "skipped" and Company.objects.count() == 2
    assert "別の企業として登録" in client.get(url).content.decode()  # the decision stays visible


@pytest.mark.parametrize(
    ("typed", "city", "town", "rest"),
    [
        ("神奈川県横浜市中区山下町1-2", "横浜市中区", "山下町", "1-2"),
        ("横浜市中区山下町1-2 みなとビル4階", "横浜市中区", "山下町", "1-2 みなとビル4階"),
        ("中区山下町1-2", "横浜市中区", "山下町", "1-2"),
        ("1-2-3", "横浜市中区", "山下町", "1-2-3"),
    ],
)
def test_defect_10_a_full_address_is_not_given_the_city_again(typed, city, town, rest):
    checked = check_row(2, ["みなと商事", "231-0023", typed], {"name": 0, "postal_code": 1, "address": 2})
    assert checked.errors == [] and checked.company is not None
    c = checked.company
    assert (c.prefecture, c.city, c.town, c.address) == ("神奈川県", city, town, rest)
    whole = f"{c.prefecture}{c.city}{c.town}{c.address}"
    assert whole.count("横浜市") == 1 and whole.count("山下町") == 1


def test_defect_10_an_address_of_another_prefecture_than_its_postal_code_is_reported():
    checked = check_row(
        2, ["みなと商事", "231-0023", "東京都千代田区丸の内1-1"], {"name": 0, "postal_code": 1, "address": 2}
    )
    assert checked.company is None and "東京都" in checked.errors[0] and "神奈川県" in checked.errors[0]


def test_defect_10_blank_rows_are_skipped_in_the_preview_the_dry_run_and_the_import_alike(yokohama, staff):
    rows = [
        HEADER,
        ["みなと商事", "", "", "", "", "", ""],
        ["", "", "", "", "", "", ""],
        ["ベイ設計", "", "", "", "", "", ""],
        [" ", "", ""],
    ]
    data = csv_bytes(rows) + b"\r\n\r\n,,,\r\n"
    record = upload(yokohama, staff, data)
    assert record.total_rows == 2
    preview = services.import_preview(record, record.mapping)
    assert [(number, errors) for number, _cells, errors in preview] == [(2, []), (4, [])]
    dry = start(record, staff, dry_run=True)
    assert (dry.processed_rows, dry.created_count, dry.error_count) == (2, 2, 0)
    done = start(dry, staff)
    assert (done.processed_rows, done.created_count, done.error_count) == (2, 2, 0)


def test_defect_10_every_message_names_the_column_and_says_what_to_do():
    headers = ["企業名", "TEL", "従業員", "資本金", "メール", "業種", "法人番号"]
    mapping = {
        "name": 0,
        "phone": 1,
        "employees": 2,
        "capital_yen": 3,
        "email": 4,
        "industry": 5,
        "corporate_number": 6,
    }
    checked = check_row(2, ["", "12", "-3", "たくさん", "x@", "宇宙業", "700001205000"], mapping, headers)
    assert checked.company is None and len(checked.errors) == 7
    for message in checked.errors:
        assert re.match(r"^「[^」]+」列", message), message
        assert "このフィールドは必須です" not in message
    by_column = {m.split("：", 1)[0]: m.split("：", 1)[1] for m in checked.errors}
    assert "入れるか、この行を削除してください" in by_column["「企業名」列（会社名）"]
    assert "13桁" in by_column["「法人番号」列"] and "検査用数字" not in by_column["「法人番号」列"]


def test_defect_10_twelve_digit_corporate_number_is_told_it_needs_13_digits():
    from ouentai.core.fields import CorporateNumberField

    field = CorporateNumberField()
    with pytest.raises(Exception) as error:
        field.clean("700001205000")
    assert "13桁" in str(error.value) and "検査用数字" not in str(error.value)
    with pytest.raises(Exception) as error:
        field.clean("7000012050003")
    assert "検査用数字" in str(error.value)


def test_defect_10_the_export_has_the_main_contact_and_imports_again(client, yokohama, staff):
    company = services.company_create(
        organization=yokohama,
        data=services.CompanyData(name="株式会社みなと精機", phone="+81452011234", postal_code="2310023"),
        actor=None,
    )
    services.contact_create(
        company=company,
        data=services.ContactData(name="田中 誠", email="tanaka@minato.example.jp", phone="+819012345678"),
        actor=None,
    )
    services.contact_create(
        company=company, data=services.ContactData(name="二番目", email="b@x.example.jp"), actor=None
    )
    client.force_login(staff)
    response = client.get(reverse("community:company_export"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text)))[:2]
    values = dict(zip(header, row, strict=True))
    assert values["担当者名"] == "田中 誠" and values["メールアドレス"] == "tanaka@minato.example.jp"
    assert values["担当者の電話番号"] == "090-1234-5678"
    again = upload(yokohama, staff, text.encode("utf-8-sig"), "export.csv")
    for target in ("name", "phone", "postal_code", "contact_name", "email", "contact_phone", "capital_yen"):
        assert target in again.mapping, target
    assert start(again, staff, dry_run=True).duplicate_count == 1


# ---------------------------------------------------------------------------------------------------
# Defect 13


FIVE_ROWS = [
    ["会社名", "従業員数"],
    ["一番商事", "10"],
    ["二番商事", "20"],
    ["三番商事", "99999999999"],
    ["四番商事", "40"],
    ["五番商事", "50"],
]


def test_defect_13_a_number_beyond_the_column_is_a_row_error_and_the_rest_is_written(yokohama, staff):
    record = start(upload(yokohama, staff, csv_bytes(FIVE_ROWS)), staff)
    assert record.status == "done" and record.percent == 100
    assert (record.created_count, record.error_count) == (4, 1)
    assert sorted(Company.objects.values_list("name", flat=True)) == sorted(
        r[0] for r in FIVE_ROWS[1:] if r[0] != "三番商事"
    )
    error = reported(record)[4]
    assert (
        error.kind == "error" and "「従業員数」列" in error.messages[0] and "10,000,000" in error.messages[0]
    )


def test_defect_13_a_row_the_database_refuses_is_rolled_back_alone_and_reported(yokohama, staff, monkeypatch):
    original = imports_service.contact_create

    def refusing(*, company, data, actor, source=""):
        if data.email == "bad@example.jp":
            raise DataError("value out of range")
        return original(company=company, data=data, actor=actor, source=source)

    monkeypatch.setattr(imports_service, "contact_create", refusing)
    rows = [
        ["会社名", "メールアドレス"],
        ["一番商事", "a@example.jp"],
        ["二番商事", "bad@example.jp"],
        ["三番商事", "c@example.jp"],
    ]
    record = start(upload(yokohama, staff, csv_bytes(rows)), staff)
    assert record.status == "done" and (record.created_count, record.error_count) == (2, 1)
    assert not Company.objects.filter(name="二番商事").exists()  # the company of that row went with it
    assert "DataError" in reported(record)[3].messages[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_defect_13_numeric_value_out_of_range_on_postgresql_costs_one_row(yokohama, staff, monkeypatch):
    from ouentai.community.imports.rows import ImportRowForm

    field = ImportRowForm.base_fields["employees"]
    monkeypatch.setattr(field, "max_value", 10**15)  # let the database refuse it
    record = start(upload(yokohama, staff, csv_bytes(FIVE_ROWS)), staff)
    assert record.status == "done" and (record.created_count, record.error_count) == (4, 1)
    assert reported(record)[4].messages[0].startswith("この行は登録できませんでした")
    assert Company.objects.count() == 4


def test_defect_13_a_run_that_keeps_failing_ends_failed_and_staff_retry_or_discard(
    client, yokohama, staff, monkeypatch, django_capture_on_commit_callbacks
):
    record = upload(yokohama, staff, csv_bytes(FIVE_ROWS))
    record = services.import_start(record=record, mapping=record.mapping, dry_run=False, actor=staff)

    def broken(record):
        raise OSError("storage is not reachable")

    monkeypatch.setattr(imports_service, "_run_chunk", broken)
    for _attempt in range(imports_service.MAX_ATTEMPTS - 1):
        with pytest.raises(OSError):
            import_run(record.pk)  # the queue tries again later
    assert import_run(record.pk) == "failed"
    record.refresh_from_db()
    assert record.status == "failed" and "storage is not reachable" in record.last_error
    client.force_login(staff)
    url = reverse("community:import_detail", args=[record.pk])
    page = client.get(url).content.decode()
    assert "続きから再開" in page and "取りやめる" in page and 'http-equiv="refresh"' not in page
    monkeypatch.undo()
    assert client.post(url, {"action": "retry"}).status_code == 302
    record = run_all(record)
    assert record.status == "done" and record.created_count == 4
    # Another one that failed is discarded: its file goes, and it cannot be started again.
    other = upload(yokohama, staff, csv_bytes(FIVE_ROWS))
    CompanyImport.objects.filter(pk=other.pk).update(status="failed")
    stored = Path(other.file.path)
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("community:import_detail", args=[other.pk]), {"action": "discard"})
    other.refresh_from_db()
    assert other.status == "discarded" and not other.file and not stored.exists()
    with pytest.raises(DomainError):
        services.import_start(record=other, mapping=other.mapping, dry_run=True, actor=staff)


def test_defect_13_an_import_whose_task_was_lost_is_offered_for_retry(client, yokohama, staff):
    record = upload(yokohama, staff, csv_bytes(FIVE_ROWS))
    record = services.import_start(record=record, mapping=record.mapping, dry_run=True, actor=staff)
    OrmQ.objects.all().delete()  # dropped by a worker with other settings
    client.force_login(staff)
    url = reverse("community:import_detail", args=[record.pk])
    assert "続きから再開" not in client.get(url).content.decode()
    CompanyImport.objects.filter(pk=record.pk).update(
        status="running", heartbeat_at=timezone.now() - imports_service.STALLED_AFTER * 2
    )
    page = client.get(url).content.decode()
    assert "進んでいません" in page and "続きから再開" in page and 'http-equiv="refresh"' not in page
    client.post(url, {"action": "retry"})
    assert OrmQ.objects.count() == 1
    assert run_all(record).status == "done"


def test_defect_13_a_failed_dry_run_can_be_run_again(yokohama, staff):
    record = upload(yokohama, staff, csv_bytes(FIVE_ROWS))
    CompanyImport.objects.filter(pk=record.pk).update(status="failed", dry_run=True, processed_rows=2)
    record.refresh_from_db()
    assert start(record, staff, dry_run=True).status == "done"


# ---------------------------------------------------------------------------------------------------
# Defect 18


def test_defect_18_a_long_run_goes_in_chunks_that_resume_where_the_last_one_stopped(
    yokohama, staff, monkeypatch
):
    monkeypatch.setattr(imports_service, "BATCH_ROWS", 25)
    monkeypatch.setattr(imports_service, "CHUNK_SECONDS", 0.0)  # every chunk stops after one batch
    rows = [["会社名", "電話番号"]] + [[f"会社{i:04d}", ""] for i in range(300)]
    record = upload(yokohama, staff, csv_bytes(rows))
    record = services.import_start(record=record, mapping=record.mapping, dry_run=True, actor=staff)
    starts: list[int] = []
    original = imports_service.read_csv_rows

    def recorded(handle, *, encoding, start=0, first=1):
        starts.append(start)
        return original(handle, encoding=encoding, start=start, first=first)

    monkeypatch.setattr(imports_service, "read_csv_rows", recorded)
    outcomes = []
    while (outcome := import_run(record.pk)) not in ("done", "failed"):
        outcomes.append(outcome)
        assert OrmQ.objects.count() >= len(outcomes) + 1  # each chunk queued the next one
    record.refresh_from_db()
    assert record.status == "done" and record.created_count == 300 and record.processed_rows == 300
    assert len(outcomes) >= 12 and set(outcomes) == {"continues"}
    assert starts == sorted(starts) and len(set(starts)) == len(starts)  # never read from the start again


def test_defect_18_an_xlsx_is_turned_into_csv_once_then_read_in_chunks(yokohama, staff, monkeypatch):
    from openpyxl import Workbook

    monkeypatch.setattr(imports_service, "BATCH_ROWS", 10)
    monkeypatch.setattr(imports_service, "CHUNK_SECONDS", 0.0)
    workbook = Workbook()
    workbook.active.append(["会社名", "従業員数"])
    for i in range(45):
        workbook.active.append([f"会社{i:02d}", i])
    buffer = io.BytesIO()
    workbook.save(buffer)
    record = start(upload(yokohama, staff, buffer.getvalue(), "list.xlsx"), staff)
    assert record.status == "done" and record.created_count == 45 and record.work_file
    assert Company.objects.get(name="会社07").employees == 7


def test_defect_18_the_documented_proxy_limit_fits_the_upload_limit():
    text = (Path(__file__).parents[2] / "docs" / "operators" / "deployment.md").read_text()
    block = re.search(r"location = /console/companies/import/ \{(.*?)\}", text, re.DOTALL)
    assert block is not None, "the nginx example must let the import's uploads through"
    size = re.search(r"client_max_body_size\s+(\d+)m;", block.group(1))
    assert size is not None and int(size.group(1)) * 1024 * 1024 > MAX_BYTES
    assert reverse("community:import_upload") == "/console/companies/import/"


@pytest.mark.parametrize("rows", [3, 40])
def test_the_import_page_reads_a_fixed_number_of_queries_however_many_rows_it_reports(
    client, yokohama, staff, rows, django_assert_max_num_queries
):
    existing = [
        services.company_create(
            organization=yokohama, data=services.CompanyData(name=f"会社{i:02d}"), actor=None
        )
        for i in range(rows)
    ]
    data = [["会社名", "電話番号"]] + [[c.name, ""] for c in existing] + [["", "12"]] * rows
    record = start(upload(yokohama, staff, csv_bytes(data)), staff)
    assert record.duplicate_count == rows
    client.force_login(staff)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("community:import_detail", args=[record.pk]))
    assert page.status_code == 200 and page.content.decode().count("選んだ企業に追加") == rows
