"""Importing companies from a file: upload, column mapping, then a dry run or the import itself, run by
the task worker row by row (each row committed with the progress counter, so a restarted task resumes
where it stopped and no row is written twice)."""

from __future__ import annotations

from contextlib import closing
from typing import IO, cast

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_q.tasks import async_task

from ouentai.accounts.models import Organization, User
from ouentai.community.dedup import duplicate_candidates
from ouentai.community.imports import (
    MAX_REPORTED,
    REQUIRED,
    TARGETS,
    check_row,
    detect_encoding,
    guess_mapping,
    is_xlsx,
    read_rows,
)
from ouentai.community.models import CompanyImport
from ouentai.community.services.companies import company_create, contact_create
from ouentai.core.audit import audit_record
from ouentai.core.errors import DomainError
from ouentai.core.jp import match_key

MAX_BYTES = 50 * 1024 * 1024
RUN_TASK = "ouentai.community.tasks.company_import_run"


def import_upload(*, organization: Organization, upload: UploadedFile, actor: User) -> CompanyImport:
    """Keep an uploaded .csv or .xlsx file and read its header row; guess the column mapping."""
    name = upload.name or "upload.csv"
    if not (name.lower().endswith(".csv") or is_xlsx(name)):
        raise DomainError(
            _("CSV（.csv）か Excel（.xlsx）のファイルを選んでください。"), code="import.type", field="file"
        )
    if upload.size and upload.size > MAX_BYTES:
        raise DomainError(_("ファイルが大きすぎます（50MBまで）。"), code="import.size", field="file")
    head = upload.read(65536)
    upload.seek(0)
    encoding = "" if is_xlsx(name) else detect_encoding(head)
    try:
        rows = read_rows(cast(IO[bytes], upload), name=name, encoding=encoding)
        headers = next(rows, [])
        rows.close()
    except (UnicodeDecodeError, ValueError, OSError) as exc:
        raise DomainError(
            _("ファイルを読めませんでした。形式と文字コードを確認してください。"),
            code="import.unreadable",
            field="file",
        ) from exc
    upload.seek(0)
    if not any(h.strip() for h in headers):
        raise DomainError(_("1行目に見出しがありません。"), code="import.no_header", field="file")
    with transaction.atomic():
        record = CompanyImport.objects.create(
            organization=organization,
            file=upload,
            original_name=name[:200],
            encoding=encoding,
            headers=[h.strip() for h in headers],
            mapping=guess_mapping(headers),
            uploaded_by=actor,
        )
        audit_record(actor=actor, action="community.import.uploaded", target=record, details={"file": name})
    return record


def import_preview(
    record: CompanyImport, mapping: dict[str, int], rows: int = 5
) -> list[tuple[int, list[str], list[str]]]:
    """The first rows as they would be read: (row number, cells, errors)."""
    preview = []
    with (
        record.file.open("rb") as handle,
        closing(read_rows(handle, name=record.original_name, encoding=record.encoding)) as reader,
    ):
        next(reader, None)
        for number, cells in enumerate(reader, start=2):
            checked = check_row(number, cells, mapping)
            preview.append((number, cells, checked.errors))
            if len(preview) >= rows:
                break
    return preview


def import_start(
    *, record: CompanyImport, mapping: dict[str, int], dry_run: bool, actor: User
) -> CompanyImport:
    """Check the mapping and queue the dry run or the import. Refused while one is running."""
    missing = [str(TARGETS[t][0]) for t in REQUIRED if t not in mapping]
    if missing:
        raise DomainError(
            _("「%(fields)s」の列を選んでください。") % {"fields": "、".join(missing)}, code="import.mapping"
        )
    if len(set(mapping.values())) != len(mapping):
        raise DomainError(_("同じ列を二つの項目に対応づけることはできません。"), code="import.mapping")
    with transaction.atomic():
        record = CompanyImport.objects.select_for_update().get(pk=record.pk)
        if record.status in (CompanyImport.Status.QUEUED, CompanyImport.Status.RUNNING):
            raise DomainError(_("この取り込みは実行中です。"), code="import.running")
        if record.status == CompanyImport.Status.DONE and not record.dry_run:
            raise DomainError(_("この取り込みは完了しています。"), code="import.done")
        record.mapping = mapping
        record.dry_run = dry_run
        record.status = CompanyImport.Status.QUEUED
        record.total_rows = record.processed_rows = record.created_count = 0
        record.duplicate_count = record.error_count = 0
        record.report = []
        record.finished_at = None
        record.save()
        async_task(RUN_TASK, record.pk, task_name=f"import-{record.pk}", group="import")
        audit_record(
            actor=actor,
            action="community.import.started",
            target=record,
            details={"dry_run": dry_run, "mapping": mapping},
        )
    return record


