"""Importing companies from a file: upload (checked against every bound before it is stored), column
mapping, then a dry run or the import itself, run by the task worker in chunks.

Each chunk is one task that runs for a bounded time and then queues the next one. Inside a chunk, rows
are committed in small batches together with the position reached in the file and the counters, under
a lock on the import: a chunk cut short (worker timeout, restart) is redone from the last committed
batch, two runners never write the same batch, and no row is written twice. Each row is written in its
own savepoint: a row the database refuses is rolled back alone and reported with its row number, like a
row that fails the checks. A chunk that keeps failing without progress ends the import as ``failed``
(staff can retry, which resumes, or discard it).

Rows that look like a company already registered (or an earlier row of the same file) are held back
with their data: after the import, staff add each to the existing company or register it anyway.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import tempfile
import time
from collections import Counter
from contextlib import closing
from dataclasses import asdict, dataclass, field, fields
from typing import IO, Any, cast

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_q.tasks import async_task

from ouentai.accounts.models import Organization, User
from ouentai.community.data import CompanyData, ContactData
from ouentai.community.dedup import duplicate_candidates
from ouentai.community.imports import (
    REQUIRED,
    TARGETS,
    CheckedRow,
    FileLimitError,
    RowRead,
    check_row,
    data_rows,
    guess_mapping,
    inspect_upload,
    is_xlsx,
    read_rows,
    xlsx_to_csv,
)
from ouentai.community.imports.files import is_blank, read_csv_rows
from ouentai.community.models import Company, CompanyImport, CompanyImportKey, CompanyImportRow
from ouentai.community.services.companies import (
    company_create,
    company_update,
    contact_create,
    contact_update,
)
from ouentai.core.audit import audit_record
from ouentai.core.errors import DomainError
from ouentai.core.jp import match_key

logger = logging.getLogger(__name__)

RUN_TASK = "ouentai.community.tasks.company_import_run"
# A batch of rows is one transaction: short, so that the web pages never wait long for the database.
BATCH_ROWS = 100
BATCH_SECONDS = 1.0
# A chunk stops after this long and queues the next one, well within the worker's timeout.
_TIMEOUT = int(cast(int, settings.Q_CLUSTER.get("timeout")) or 60)
CHUNK_SECONDS = max(5.0, _TIMEOUT / 3)
# Runs of a chunk that end without progress before the import is marked failed.
MAX_ATTEMPTS = 3
# An import in progress with no sign of life for this long is offered for retry (its task was lost).
STALLED_AFTER = dt.timedelta(
    seconds=(int(cast(int, settings.Q_CLUSTER.get("retry")) or 90) + _TIMEOUT) * MAX_ATTEMPTS + 300
)
PREVIEW_CELL_CHARS = 80
_Status = CompanyImport.Status


def import_upload(*, organization: Organization, upload: UploadedFile, actor: User) -> CompanyImport:
    """Keep an uploaded .csv or .xlsx file after checking it whole against the bounds of
    community.imports.files (size, rows, columns, cell length, and what an .xlsx expands to); read its
    header row and guess the column mapping. Raises DomainError (field "file") for a file refused."""
    name = upload.name or "upload.csv"
    if not (name.lower().endswith(".csv") or is_xlsx(name)):
        raise DomainError(
            _("CSV（.csv）か Excel（.xlsx）のファイルを選んでください。"), code="import.type", field="file"
        )
    try:
        facts = inspect_upload(cast(IO[bytes], upload), name=name, size=upload.size or 0)
    except FileLimitError as exc:
        raise DomainError(exc.message, code=exc.code, field="file") from exc
    if not any(h.strip() for h in facts.headers):
        raise DomainError(
            _("1行目に見出しがありません。1行目に「会社名」などの見出しを入れてください。"),
            code="import.no_header",
            field="file",
        )
    headers = [h.strip() for h in facts.headers]
    with transaction.atomic():
        record = CompanyImport.objects.create(
            organization=organization,
            file=upload,
            original_name=name[:200],
            encoding=facts.encoding,
            headers=headers,
            mapping=guess_mapping(headers),
            total_rows=facts.data_rows,
            uploaded_by=actor,
        )
        audit_record(
            actor=actor,
            action="community.import.uploaded",
            target=record,
            details={"file": name, "rows": facts.data_rows},
        )
    return record


def import_preview(
    record: CompanyImport, mapping: dict[str, int], rows: int = 5
) -> list[tuple[int, list[str], list[str]]]:
    """The first data rows as the import would read them (blank rows skipped, as in the run): (row
    number, cells cut for display, errors)."""
    if not record.file:
        return []
    preview = []
    try:
        with (
            record.file.open("rb") as handle,
            closing(read_rows(handle, name=record.original_name, encoding=record.encoding)) as reader,
        ):
            for row in data_rows(reader):
                checked = check_row(row.number, row.cells, mapping, record.headers)
                cells = [_cut(cell) for cell in row.cells[: len(record.headers) or None]]
                preview.append((row.number, cells, checked.errors))
                if len(preview) >= rows:
                    break
    except (OSError, ValueError, csv.Error) as exc:  # checked at upload; a file changed since is reported
        logger.warning("import %s: preview failed: %s", record.pk, exc)
    return preview


def _cut(text: str) -> str:
    return text if len(text) <= PREVIEW_CELL_CHARS else f"{text[:PREVIEW_CELL_CHARS]}…"


def import_stalled(record: CompanyImport) -> bool:
    """In progress, but nothing has moved for STALLED_AFTER: its task was lost (e.g. dropped by a worker
    with other settings). Staff may retry or discard it."""
    if not record.in_progress:
        return False
    since = record.heartbeat_at or record.updated_at
    return since is not None and timezone.now() - since > STALLED_AFTER


def _enqueue(record: CompanyImport) -> None:
    async_task(RUN_TASK, record.pk, task_name=f"import-{record.pk}-{record.next_row}", group="import")


def import_start(
    *, record: CompanyImport, mapping: dict[str, int], dry_run: bool, actor: User
) -> CompanyImport:
    """Check the mapping and queue the dry run or the import from the first row (what an earlier run
    reported is cleared). Refused while one is running, after the import, and once discarded."""
    missing = [str(TARGETS[t][0]) for t in REQUIRED if t not in mapping]
    if missing:
        raise DomainError(
            _("「%(fields)s」の列を選んでください。") % {"fields": "、".join(missing)}, code="import.mapping"
        )
    if len(set(mapping.values())) != len(mapping):
        raise DomainError(_("同じ列を二つの項目に対応づけることはできません。"), code="import.mapping")
    with transaction.atomic():
        record = CompanyImport.objects.select_for_update().get(pk=record.pk)
        if record.in_progress:
            raise DomainError(_("この取り込みは実行中です。"), code="import.running")
        if record.status == _Status.DONE and not record.dry_run:
            raise DomainError(_("この取り込みは完了しています。"), code="import.done")
        if record.status == _Status.DISCARDED or not record.file:
            raise DomainError(
                _("この取り込みは取りやめました。ファイルをもう一度アップロードしてください。"),
                code="import.discarded",
            )
        if record.status == _Status.FAILED and not record.dry_run and record.processed_rows:
            raise DomainError(
                _("途中まで取り込んだ取り込みは、最初からやり直せません。「続きから再開」を使ってください。"),
                code="import.partial",
            )
        record.mapping = mapping
        record.dry_run = dry_run
        record.status = _Status.QUEUED
        record.processed_rows = record.created_count = record.duplicate_count = record.error_count = 0
        record.next_offset, record.next_row = 0, 1
        record.attempts, record.last_error = 0, ""
        record.heartbeat_at = timezone.now()
        record.finished_at = None
        record.save()
        CompanyImportRow.objects.filter(company_import=record).delete()
        CompanyImportKey.objects.filter(company_import=record).delete()
        _enqueue(record)
        audit_record(
            actor=actor,
            action="community.import.started",
            target=record,
            details={"dry_run": dry_run, "mapping": mapping},
        )
    return record


def import_retry(*, record: CompanyImport, actor: User) -> CompanyImport:
    """Queue a failed (or stalled) dry run or import again; it resumes after the last committed row."""
    with transaction.atomic():
        record = CompanyImport.objects.select_for_update().get(pk=record.pk)
        if not (record.status == _Status.FAILED or import_stalled(record)):
            raise DomainError(_("この取り込みはやり直す状態にありません。"), code="import.not_failed")
        record.status = _Status.QUEUED
        record.attempts = 0
        record.heartbeat_at = timezone.now()
        record.save(update_fields=["status", "attempts", "heartbeat_at", "updated_at"])
        _enqueue(record)
        audit_record(
            actor=actor,
            action="community.import.retried",
            target=record,
            details={"from_row": record.next_row, "last_error": record.last_error[:200]},
        )
    return record


def import_discard(*, record: CompanyImport, actor: User) -> CompanyImport:
    """Give up an import that was not finished (or a dry run): the stored file and what the runs
    reported are deleted (personal data is not kept without a use). Companies an interrupted import
    already registered stay. A finished import cannot be discarded."""
    with transaction.atomic():
        record = CompanyImport.objects.select_for_update().get(pk=record.pk)
        if record.status == _Status.DISCARDED:
            return record
        if record.status == _Status.DONE and not record.dry_run:
            raise DomainError(_("完了した取り込みは取りやめられません。"), code="import.done")
        if record.in_progress and not import_stalled(record):
            raise DomainError(
                _("実行中の取り込みは取りやめられません。終わるのを待つか、止まってからにしてください。"),
                code="import.running",
            )
        files = [f for f in (record.file, record.work_file) if f]
        names = [f.name for f in files if f.name]
        record.status = _Status.DISCARDED
        record.file = record.work_file = ""
        record.finished_at = timezone.now()
        record.save()
        CompanyImportRow.objects.filter(company_import=record).delete()
        CompanyImportKey.objects.filter(company_import=record).delete()
        audit_record(
            actor=actor,
            action="community.import.discarded",
            target=record,
            details={"written_rows": record.processed_rows if not record.dry_run else 0},
        )
        if files:
            storage = files[0].storage

            def delete_files() -> None:
                for name in names:
                    storage.delete(name)

            transaction.on_commit(delete_files)
    return record


# ---------------------------------------------------------------------------------------------------
# The task


def import_run(import_id: int) -> str:
    """Run one chunk of a queued dry run or import (the task), then queue the next chunk. Safe to run
    twice, and at once: it resumes after the last committed batch, and a runner that finds another one
    ahead of it stops. Returns what happened ("continues", "done", "failed", ...)."""
    with transaction.atomic():
        record = CompanyImport.objects.select_for_update().filter(pk=import_id).first()
        if record is None:
            return "missing"
        if not record.in_progress:
            return str(record.status)
        if record.attempts >= MAX_ATTEMPTS:
            _fail(record, record.last_error or gettext("処理が時間内に終わらず、何度も中断されました。"))
            return "failed"
        record.attempts += 1
        record.status = _Status.RUNNING
        record.heartbeat_at = timezone.now()
        record.save(update_fields=["attempts", "status", "heartbeat_at", "updated_at"])
    record = CompanyImport.objects.select_related("organization", "uploaded_by").get(pk=import_id)
    try:
        return _run_chunk(record)
    except Exception as exc:
        logger.exception("import %s: chunk failed", import_id)
        with transaction.atomic():
            current = CompanyImport.objects.select_for_update().get(pk=import_id)
            current.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            current.save(update_fields=["last_error", "updated_at"])
            if current.attempts >= MAX_ATTEMPTS and current.in_progress:
                _fail(current, current.last_error)
                return "failed"
        raise  # the queue tries the chunk again later


def _fail(record: CompanyImport, error: str) -> None:
    """Inside the caller's transaction, with the import locked."""
    record.status = _Status.FAILED
    record.last_error = error[:2000]
    record.finished_at = timezone.now()
    record.save(update_fields=["status", "last_error", "finished_at", "updated_at"])
    audit_record(
        actor=None,
        action="community.import.failed",
        target=record,
        details={"row": record.next_row, "error": error[:200]},
    )


