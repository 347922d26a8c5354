"""The rows an import reported move from the JSON list on the import (CompanyImport.report) to
CompanyImportRow; an import that was queued or running under the old task is marked failed, since the
new task resumes by byte offset, which the old one did not keep (staff retry it: rows it had written are
then found as likely duplicates and held back, not written twice). Reversible."""

from django.db import migrations

INTERRUPTED = "更新の際に中断しました。「続きから再開」で最初の行から点検し直します（登録済みの行は重複として保留されます）。"


def forward(apps, schema_editor):
    CompanyImport = apps.get_model("community", "CompanyImport")
    CompanyImportRow = apps.get_model("community", "CompanyImportRow")
    for record in CompanyImport.objects.exclude(report=[]).iterator():
        seen = set()
        rows = []
        for entry in record.report or []:
            number = entry.get("row")
            if not isinstance(number, int) or number in seen:
                continue
            seen.add(number)
            kind = entry.get("kind") if entry.get("kind") in ("error", "duplicate") else "error"
            rows.append(
                CompanyImportRow(
                    organization_id=record.organization_id,
                    company_import_id=record.pk,
                    number=number,
                    kind=kind,
                    messages=[str(m) for m in entry.get("messages") or []],
                    # Old entries kept no candidates: their rows cannot be resolved from the page.
                    resolution="skipped" if kind == "duplicate" and not record.dry_run else "",
                )
            )
        CompanyImportRow.objects.bulk_create(rows, ignore_conflicts=True)
    CompanyImport.objects.filter(status__in=["queued", "running"]).update(
        status="failed", last_error=INTERRUPTED
    )


def backward(apps, schema_editor):
    CompanyImport = apps.get_model("community", "CompanyImport")
    CompanyImportRow = apps.get_model("community", "CompanyImportRow")
    for record in CompanyImport.objects.all().iterator():
        rows = CompanyImportRow.objects.filter(company_import_id=record.pk).order_by("number")[:500]
        record.report = [{"row": r.number, "kind": r.kind, "messages": r.messages} for r in rows]
        record.save(update_fields=["report"])
    CompanyImport.objects.filter(status="discarded").update(status="failed")


class Migration(migrations.Migration):
    dependencies = [("community", "0017_import_chunks_rows_and_soft_deleted_segments")]

    operations = [migrations.RunPython(forward, backward)]
