"""The n-gram index over customer names that fuzzy matching draws candidates from (R-ATT-2).

SQLite: an external-content FTS5 table with the trigram tokenizer, kept in sync by triggers on
customers_customername. PostgreSQL: pg_trgm with a GIN gin_trgm_ops index on `normalized`.

Note: Django rebuilds a SQLite table (copy, drop, rename) for most ALTERs; a later migration that
alters customers_customername on SQLite must re-run SQLITE_TRIGGERS afterwards.
"""

from django.db import migrations

SQLITE_TABLE = """
CREATE VIRTUAL TABLE IF NOT EXISTS customers_customername_fts USING fts5(
    normalized, content='customers_customername', content_rowid='id', tokenize='trigram'
)
"""

SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS customers_customername_fts_ai",
    "DROP TRIGGER IF EXISTS customers_customername_fts_ad",
    "DROP TRIGGER IF EXISTS customers_customername_fts_au",
    """CREATE TRIGGER customers_customername_fts_ai AFTER INSERT ON customers_customername BEGIN
        INSERT INTO customers_customername_fts(rowid, normalized) VALUES (new.id, new.normalized);
    END""",
    """CREATE TRIGGER customers_customername_fts_ad AFTER DELETE ON customers_customername BEGIN
        INSERT INTO customers_customername_fts(customers_customername_fts, rowid, normalized)
        VALUES ('delete', old.id, old.normalized);
    END""",
    """CREATE TRIGGER customers_customername_fts_au AFTER UPDATE ON customers_customername BEGIN
        INSERT INTO customers_customername_fts(customers_customername_fts, rowid, normalized)
        VALUES ('delete', old.id, old.normalized);
        INSERT INTO customers_customername_fts(rowid, normalized) VALUES (new.id, new.normalized);
    END""",
    "INSERT INTO customers_customername_fts(customers_customername_fts) VALUES ('rebuild')",
]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS customers_customername_normalized_trgm "
    "ON customers_customername USING gin (normalized gin_trgm_ops)",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [SQLITE_TABLE, *SQLITE_TRIGGERS]
    elif vendor == "postgresql":
        statements = POSTGRES_FORWARD
    else:
        return
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name in ("ai", "ad", "au"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS customers_customername_fts_{name}")
        schema_editor.execute("DROP TABLE IF EXISTS customers_customername_fts")
    elif vendor == "postgresql":
        # The extension stays: other objects may use it.
        schema_editor.execute("DROP INDEX IF EXISTS customers_customername_normalized_trgm")


class Migration(migrations.Migration):
    dependencies = [("customers", "0002_partner_and_lead_links")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
