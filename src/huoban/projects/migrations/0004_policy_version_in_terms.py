# The policy version model moved to the terms app (D-FRAME-11): state only, same table.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0003_over_contract_flag"),
        ("terms", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="project",
                    name="policy_version",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="projects", to="terms.policyversion"),
                ),
            ],
        ),
    ]
