"""Delete expired sessions every night."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations


def create(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    now = dt.datetime.now(ZoneInfo("Asia/Tokyo"))
    next_run = (now + dt.timedelta(days=1)).replace(hour=3, minute=30, second=0, microsecond=0)
    Schedule.objects.get_or_create(
        name="clearsessions",
        defaults={
            "func": "django.core.management.call_command",
            "args": "'clearsessions'",
            "schedule_type": "D",
            "next_run": next_run,
            "repeats": -1,
        },
    )


def drop(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name="clearsessions").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create, drop)]
