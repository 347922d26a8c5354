"""Schedule the monthly IT-investment reminder to coordinators (the 1st of each month, 09:00 JST)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations

FUNC = "ouentai.community.tasks.pipeline_remind_coordinators"


def create(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    today = dt.datetime.now(ZoneInfo("Asia/Tokyo"))
    first = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1, hour=9, minute=0, second=0, microsecond=0)
    Schedule.objects.get_or_create(
        name="pipeline-reminder",
        defaults={"func": FUNC, "schedule_type": "M", "next_run": first, "repeats": -1},
    )


def drop(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name="pipeline-reminder").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0006_membership"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create, drop)]
