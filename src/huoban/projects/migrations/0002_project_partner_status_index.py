# A partner's projects by status (the portal's "in delivery" figure and list filter).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_projects_payments_milestones")]

    operations = [
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["partner", "status"], name="project_partner_status_idx"),
        ),
    ]
