"""The index behind core.search: on PostgreSQL a stored tsvector of the entry's tokens (a generated
column, tokens_tsv, so a row is never parsed again when it is checked) and a GIN index over it; on SQLite an FTS5 table (tokenizer "ascii": the tokens are
already plain ASCII words) kept in step with core_searchentry by triggers. Each part runs only on its
own database."""

from django.db import migrations

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE core_searchentry_fts USING fts5("
    "tokens, content='core_searchentry', content_rowid='id', tokenize='ascii')",
    "CREATE TRIGGER core_searchentry_ai AFTER INSERT ON core_searchentry BEGIN "
    "INSERT INTO core_searchentry_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    "CREATE TRIGGER core_searchentry_ad AFTER DELETE ON core_searchentry BEGIN "
    "INSERT INTO core_searchentry_fts(core_searchentry_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); END",
    "CREATE TRIGGER core_searchentry_au AFTER UPDATE ON core_searchentry BEGIN "
    "INSERT INTO core_searchentry_fts(core_searchentry_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); "
    "INSERT INTO core_searchentry_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    "INSERT INTO core_searchentry_fts(core_searchentry_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS core_searchentry_au",
    "DROP TRIGGER IF EXISTS core_searchentry_ad",
    "DROP TRIGGER IF EXISTS core_searchentry_ai",
    "DROP TABLE IF EXISTS core_searchentry_fts",
]
POSTGRES_CREATE = [
    "ALTER TABLE core_searchentry ADD COLUMN tokens_tsv tsvector GENERATED ALWAYS AS (tokens::tsvector) STORED",
    "CREATE INDEX core_searchentry_tokens_gin ON core_searchentry USING gin (tokens_tsv)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS core_searchentry_tokens_gin",
    "ALTER TABLE core_searchentry DROP COLUMN IF EXISTS tokens_tsv",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}.get(vendor, []):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0006_search_entry")]

    operations = [migrations.RunPython(create, drop)]
