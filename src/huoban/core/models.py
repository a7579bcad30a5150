"""Shared reference data: the business-day holiday table (R-CAL-2)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Holiday(models.Model):
    """An admin-entered calendar day (节假日/调休): overrides and extends chinese-calendar."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(
        _("是否工作日"), help_text=_("勾选表示调休上班日；不勾选表示放假")
    )
    name = models.CharField(_("名称"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")

    def __str__(self) -> str:
        kind = "上班" if self.is_workday else "放假"
        return f"{self.date} {self.name} ({kind})"