def _note(record: CompanyImport, entry: dict[str, object]) -> bool:
    """Add a reported row (up to MAX_REPORTED); True when the report changed."""
    if len(record.report) < MAX_REPORTED:
        record.report.append(entry)
        return True
    return False


def import_run(import_id: int) -> str:
    """Process the rows not processed yet (the task). Errors and likely duplicates are reported with their
    row numbers and skipped; a dry run writes no company."""
    record = CompanyImport.objects.select_related("organization", "uploaded_by").get(pk=import_id)
    if record.status == CompanyImport.Status.DONE:
        return "done"
    mapping = {k: int(v) for k, v in record.mapping.items()}
    with record.file.open("rb") as handle:
        total = sum(1 for _ in read_rows(handle, name=record.original_name, encoding=record.encoding)) - 1
    CompanyImport.objects.filter(pk=record.pk).update(
        status=CompanyImport.Status.RUNNING, total_rows=max(total, 0)
    )
    record.refresh_from_db()
    seen: set[str] = set()  # keys of rows accepted in this run (a dry run creates nothing to find)
    with (
        record.file.open("rb") as handle,
        closing(read_rows(handle, name=record.original_name, encoding=record.encoding)) as reader,
    ):
        next(reader, None)
        for number, cells in enumerate(reader, start=2):
            if number - 2 < record.processed_rows:
                continue  # done in an earlier run of this task
            _import_row(record, number, cells, mapping, seen)
    with transaction.atomic():
        CompanyImport.objects.filter(pk=record.pk).update(
            status=CompanyImport.Status.DONE, finished_at=timezone.now()
        )
        record.refresh_from_db()
        audit_record(
            actor=record.uploaded_by,
            action="community.import.finished",
            target=record,
            details={
                "dry_run": record.dry_run,
                "rows": record.processed_rows,
                "created": record.created_count,
                "duplicates": record.duplicate_count,
                "errors": record.error_count,
            },
        )
    return "done"


def _keys(name: str, corporate_number: str, phone: str, email: str) -> set[str]:
    keys = {f"name:{match_key(name)}"}
    keys |= {f"cn:{corporate_number}"} if corporate_number else set()
    keys |= {f"tel:{phone}"} if phone else set()
    keys |= {f"mail:{email.casefold()}"} if email else set()
    return keys


def _import_row(
    record: CompanyImport, number: int, cells: list[str], mapping: dict[str, int], seen: set[str]
) -> None:
    if not any(cell.strip() for cell in cells):
        CompanyImport.objects.filter(pk=record.pk).update(processed_rows=F("processed_rows") + 1)
        record.processed_rows += 1
        return
    checked = check_row(number, cells, mapping)
    with transaction.atomic():
        counters: dict[str, object] = {"processed_rows": F("processed_rows") + 1}
        reported = False
        if checked.company is None:
            reported = _note(record, {"row": number, "kind": "error", "messages": checked.errors})
            counters["error_count"] = F("error_count") + 1
        else:
            company, contact = checked.company, checked.contact
            email = contact.email if contact else ""
            keys = _keys(company.name, company.corporate_number, company.phone, email)
            candidates = duplicate_candidates(
                organization=record.organization,
                name=company.name,
                corporate_number=company.corporate_number,
                phone=company.phone,
                emails=[email] if email else [],
            )
            if candidates or keys & seen:
                names = [c.company.name for c in candidates[:3]] or [str(_("このファイルの前の行"))]
                reported = _note(record, {"row": number, "kind": "duplicate", "messages": names})
                counters["duplicate_count"] = F("duplicate_count") + 1
            else:
                seen |= keys
                counters["created_count"] = F("created_count") + 1
                if not record.dry_run:
                    created = company_create(
                        organization=record.organization,
                        data=company,
                        actor=record.uploaded_by,
                        source=f"import:{record.pk}:{number}",
                    )
                    if contact is not None:
                        contact_create(
                            company=created,
                            data=contact,
                            actor=record.uploaded_by,
                            source=f"import:{record.pk}",
                        )
        if reported:  # the report is rewritten only when a row was added to it
            counters["report"] = record.report
        CompanyImport.objects.filter(pk=record.pk).update(**counters)
    record.processed_rows += 1
