from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("community", "0018_import_report_to_rows")]

    operations = [migrations.RemoveField(model_name="companyimport", name="report")]
