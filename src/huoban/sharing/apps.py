from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "huoban.sharing"
    label = "sharing"
    verbose_name = _("合作分成")

    def ready(self) -> None:
        from .services import connect_hooks

        connect_hooks()
