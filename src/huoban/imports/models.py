"""The history of imports (R-IMP-1): who imported which file (by its SHA-256), when, of what
kind, checked only or applied, and the summary with the first row errors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huoban.core.files import private_storage
from huoban.scoping import ScopedQuerySet


class ImportKind(models.TextChoices):
    PARTNERS = "partners", _("伙伴")
    CUSTOMERS = "customers", _("客户")
    PROJECTS = "projects", _("项目")
    PAYMENTS = "payments", _("回款")
    KPIS = "kpis", _("记分卡实际值")


class ImportRunQuerySet(ScopedQuerySet["ImportRun"]):
    """Staff only: the company's own data loads."""

    partner_path = None


class ImportRun(models.Model):
    kind = models.CharField(_("类型"), max_length=12, choices=ImportKind.choices)
    file_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("文件 SHA-256"), max_length=64)
    # the checked file, kept so that the import confirmed in the console is the file checked
    file = models.FileField(_("文件"), upload_to="imports/", storage=private_storage, blank=True)
    dry_run = models.BooleanField(_("仅检查"))
    applied = models.BooleanField(_("已导入"), default=False)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    unchanged = models.PositiveIntegerField(_("未变"), default=0)
    failed = models.PositiveIntegerField(_("出错"), default=0)
    # [{row, column, message}] — the first MAX_KEPT_ERRORS; row 0 is the whole file
    errors = models.JSONField(_("错误"), default=list)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"))

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("数据导入记录")
        verbose_name_plural = _("数据导入记录")
        ordering = ("-started_at", "-pk")

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} {self.started_at:%Y-%m-%d %H:%M}"