def _source(record: CompanyImport) -> tuple[Any, str]:
    """The file the rows are read from and its encoding: the CSV itself, or an .xlsx turned into CSV."""
    if record.work_file:
        return record.work_file, "utf-8"
    return record.file, record.encoding


def _run_chunk(record: CompanyImport) -> str:
    if is_xlsx(record.original_name) and not record.work_file:
        _convert(record)
        with transaction.atomic():
            current = CompanyImport.objects.select_for_update().get(pk=record.pk)
            if current.in_progress:
                _enqueue(current)
        return "converted"
    deadline = time.monotonic() + CHUNK_SECONDS
    position = (record.next_offset, record.next_row)
    source, encoding = _source(record)
    mapping = {k: int(v) for k, v in record.mapping.items()}
    with source.open("rb") as handle:
        batch: list[RowRead] = []
        batch_began = time.monotonic()
        for row in read_csv_rows(handle, encoding=encoding, start=position[0], first=position[1]):
            batch.append(row)
            if len(batch) >= BATCH_ROWS or time.monotonic() - batch_began >= BATCH_SECONDS:
                if not _commit_batch(record, batch, position, mapping):
                    return "superseded"
                position = (batch[-1].end, batch[-1].number + 1)
                batch, batch_began = [], time.monotonic()
                if time.monotonic() >= deadline:
                    with transaction.atomic():
                        current = CompanyImport.objects.select_for_update().get(pk=record.pk)
                        if not current.in_progress or (current.next_offset, current.next_row) != position:
                            return "superseded"
                        _enqueue(current)
                    return "continues"
        if batch and not _commit_batch(record, batch, position, mapping):
            return "superseded"
        if batch:
            position = (batch[-1].end, batch[-1].number + 1)
    return _finish(record, position)


