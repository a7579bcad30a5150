from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "huoban.audit"
    label = "audit"
    verbose_name = _("审计日志")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .guards import install_after_migrate

        # After every migrate: SQLite drops a table's triggers when a migration rebuilds it.
        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="huoban-guards")
