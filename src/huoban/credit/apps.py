from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "huoban.credit"
    label = "credit"
    verbose_name = _("客户信用")

    def ready(self) -> None:
        # R-CRED-3: the risk matrix answers the projects' signing hook (credit sits above them).
        from .services import connect_hooks

        connect_hooks()
