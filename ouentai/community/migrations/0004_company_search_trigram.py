"""A trigram index for company search on PostgreSQL (substring search of Japanese text: LIKE '%…%' on
search_text uses it from three characters). Needs the pg_trgm extension and a database whose LC_CTYPE
is C.UTF-8 or ja_JP.UTF-8 (see docs/operators/postgresql.md). SQLite needs nothing."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS community_company_search_trgm "
        "ON community_company USING gin (search_text gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS community_company_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("community", "0003_company_sme_stage_search")]

    operations = [migrations.RunPython(create, drop)]
