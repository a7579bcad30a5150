"""PostgreSQL: the trigram index over customer names without GIN's pending list.

With ``fastupdate`` on (the default) new entries go to an unsorted pending list that every
search reads in full until a VACUUM merges it — up to 4 MB, a few milliseconds on each of the
trigram lookups one lead submission makes. Names are written once per new customer and read on
every submission and name check, so they go straight into the index. SQLite: nothing to do.
"""

from django.db import migrations

INDEX = "customers_customername_normalized_trgm"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER INDEX IF EXISTS {INDEX} SET (fastupdate = off)")
    # Merge what is already pending (the function needs the index to exist).
    schema_editor.execute(
        f"SELECT gin_clean_pending_list(c.oid) FROM pg_class c WHERE c.relname = '{INDEX}'"
    )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER INDEX IF EXISTS {INDEX} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("customers", "0005_foreign_key_labels")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
