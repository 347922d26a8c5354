"""Completed engagements get the day they were completed: the last status change to 完了 in the audit
trail, or the day the record was last changed when the trail holds none (an engagement imported as
completed). Reversing empties the field again."""

from django.db import migrations
from django.utils import timezone

BATCH = 1000


def backfill(apps, schema_editor):
    Engagement = apps.get_model("engagements", "Engagement")
    AuditEntry = apps.get_model("core", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="engagements", model="engagement").first()
    completed = Engagement.objects.filter(status="completed", completed_on__isnull=True).order_by("pk")
    last_pk = 0
    while True:
        batch = list(completed.filter(pk__gt=last_pk)[:BATCH])
        if not batch:
            return
        last_pk = batch[-1].pk
        completed_at: dict[str, object] = {}
        if content_type is not None:
            entries = AuditEntry.objects.filter(
                target_type=content_type,
                target_id__in=[str(engagement.pk) for engagement in batch],
                action="engagements.engagement.status_changed",
            ).order_by("created_at", "pk")
            for entry in entries:
                if (entry.details or {}).get("to") == "completed":
                    completed_at[entry.target_id] = entry.created_at
        for engagement in batch:
            moment = completed_at.get(str(engagement.pk), engagement.updated_at)
            engagement.completed_on = timezone.localdate(moment)
        Engagement.objects.bulk_update(batch, ["completed_on"])


def unfill(apps, schema_editor):
    apps.get_model("engagements", "Engagement").objects.update(completed_on=None)


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0003_engagement_completed_on"),
        ("core", "0009_search_digit_runs"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(backfill, unfill)]
