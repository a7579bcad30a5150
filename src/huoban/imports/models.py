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


class BankStatementQuerySet(ScopedQuerySet["BankStatement"]):
    """Staff only: the company's bank statements."""

    partner_path = None


class BankLineQuerySet(ScopedQuerySet["BankLine"]):
    """Staff only: the lines of the company's bank statements."""

    partner_path = None


class BankStatement(models.Model):
    """A bank statement finance uploaded to reconcile (R-IMP-4): its file, kept, fingerprinted,
    and the layout it was read as."""

    file_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("文件 SHA-256"), max_length=64, unique=True)
    file = models.FileField(_("文件"), upload_to="statements/", storage=private_storage)
    bank = models.CharField(_("格式"), max_length=20)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    uploaded_at = models.DateTimeField(_("上传时间"))

    objects = BankStatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("银行流水")
        verbose_name_plural = _("银行流水")
        ordering = ("-uploaded_at", "-pk")

    def __str__(self) -> str:
        return self.file_name


class LineStatus(models.TextChoices):
    MATCHED = "matched", _("已匹配")
    SUGGESTED = "suggested", _("待确认")
    UNMATCHED = "unmatched", _("未匹配")
    RECORDED = "recorded", _("已入账")


class BankLine(models.Model):
    """One incoming line of a statement (R-IMP-4): the project it was matched or suggested to
    and why, and the payment it became once finance confirmed it."""

    statement = models.ForeignKey(
        BankStatement, on_delete=models.PROTECT, related_name="lines", verbose_name=_("银行流水")
    )
    row = models.PositiveIntegerField(_("行"))
    booked_on = models.DateField(_("交易日期"))
    amount = models.DecimalField(_("金额"), max_digits=14, decimal_places=2)
    payer = models.CharField(_("付款人"), max_length=200, blank=True)
    reference = models.CharField(_("流水号"), max_length=100, blank=True)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=LineStatus.choices)
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    reason = models.CharField(_("匹配依据"), max_length=300, blank=True)
    payment = models.ForeignKey(
        "projects.CustomerPayment", verbose_name=_("回款"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip

    objects = BankLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("银行流水明细")
        verbose_name_plural = _("银行流水明细")
        ordering = ("statement", "row")
        constraints = [
            models.UniqueConstraint(fields=["statement", "row"], name="bank_line_row"),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}:{self.row} {self.amount}"

    @property
    def payment_reference(self) -> str:
        """The reference the payment is recorded under: the bank's, else the file's and row's —
        the same line in another statement is the same payment (R-IMP-2)."""
        return self.reference or f"BANK-{self.booked_on:%Y%m%d}-{self.amount}-{self.payer}"[:100]
