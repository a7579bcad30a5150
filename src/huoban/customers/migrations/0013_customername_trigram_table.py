"""PostgreSQL: each name's trigrams in a table ordered by the name's length (issue #13).

Matching asks, for a common trigram (智能科, 建设工: tens of thousands of names), the 50 shortest
names containing it (``matching._shortest_names_containing``). Through the pg_trgm index that
reads every such name and sorts them: 100–180 ms at a million customers, the tail of lead
registration's p95. This table holds (trigram, length, name id) for every distinct trigram of
every name, its primary key in that order, so the same answer is an index-only range scan of 50
entries (about 1 ms). Kept in step by a trigger on customers_customername (insert, delete, a
changed ``normalized``, truncate); filled here from the names already stored.

SQLite keeps its FTS5 trigram index (0003): its sort of the matches is fast enough there.
"""

from django.db import migrations

POSTGRES_TABLE = [
    """CREATE TABLE IF NOT EXISTS customers_nametrigram (
        trigram text NOT NULL,
        len smallint NOT NULL,
        name_id bigint NOT NULL,
        PRIMARY KEY (trigram, len, name_id)
    )""",
    "CREATE INDEX IF NOT EXISTS customers_nametrigram_name ON customers_nametrigram (name_id)",
    """CREATE OR REPLACE FUNCTION huoban_nametrigram_sync() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            DELETE FROM customers_nametrigram WHERE name_id = OLD.id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO customers_nametrigram (trigram, len, name_id)
            SELECT DISTINCT substr(NEW.normalized, g, 3), length(NEW.normalized), NEW.id
            FROM generate_series(1, length(NEW.normalized) - 2) AS g;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION huoban_nametrigram_truncate() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE customers_nametrigram;
        RETURN NULL;
    END $$""",
]

POSTGRES_TRIGGERS = [
    "DROP TRIGGER IF EXISTS customers_nametrigram_sync ON customers_customername",
    "DROP TRIGGER IF EXISTS customers_nametrigram_truncate ON customers_customername",
    """CREATE TRIGGER customers_nametrigram_sync
    AFTER INSERT OR DELETE OR UPDATE OF normalized ON customers_customername
    FOR EACH ROW EXECUTE FUNCTION huoban_nametrigram_sync()""",
    """CREATE TRIGGER customers_nametrigram_truncate
    AFTER TRUNCATE ON customers_customername
    FOR EACH STATEMENT EXECUTE FUNCTION huoban_nametrigram_truncate()""",
]

# Also run by ``huoban bench-data`` after its bulk load (the trigger is disabled during it).
POSTGRES_FILL = [
    "TRUNCATE customers_nametrigram",
    """INSERT INTO customers_nametrigram (trigram, len, name_id)
    SELECT DISTINCT substr(normalized, g, 3), length(normalized), id
    FROM customers_customername, generate_series(1, length(normalized) - 2) AS g""",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in [*POSTGRES_TABLE, *POSTGRES_TRIGGERS, *POSTGRES_FILL]:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in POSTGRES_TRIGGERS[:2]:
        schema_editor.execute(sql)
    schema_editor.execute("DROP TABLE IF EXISTS customers_nametrigram")
    schema_editor.execute("DROP FUNCTION IF EXISTS huoban_nametrigram_sync()")
    schema_editor.execute("DROP FUNCTION IF EXISTS huoban_nametrigram_truncate()")


class Migration(migrations.Migration):
    dependencies = [("customers", "0012_customername_covering_indexes")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
