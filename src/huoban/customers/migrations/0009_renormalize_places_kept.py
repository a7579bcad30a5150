"""Issue #13: normalisation keeps a leading place when what follows it is only industry words or
a single character (太原化工, 沈阳化工 and 日照港 no longer share or lose a key), and knows every
prefecture-level city. Stored keys are rewritten as in 0008, by the same function; a key that
would collide with another customer's is left as it was (an officer merges such pairs)."""

import importlib

from django.db import migrations

renormalize = importlib.import_module(
    "huoban.customers.migrations.0008_renormalize_invisible_and_traditional"
).renormalize


class Migration(migrations.Migration):
    dependencies = [("customers", "0008_renormalize_invisible_and_traditional")]

    operations = [migrations.RunPython(renormalize, migrations.RunPython.noop, elidable=True)]
