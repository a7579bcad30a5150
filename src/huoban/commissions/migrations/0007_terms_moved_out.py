# The policy versions and partner agreements now belong to the terms app (D-FRAME-11): their
# state leaves this app, their tables stay (terms.0001 adopts them under the same names).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("commissions", "0006_entry_effective_on"),
        ("projects", "0004_policy_version_in_terms"),
        ("terms", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="ledgerentry",
                    name="policy_version",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="ledger_entries", to="terms.policyversion"),
                ),
                migrations.DeleteModel(name="PartnerAgreement"),
                migrations.DeleteModel(name="PolicyVersion"),
            ],
        ),
    ]
