from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsoleConfig(AppConfig):
    name = "huoban.console"
    label = "console"
    verbose_name = _("员工工作台")
