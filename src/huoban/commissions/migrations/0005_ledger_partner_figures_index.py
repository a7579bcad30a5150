# A partner's ledger figures from one index: (partner, earned_on) widened with the columns the
# totals, the months and the next entries due read, so a big partner's pages need no row reads.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("commissions", "0004_ledger_composite_indexes_only")]

    operations = [
        migrations.RemoveIndex(model_name="ledgerentry", name="ledger_partner_earned_idx"),
        migrations.AddIndex(
            model_name="ledgerentry",
            index=models.Index(
                fields=["partner", "earned_on", "effective", "status", "amount", "due_on"],
                name="ledger_partner_figures_idx",
            ),
        ),
    ]
