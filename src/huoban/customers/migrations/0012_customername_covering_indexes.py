"""PostgreSQL: indexes that answer matching's prefix lookups without reading the table (issue #13).

Two candidate sources read names by their start: the abbreviation patterns (``normalized LIKE
'飞%亚%达%'``) and the first two characters (``head2 = '飞亚' ORDER BY id``). Through Django's
indexes each row the range holds is fetched from the heap to test the pattern or to return the
name: at a million customers a common first character is tens of thousands of rows, ~300 ms when
they are not in memory. With the name (and the id) in the index the scans are index-only. SQLite
needs nothing: its indexes hold the rowid, which is the id, and the abbreviation's column.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE INDEX IF NOT EXISTS customers_customername_normalized_prefix "
    "ON customers_customername (normalized varchar_pattern_ops) INCLUDE (id)",
    "CREATE INDEX IF NOT EXISTS customers_customername_head2_id "
    "ON customers_customername (head2, id) INCLUDE (normalized)",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS customers_customername_normalized_prefix")
        schema_editor.execute("DROP INDEX IF EXISTS customers_customername_head2_id")


class Migration(migrations.Migration):
    dependencies = [("customers", "0011_customername_bigram_index")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