def _convert(record: CompanyImport) -> None:
    """Turn the .xlsx file into a UTF-8 CSV work file (one pass; a run cut short does it again)."""
    with record.file.open("rb") as source, tempfile.TemporaryFile() as out:
        text = io.TextIOWrapper(out, encoding="utf-8", newline="")
        count = xlsx_to_csv(source, text)
        text.flush()
        text.detach()
        out.seek(0)
        with transaction.atomic():
            current = CompanyImport.objects.select_for_update().get(pk=record.pk)
            if not current.in_progress or current.work_file:
                return
            current.work_file.save(f"{record.pk}.csv", File(out), save=False)
            current.total_rows = count
            current.attempts = 0
            current.heartbeat_at = timezone.now()
            current.save(update_fields=["work_file", "total_rows", "attempts", "heartbeat_at", "updated_at"])
    record.work_file = current.work_file


def _commit_batch(
    record: CompanyImport, batch: list[RowRead], position: tuple[int, int], mapping: dict[str, int]
) -> bool:
    """Write (or, in a dry run, check) a batch of rows in one transaction with the position after it
    and the counters. False when another runner is ahead (nothing is written)."""
    with transaction.atomic():
        current = CompanyImport.objects.select_for_update().get(pk=record.pk)
        if not current.in_progress or (current.next_offset, current.next_row) != position:
            return False
        counts: Counter[str] = Counter()
        # The header and blank rows are skipped (everywhere alike: imports.data_rows).
        rows = [row for row in batch if row.number > 1 and not is_blank(row.cells)]
        checked = [check_row(row.number, row.cells, mapping, record.headers) for row in rows]
        state = _Batch(record)
        if record.dry_run:
            state.load_keys(
                {k for c in checked if c.company is not None for k in _keys(c.company, c.contact)}
            )
        for row, result in zip(rows, checked, strict=True):
            counts["processed"] += 1
            counts[_import_row(state, row, result)] += 1
        state.save()
        CompanyImport.objects.filter(pk=record.pk).update(
            next_offset=batch[-1].end,
            next_row=batch[-1].number + 1,
            processed_rows=F("processed_rows") + counts["processed"],
            created_count=F("created_count") + counts["created"],
            duplicate_count=F("duplicate_count") + counts["duplicate"],
            error_count=F("error_count") + counts["error"],
            attempts=0,
            last_error="",
            heartbeat_at=timezone.now(),
            updated_at=timezone.now(),
        )
    return True


