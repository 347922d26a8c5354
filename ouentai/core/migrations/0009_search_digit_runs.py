"""The search index's tokens gain the 4-digit pieces of digit runs (core.search.tokens: a phone number or
法人番号 query is looked up by them). Every entry's tokens are recomputed from the normalized text it
already holds, in batches; PostgreSQL's stored tsvector and SQLite's FTS table follow the column."""

from django.db import migrations

BATCH = 2000


def retokenize(apps, schema_editor):
    from ouentai.core.search.tokens import document_tokens

    SearchEntry = apps.get_model("core", "SearchEntry")
    batch = []
    for entry in SearchEntry.objects.order_by("pk").only("title", "secondary", "body").iterator(chunk_size=BATCH):
        values = [line for text in (entry.title, entry.secondary, entry.body) for line in text.split("\n") if line]
        entry.tokens = " ".join(document_tokens(values))
        batch.append(entry)
        if len(batch) >= BATCH:
            SearchEntry.objects.bulk_update(batch, ["tokens"])
            batch = []
    SearchEntry.objects.bulk_update(batch, ["tokens"])


class Migration(migrations.Migration):
    dependencies = [("core", "0008_search_org_newest")]

    operations = [migrations.RunPython(retokenize, migrations.RunPython.noop)]
