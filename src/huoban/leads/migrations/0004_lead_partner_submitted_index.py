# A partner's newest leads (the default order) without sorting all of its leads.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("leads", "0003_foreign_key_labels")]

    operations = [
        migrations.AddIndex(
            model_name="lead",
            index=models.Index(fields=["partner", "submitted_at"], name="lead_partner_submitted_idx"),
        ),
    ]
