
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0008_renormalize_invisible_and_traditional'),
        ('leads', '0004_lead_partner_submitted_index'),
        ('partners', '0005_partner_inquiry'),
        ('projects', '0004_policy_version_in_terms'),
        ('terms', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='project',
            name='current_stage',
            field=models.CharField(choices=[('requirements', '需求梳理'), ('solution', '方案设计'), ('development', '开发测试'), ('deployment', '部署上线'), ('acceptance', '验收'), ('maintenance', '运维')], default='requirements', max_length=16, verbose_name='当前阶段'),
        ),
        # Each project's first stage not done (maintenance when all are), as the board's
        # subquery computed it; one statement on SQLite and PostgreSQL alike.
        migrations.RunSQL(
            """
            UPDATE projects_project SET current_stage = COALESCE(
                (SELECT m.stage FROM projects_milestone m
                 WHERE m.project_id = projects_project.id AND m.status <> 'done'
                 ORDER BY m.position LIMIT 1),
                'maintenance')
            """,
            migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name='project',
            index=models.Index(fields=['status', 'current_stage', 'signed_on'], name='project_board_idx'),
        ),
    ]
