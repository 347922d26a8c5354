"""Schedule the events app's periodic work: lapsed seat offers every 5 minutes, reminders hourly."""

import datetime as dt

from django.db import migrations

SCHEDULES = [
    ("events-offers-expire", "ouentai.events.tasks.events_offers_expire", 5),
    ("events-reminders", "ouentai.events.tasks.events_reminders_send", 60),
]


def create(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    start = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    for name, func, minutes in SCHEDULES:
        Schedule.objects.get_or_create(
            name=name,
            defaults={"func": func, "schedule_type": "I", "minutes": minutes, "next_run": start, "repeats": -1},
        )


def drop(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name__in=[s[0] for s in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create, drop)]
