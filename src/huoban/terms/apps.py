from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TermsConfig(AppConfig):
    name = "huoban.terms"
    label = "terms"
    verbose_name = _("佣金政策")