def _finish(record: CompanyImport, position: tuple[int, int]) -> str:
    with transaction.atomic():
        current = CompanyImport.objects.select_for_update().get(pk=record.pk)
        if not current.in_progress or (current.next_offset, current.next_row) != position:
            return "superseded"
        current.status = _Status.DONE
        current.finished_at = timezone.now()
        current.attempts = 0
        current.save(update_fields=["status", "finished_at", "attempts", "updated_at"])
        CompanyImportKey.objects.filter(company_import=current).delete()
        audit_record(
            actor=record.uploaded_by,
            action="community.import.finished",
            target=current,
            details={
                "dry_run": current.dry_run,
                "rows": current.processed_rows,
                "created": current.created_count,
                "duplicates": current.duplicate_count,
                "errors": current.error_count,
            },
        )
    return "done"


def _keys(company: CompanyData, contact: ContactData | None) -> set[str]:
    keys = {f"name:{match_key(company.name)}"}
    keys |= {f"cn:{company.corporate_number}"} if company.corporate_number else set()
    keys |= {f"tel:{company.phone}"} if company.phone else set()
    keys |= {f"mail:{contact.email.casefold()}"} if contact and contact.email else set()
    return {key[:300] for key in keys}


@dataclass
class _Batch:
    """What one batch writes at its end in one statement each: the reported rows and, in a dry run,
    the matching keys of the rows accepted (with those of earlier batches loaded once, up front)."""

    record: CompanyImport
    reports: list[CompanyImportRow] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)  # key → the row that brought it
    new_keys: dict[str, int] = field(default_factory=dict)

    def report(self, row: RowRead, kind: str, messages: list[str], **extra: Any) -> None:
        self.reports.append(
            CompanyImportRow(
                organization_id=self.record.organization_id,
                company_import=self.record,
                number=row.number,
                kind=kind,
                messages=messages,
                cells=[cell[:200] for cell in row.cells[:50]],
                **extra,
            )
        )

    def load_keys(self, keys: set[str]) -> None:
        found = CompanyImportKey.objects.filter(company_import=self.record, key__in=keys)
        self.seen.update(found.values_list("key", "row"))

    def save(self) -> None:
        CompanyImportRow.objects.bulk_create(self.reports)
        CompanyImportKey.objects.bulk_create(
            [CompanyImportKey(company_import=self.record, key=k, row=r) for k, r in self.new_keys.items()],
            ignore_conflicts=True,
        )


