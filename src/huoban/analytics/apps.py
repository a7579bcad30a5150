from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "huoban.analytics"
    label = "analytics"
    verbose_name = _("渠道分析")
