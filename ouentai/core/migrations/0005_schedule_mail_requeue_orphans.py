"""Every 15 minutes, give pending mails that lost their delivery task a new one (core.mail)."""

import datetime as dt

from django.db import migrations

NAME = "mail-requeue-orphans"


def create(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.get_or_create(
        name=NAME,
        defaults={
            "func": "ouentai.core.tasks.mail_requeue_orphans",
            "schedule_type": "I",
            "minutes": 15,
            "next_run": dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1),
            "repeats": -1,
        },
    )


def drop(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_outgoing_mail_attachment"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create, drop)]
