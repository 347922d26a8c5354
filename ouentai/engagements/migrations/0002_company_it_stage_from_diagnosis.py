"""Companies whose stage was never recorded take it from their latest diagnosis (a diagnosis taken for a
company now records the company's stage; before, a company with a 段階1 result still showed 未評価).
Stages typed by staff are left as they are. Going back leaves the recorded stages in place: they are
what the diagnoses found."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Company = apps.get_model("community", "Company")
    DiagnosisResult = apps.get_model("engagements", "DiagnosisResult")
    latest = DiagnosisResult.objects.filter(company=OuterRef("pk")).order_by("-created_at", "-pk")
    Company.objects.filter(it_stage__isnull=True, diagnosis_results__isnull=False).update(
        it_stage=Subquery(latest.values("stage")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0014_member_accounts"),
        ("engagements", "0001_initial"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
