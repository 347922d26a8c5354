"""The program-wide pages showed all of the portal organization's Q&A and news before entries could be
marked program-wide: mark them, so that /faq/ and /news/ keep what they showed. Reversible: going back
removes the field (0002), so there is nothing to undo here."""

from django.conf import settings
from django.db import migrations


def mark_portal_content(apps, schema_editor):
    Organization = apps.get_model("accounts", "Organization")
    slug = getattr(settings, "OUENTAI_PORTAL_ORGANIZATION", "")
    portal = Organization.objects.filter(slug=slug).first() if slug else None
    if portal is None:
        portal = Organization.objects.filter(is_default=True).first()
    if portal is None:
        return
    for model in ("FaqEntry", "NewsItem"):
        apps.get_model("content", model).objects.filter(organization=portal).update(is_program_wide=True)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0002_program_wide_content"),
    ]

    operations = [migrations.RunPython(mark_portal_content, migrations.RunPython.noop)]
