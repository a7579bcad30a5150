from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    name = "huoban.profiles"
    label = "profiles"
    verbose_name = _("伙伴画像")

    def ready(self) -> None:
        from .services import connect_hooks

        connect_hooks()
