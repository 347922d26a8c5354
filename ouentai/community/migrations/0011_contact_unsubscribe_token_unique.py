"""Give every existing contact its own unsubscribe token, then make tokens unique and required."""

import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    Contact = apps.get_model("community", "Contact")
    for contact in Contact.objects.filter(unsubscribe_token__isnull=True).only("pk").iterator():
        Contact.objects.filter(pk=contact.pk).update(unsubscribe_token=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("community", "0010_newsletters")]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="contact",
            name="unsubscribe_token",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="配信停止用トークン"),
        ),
    ]
