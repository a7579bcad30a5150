from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "huoban.partners"
    label = "partners"
    verbose_name = _("合作伙伴")

    def ready(self) -> None:
        # The standing layer (tiers) listens to the leads' and projects' hooks (R-TIER-1).
        from huoban.standing.tier_services import connect_hooks

        connect_hooks()
