from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommissionsConfig(AppConfig):
    name = "huoban.commissions"
    label = "commissions"
    verbose_name = _("佣金")

    def ready(self) -> None:
        # The ledger answers the projects' hook: payments, acceptance and cancellation book
        # their commission in the project service's transaction (R-LED-4, R-LED-5).
        from huoban.commissions.ledger import connect_hooks

        connect_hooks()
