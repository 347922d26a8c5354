"""The computed indicators the program is judged by, in the order the dashboard shows them. Their names
and definitions come from the counting rules (ouentai.outcomes.indicators), translated; the rows here
only switch them on and order them. Reversing removes those without targets."""

from django.db import migrations

INDICATORS = [
    ("cases_published", "件"),
    ("engagements_started", "件"),
    ("engagements_completed", "件"),
    ("plans_written", "件"),
    ("dispatches_completed", "件"),
    ("seminar_attendees", "人"),
    ("training_attendees", "人"),
    ("diagnosis_takers", "社"),
    ("stage_rose", "社"),
    ("members_joined", "社"),
    ("it_investments", "社"),
    ("applications_on_time", "件"),
]


def add(apps, schema_editor):
    Indicator = apps.get_model("outcomes", "Indicator")
    for position, (key, unit) in enumerate(INDICATORS, start=1):
        Indicator.objects.get_or_create(
            key=key, defaults={"rule": key, "unit": unit, "position": position * 10, "name": "", "definition": ""}
        )


def remove(apps, schema_editor):
    Indicator = apps.get_model("outcomes", "Indicator")
    Indicator.objects.filter(key__in=[key for key, _unit in INDICATORS], targets__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_outcome_goals")]

    operations = [migrations.RunPython(add, remove)]