def _import_row(state: _Batch, row: RowRead, checked: CheckedRow) -> str:
    """Write one checked row, hold it back as a likely duplicate, or report it; returns which
    ("created", "duplicate", "error"). Its writes are one savepoint: a row the database refuses leaves
    nothing behind and is reported with its number."""
    record = state.record
    if checked.company is None:
        state.report(row, CompanyImportRow.Kind.ERROR, checked.errors)
        return "error"
    company, contact = checked.company, checked.contact
    try:
        candidates = duplicate_candidates(
            organization=record.organization,
            name=company.name,
            corporate_number=company.corporate_number,
            phone=company.phone,
            emails=[contact.email] if contact and contact.email else [],
        )
        data = {"company": asdict(company), "contact": asdict(contact) if contact else None}
        if candidates:
            state.report(
                row, CompanyImportRow.Kind.DUPLICATE, [c.company.name for c in candidates[:3]],
                data=data, candidates=[c.company.pk for c in candidates[:5]],
            )  # fmt: skip
            return "duplicate"
        if record.dry_run:
            keys = _keys(company, contact)
            earlier = min((state.seen[k] for k in keys if k in state.seen), default=None)
            if earlier is not None:
                message = gettext("このファイルの%(row)s行目と同じ企業かもしれません。") % {"row": earlier}
                state.report(row, CompanyImportRow.Kind.DUPLICATE, [message], data=data)
                return "duplicate"
            for key in keys:
                state.seen[key] = state.new_keys[key] = row.number
            return "created"
        with transaction.atomic():  # savepoint
            _write(record, row.number, company, contact)
        return "created"
    except DomainError as error:
        message = str(error.message)
    except Exception as exc:  # a database refusal or a broken rule: this row only
        logger.warning("import %s row %s not written: %r", record.pk, row.number, exc)
        message = gettext(
            "この行は登録できませんでした（%(reason)s）。値を確かめ、直してからもう一度取り込んでください。"
        ) % {"reason": type(exc).__name__}
    state.report(row, CompanyImportRow.Kind.ERROR, [message])
    return "error"


def _write(record: CompanyImport, number: int, company: CompanyData, contact: ContactData | None) -> Company:
    created = company_create(
        organization=record.organization,
        data=company,
        actor=record.uploaded_by,
        source=f"import:{record.pk}:{number}",
    )
    if contact is not None:
        contact_create(company=created, data=contact, actor=record.uploaded_by, source=f"import:{record.pk}")
    return created


# ---------------------------------------------------------------------------------------------------
# Rows held back as likely duplicates


