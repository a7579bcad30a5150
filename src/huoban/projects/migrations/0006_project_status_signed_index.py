
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0008_renormalize_invisible_and_traditional'),
        ('leads', '0004_lead_partner_submitted_index'),
        ('partners', '0005_partner_inquiry'),
        ('projects', '0005_current_stage'),
        ('terms', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='project',
            index=models.Index(fields=['status', 'signed_on', 'id'], name='project_status_signed_idx'),
        ),
    ]
