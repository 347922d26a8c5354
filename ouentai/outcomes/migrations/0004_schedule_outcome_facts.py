"""Recount the program office's yearly facts every hour, and once right after the upgrade."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations

NAME = "outcome_facts_refresh"


def create(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.get_or_create(
        name=NAME,
        defaults={
            "func": "ouentai.outcomes.tasks.outcome_facts_refresh",
            "schedule_type": "H",
            "next_run": dt.datetime.now(ZoneInfo("Asia/Tokyo")) + dt.timedelta(minutes=1),
            "repeats": -1,
        },
    )


def drop(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0003_outcome_facts"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create, drop)]
