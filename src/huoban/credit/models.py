"""Customer credit (SPEC §10.12): credit reviews (资信调查), finance's approvals to exceed a
limit, and projects' billing plans. Staff only: the company's judgement of its customers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huoban.scoping import ScopedQuerySet


class Rating(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


class RiskLevel(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("待总经理审批")
    IN_FORCE = "in_force", _("生效")
    DECLINED = "declined", _("未获批准")


class CreditReviewQuerySet(ScopedQuerySet["CreditReview"]):
    """Staff only (R-CRED-2): the company's judgement of a customer's credit."""

    partner_path = None

    def in_force_on(self, day: object) -> CreditReviewQuerySet:
        return self.filter(status=ReviewStatus.IN_FORCE, valid_from__lte=day, valid_until__gte=day)


class CreditReview(models.Model):
    """A credit review of a customer (R-CRED-2): its sources and findings, rating, risk, limit
    and validity. One above 1,000,000.00 waits for the gm; the latest one in force holds."""

    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("客户"),
        on_delete=models.PROTECT,
        related_name="credit_reviews",
    )
    sources = models.JSONField(_("信息来源"), default=list)
    registered_capital = models.DecimalField(
        _("注册资本"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    years_in_operation = models.PositiveSmallIntegerField(_("经营年限"), null=True, blank=True)
    # Computed when recorded: {instalments_overdue, average_days_late, ...}
    payment_history = models.JSONField(_("我方回款记录"), default=dict)
    dishonest_debtor = models.BooleanField(_("失信被执行人"), default=False)
    rating = models.CharField(_("信用评级"), max_length=1, choices=Rating.choices)
    assessed_risk = models.CharField(_("评定风险"), max_length=8, choices=RiskLevel.choices)
    risk = models.CharField(_("信用风险"), max_length=8, choices=RiskLevel.choices)
    credit_limit = models.DecimalField(
        _("信用额度"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    valid_from = models.DateField(_("生效日"))
    valid_until = models.DateField(_("有效期至"))
    status = models.CharField(_("状态"), max_length=10, choices=ReviewStatus.choices)
    note = models.TextField(_("说明"), blank=True)
    explanation = models.TextField(_("评定说明"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("调查人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("登记时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批人"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True,
    )  # fmt: skip
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    objects = CreditReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("资信调查")
        verbose_name_plural = _("资信调查")
        ordering = ("customer", "-recorded_at", "-id")

    def __str__(self) -> str:
        return f"{self.customer_id} {self.rating} {self.risk}"


class CreditExcessQuerySet(ScopedQuerySet["CreditExcess"]):
    partner_path = None


class CreditExcess(models.Model):
    """Finance's approval for one project over a medium-risk customer's limit (R-CRED-3):
    up to ``amount``, used by the next such signing."""

    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("客户"), on_delete=models.PROTECT,
        related_name="credit_excesses",
    )  # fmt: skip
    amount = models.DecimalField(_("批准项目金额上限"), max_digits=14, decimal_places=2)
    note = models.TextField(_("批准理由"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("批准人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    approved_at = models.DateTimeField(_("批准时间"))
    project = models.OneToOneField(
        "projects.Project", verbose_name=_("使用于项目"), on_delete=models.PROTECT,
        related_name="credit_excess", null=True, blank=True,
    )  # fmt: skip

    objects = CreditExcessQuerySet.as_manager()

    class Meta:
        verbose_name = _("超额度批准")
        verbose_name_plural = _("超额度批准")
        ordering = ("customer", "-approved_at", "-id")

    def __str__(self) -> str:
        return f"{self.customer_id} {self.amount}"


class InstalmentQuerySet(ScopedQuerySet["Instalment"]):
    partner_path = None


class Instalment(models.Model):
    """One instalment of a project's billing plan (R-CRED-1): an amount due on a date."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.CASCADE,
        related_name="instalments",
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(_("期次"))
    amount = models.DecimalField(_("金额"), max_digits=14, decimal_places=2)
    due_on = models.DateField(_("应收日"))

    objects = InstalmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("收款计划")
        verbose_name_plural = _("收款计划")
        ordering = ("project", "position")
        constraints = [
            models.UniqueConstraint(fields=["project", "position"], name="instalment_position")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} #{self.position} {self.amount} {self.due_on}"
