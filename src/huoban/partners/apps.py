from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "huoban.partners"
    label = "partners"
    verbose_name = _("合作伙伴")
