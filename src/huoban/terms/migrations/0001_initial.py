# The policy versions and partner agreements move here from the commissions app (issue #11,
# D-FRAME-11): the state moves, the tables stay where they are (no data is copied).

import django.db.models.deletion
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    """Existing databases: the two content types (and so their permissions) follow the models."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("policyversion", "partneragreement"):
        if not ContentType.objects.filter(app_label="terms", model=model).exists():
            ContentType.objects.filter(app_label="commissions", model=model).update(
                app_label="terms"
            )


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("policyversion", "partneragreement"):
        if not ContentType.objects.filter(app_label="commissions", model=model).exists():
            ContentType.objects.filter(app_label="terms", model=model).update(
                app_label="commissions"
            )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("partners", "0004_exit_kind_label"),
        ("commissions", "0006_entry_effective_on"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="PolicyVersion",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(unique=True, verbose_name="版本")),
                        ("effective_from", models.DateField(db_index=True, verbose_name="生效日")),
                        ("parameters", models.JSONField(verbose_name="参数")),
                        ("created_at", models.DateTimeField(verbose_name="创建时间")),
                    ],
                    options={
                        "verbose_name": "佣金政策版本",
                        "verbose_name_plural": "佣金政策版本",
                        "db_table": "commissions_policyversion",
                        "ordering": ["version"],
                    },
                ),
                migrations.CreateModel(
                    name="PartnerAgreement",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("signed_on", models.DateField(verbose_name="签订日")),
                        ("note", models.TextField(blank=True, verbose_name="备注")),
                        ("partner", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="agreements", to="partners.partner")),
                        ("policy_version", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="agreements", to="terms.policyversion")),
                    ],
                    options={
                        "verbose_name": "合作协议",
                        "verbose_name_plural": "合作协议",
                        "db_table": "commissions_partneragreement",
                        "ordering": ["partner", "-signed_on", "-id"],
                        "indexes": [models.Index(fields=["partner", "signed_on"], name="agreement_partner_idx")],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
