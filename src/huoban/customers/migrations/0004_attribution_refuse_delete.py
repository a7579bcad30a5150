"""Permanent attribution (永久归属, R-ATT-4) at the database level: DELETE on
customers_attribution is refused by a trigger, whatever the client.

PostgreSQL TRUNCATE (a deliberate administrative act, used by test flushes) is not a row
DELETE and is not blocked. On SQLite a later migration that rebuilds customers_attribution must
re-create the trigger.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS customers_attribution_refuse_delete",
    """CREATE TRIGGER customers_attribution_refuse_delete BEFORE DELETE ON customers_attribution
    BEGIN
        SELECT RAISE(ABORT, 'attribution is permanent');
    END""",
]

POSTGRES_FORWARD = [
    """CREATE OR REPLACE FUNCTION customers_attribution_refuse_delete() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'attribution is permanent' USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$""",
    "DROP TRIGGER IF EXISTS customers_attribution_refuse_delete ON customers_attribution",
    """CREATE TRIGGER customers_attribution_refuse_delete BEFORE DELETE ON customers_attribution
    FOR EACH ROW EXECUTE FUNCTION customers_attribution_refuse_delete()""",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS customers_attribution_refuse_delete")
    elif vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS customers_attribution_refuse_delete ON customers_attribution"
        )
        schema_editor.execute("DROP FUNCTION IF EXISTS customers_attribution_refuse_delete()")


class Migration(migrations.Migration):
    dependencies = [("customers", "0003_customername_trigram_index")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