def _open_held_row(row: CompanyImportRow) -> CompanyImportRow:
    row = CompanyImportRow.objects.select_for_update().select_related("company_import").get(pk=row.pk)
    if row.kind != CompanyImportRow.Kind.DUPLICATE or row.company_import.dry_run:
        raise DomainError(_("この行は取り込みで保留した行ではありません。"), code="import.row_not_held")
    if row.resolution:
        raise DomainError(_("この行はすでに対応済みです。"), code="import.row_resolved")
    return row


def _row_data(row: CompanyImportRow) -> tuple[CompanyData, ContactData | None]:
    company_fields = {f.name for f in fields(CompanyData)}
    contact_fields = {f.name for f in fields(ContactData)}
    company = CompanyData(**{k: v for k, v in row.data["company"].items() if k in company_fields})
    raw = row.data.get("contact")
    contact = ContactData(**{k: v for k, v in raw.items() if k in contact_fields}) if raw else None
    return company, contact


def _resolve(
    row: CompanyImportRow, resolution: str, company: Company | None, actor: User, action: str
) -> None:
    row.resolution = resolution
    row.resolved_company = company
    row.resolved_by = actor
    row.resolved_at = timezone.now()
    row.save(update_fields=["resolution", "resolved_company", "resolved_by", "resolved_at", "updated_at"])
    audit_record(
        actor=actor,
        action=action,
        target=row.company_import,
        details={"row": row.number, **({"company_id": company.pk} if company else {})},
    )


def import_row_add_to_company(*, row: CompanyImportRow, company: Company, actor: User) -> Company:
    """Add a held-back row to an existing company: the company's empty fields are filled from the row
    (nothing it holds is overwritten) and the row's contact is added unless the company has them
    already (same e-mail address, or same name without an address); a known contact without a name
    gets the row's name."""
    with transaction.atomic():
        row = _open_held_row(row)
        if company.organization_id != row.organization_id:
            raise DomainError(_("この組織の企業を選んでください。"), code="import.row_company")
        data, contact = _row_data(row)
        company = Company.objects.select_for_update().get(pk=company.pk)
        current = {f.name: getattr(company, f.name) for f in fields(CompanyData)}
        filled = {
            k: (v if current[k] in ("", None) and v not in ("", None) else current[k])
            for k, v in asdict(data).items()
        }
        if filled != current:
            company = company_update(company=company, data=CompanyData(**filled), actor=actor)
        if contact is not None:
            _add_contact(company, contact, actor, source=f"import:{row.company_import_id}")
        _resolve(row, CompanyImportRow.Resolution.MERGED, company, actor, "community.import.row_merged")
    return company


def _add_contact(company: Company, contact: ContactData, actor: User, source: str) -> None:
    existing = None
    if contact.email:
        existing = company.contacts.filter(email__iexact=contact.email).first()
    elif contact.name:
        existing = company.contacts.filter(name=contact.name).first()
    if existing is None:
        contact_create(company=company, data=contact, actor=actor, source=source)
        return
    merged = ContactData(
        name=existing.name or contact.name,
        name_kana=existing.name_kana or contact.name_kana,
        email=existing.email or contact.email,
        phone=existing.phone or contact.phone,
        newsletter_consent=existing.newsletter_consent,
    )
    if (merged.name, merged.name_kana, merged.email, merged.phone) != (
        existing.name,
        existing.name_kana,
        existing.email,
        existing.phone,
    ):
        contact_update(contact=existing, data=merged, actor=actor)


def import_row_create(*, row: CompanyImportRow, actor: User) -> Company:
    """Register a held-back row as a company of its own (staff decided it is another company)."""
    with transaction.atomic():
        row = _open_held_row(row)
        data, contact = _row_data(row)
        company = company_create(
            organization=row.company_import.organization,
            data=data,
            actor=actor,
            source=f"import:{row.company_import_id}:{row.number}",
        )
        if contact is not None:
            contact_create(
                company=company, data=contact, actor=actor, source=f"import:{row.company_import_id}"
            )
        _resolve(row, CompanyImportRow.Resolution.CREATED, company, actor, "community.import.row_created")
    return company


def import_row_skip(*, row: CompanyImportRow, actor: User) -> None:
    """Leave a held-back row out for good (it stays listed, marked 登録しない)."""
    with transaction.atomic():
        row = _open_held_row(row)
        _resolve(row, CompanyImportRow.Resolution.SKIPPED, None, actor, "community.import.row_skipped")
