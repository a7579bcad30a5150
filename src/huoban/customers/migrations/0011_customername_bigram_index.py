"""The bigram index over customer names: a two-character short name inside a longer name (issue
#13).

The trigram indexes of 0003 cannot find 古汉 in 紫光古汉集团 or 香梨 in 库尔勒香梨: a pattern of
fewer than three characters reads every name. This index holds each name's bigrams.

SQLite: a contentless FTS5 table whose one column is the name's bigrams separated by spaces
(``unicode61`` then makes each bigram a token), kept in sync by triggers on
customers_customername; the bigrams of the first BIGRAM_SPAN characters (matching asks no more
of a query). PostgreSQL: a GIN index on ``huoban_bigrams(normalized)``, an immutable function
returning the distinct bigrams as an array, searched with ``@>``; without GIN's pending list
(see 0006).

As with 0003: a later migration that rebuilds customers_customername on SQLite must re-run
SQLITE_TRIGGERS.
"""

from django.db import migrations

BIGRAM_SPAN = 64


def _bigram_text(column: str) -> str:
    return "||' '||".join(f"substr({column}, {i}, 2)" for i in range(1, BIGRAM_SPAN + 1))


SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS customers_customername_bigram "
    "USING fts5(bigrams, content='', tokenize='unicode61')"
)

SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS customers_customername_bigram_ai",
    "DROP TRIGGER IF EXISTS customers_customername_bigram_ad",
    "DROP TRIGGER IF EXISTS customers_customername_bigram_au",
    f"""CREATE TRIGGER customers_customername_bigram_ai AFTER INSERT ON customers_customername
    BEGIN
        INSERT INTO customers_customername_bigram(rowid, bigrams)
        VALUES (new.id, {_bigram_text("new.normalized")});
    END""",
    f"""CREATE TRIGGER customers_customername_bigram_ad AFTER DELETE ON customers_customername
    BEGIN
        INSERT INTO customers_customername_bigram(customers_customername_bigram, rowid, bigrams)
        VALUES ('delete', old.id, {_bigram_text("old.normalized")});
    END""",
    f"""CREATE TRIGGER customers_customername_bigram_au AFTER UPDATE OF normalized
    ON customers_customername BEGIN
        INSERT INTO customers_customername_bigram(customers_customername_bigram, rowid, bigrams)
        VALUES ('delete', old.id, {_bigram_text("old.normalized")});
        INSERT INTO customers_customername_bigram(rowid, bigrams)
        VALUES (new.id, {_bigram_text("new.normalized")});
    END""",
]

SQLITE_FILL = [
    "DELETE FROM customers_customername_bigram",
    "INSERT INTO customers_customername_bigram(rowid, bigrams) "
    f"SELECT id, {_bigram_text('normalized')} FROM customers_customername",
]

POSTGRES_FORWARD = [
    """CREATE OR REPLACE FUNCTION huoban_bigrams(text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(DISTINCT substr($1, i, 2)), '{}')
        FROM generate_series(1, length($1) - 1) AS i
    $$""",
    "CREATE INDEX IF NOT EXISTS customers_customername_bigrams ON customers_customername "
    "USING gin (huoban_bigrams(normalized)) WITH (fastupdate = off)",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [SQLITE_TABLE, *SQLITE_TRIGGERS, *SQLITE_FILL]
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
            schema_editor.execute(f"DROP TRIGGER IF EXISTS customers_customername_bigram_{name}")
        schema_editor.execute("DROP TABLE IF EXISTS customers_customername_bigram")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS customers_customername_bigrams")
        schema_editor.execute("DROP FUNCTION IF EXISTS huoban_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [("customers", "0010_match_decisions")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
