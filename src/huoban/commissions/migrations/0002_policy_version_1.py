"""Policy version 1 from seed 000 §四, exactly as rules.POLICY_V1 (R-POL-1)."""

import datetime as dt

from django.db import migrations


def create_v1(apps, schema_editor):
    from huoban.terms.models import parameters_of
    from huoban.terms.rules import POLICY_V1

    PolicyVersion = apps.get_model("commissions", "PolicyVersion")
    PolicyVersion.objects.get_or_create(
        version=POLICY_V1.version,
        defaults={
            "effective_from": POLICY_V1.effective_from,
            "parameters": parameters_of(POLICY_V1),
            "created_at": dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
        },
    )


def remove_v1(apps, schema_editor):
    apps.get_model("commissions", "PolicyVersion").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("commissions", "0001_policy_versions")]

    operations = [migrations.RunPython(create_v1, remove_v1)]
