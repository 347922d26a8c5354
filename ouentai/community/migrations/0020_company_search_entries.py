"""The company search moves to core.search (decision 0008): every company gets its entry in the search
index, written from the same description the services write (community.selectors.company_search_document),
and the old search column goes, with the trigram index over it (PostgreSQL drops the index with the
column). Companies are read in chunks with their contacts, so a large table does not fill memory."""

from django.db import migrations

BATCH = 2000


def fill(apps, schema_editor):
    from ouentai.community.selectors import COMPANY_SEARCH_KIND, company_search_document
    from ouentai.core.search import entry_fields

    Company = apps.get_model("community", "Company")
    SearchEntry = apps.get_model("core", "SearchEntry")
    SearchEntry.objects.filter(kind=COMPANY_SEARCH_KIND).delete()
    batch = []
    for company in Company.objects.order_by("pk").prefetch_related("contacts").iterator(chunk_size=BATCH):
        document = company_search_document(company, list(company.contacts.all()))
        batch.append(SearchEntry(**entry_fields(COMPANY_SEARCH_KIND, document)))
        if len(batch) >= BATCH:
            SearchEntry.objects.bulk_create(batch)
            batch = []
    SearchEntry.objects.bulk_create(batch)


def empty(apps, schema_editor):
    apps.get_model("core", "SearchEntry").objects.filter(kind="community.company").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0019_remove_companyimport_report"),
        ("core", "0009_search_digit_runs"),
    ]

    operations = [
        migrations.RunPython(fill, empty),
        migrations.RemoveField(model_name="company", name="search_text"),
    ]
