"""Channel costs (SPEC §10.13, R-ANL-1): what the programme spends on a partner beyond its
commission — events, marketing funds, travel — dated, entered by finance and officers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huoban.scoping import ScopedQuerySet


class CostCategory(models.TextChoices):
    EVENT = "event", _("活动")
    MARKETING_FUND = "marketing_fund", _("市场发展基金")
    TRAVEL = "travel", _("差旅")
    TRAINING = "training", _("培训")
    OTHER = "other", _("其他")


class ChannelCostQuerySet(ScopedQuerySet["ChannelCost"]):
    """Staff only: the company's spending on its channels."""

    partner_path = None


class ChannelCost(models.Model):
    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("伙伴"), on_delete=models.PROTECT,
        related_name="channel_costs",
    )  # fmt: skip
    amount = models.DecimalField(_("金额"), max_digits=14, decimal_places=2)
    spent_on = models.DateField(_("发生日"), db_index=True)
    category = models.CharField(_("类别"), max_length=16, choices=CostCategory.choices)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("登记时间"))

    objects = ChannelCostQuerySet.as_manager()

    class Meta:
        verbose_name = _("渠道费用")
        verbose_name_plural = _("渠道费用")
        ordering = ("-spent_on", "-id")

    def __str__(self) -> str:
        return f"{self.partner_id} {self.spent_on} {self.amount}"


class TargetKey(models.TextChoices):
    """R-ANL-2: the programme's KPIs (seed 003's 阶段绩效评估)."""

    NEW_CUSTOMERS = "new_customers", _("新增客户数量（每月）")
    CHANNEL_ROI = "channel_roi", _("渠道 ROI")
    RETENTION = "retention", _("年度留存率")
    AGENT_ACHIEVEMENT = "agent_achievement", _("代理达成率")
    RATING_ACCURACY = "rating_accuracy", _("信用评级准确率")


class ProgrammeTargetQuerySet(ScopedQuerySet["ProgrammeTarget"]):
    """Staff only: the programme's own targets."""

    partner_path = None


class ProgrammeTarget(models.Model):
    """An edited target of the programme KPI board (R-ANL-2); absent, seed 003's holds."""

    key = models.CharField(_("指标"), max_length=20, choices=TargetKey.choices, unique=True)
    value = models.DecimalField(_("目标值"), max_digits=10, decimal_places=4)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("设定人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    set_at = models.DateTimeField(_("设定时间"))

    objects = ProgrammeTargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目目标")
        verbose_name_plural = _("项目目标")
        ordering = ("key",)

    def __str__(self) -> str:
        return f"{self.key} {self.value}"


class ChannelSnapshotQuerySet(ScopedQuerySet["ChannelSnapshot"]):
    """Staff only: the channels' inputs for a period, as the daily job counted them."""

    partner_path = None


class ChannelSnapshot(models.Model):
    """Every channel's inputs for one period (R-ANL-1), counted by `huoban tick` for this year
    to date, so the analytics page reads one row instead of counting a million payments
    (R-UI-3, D-ANL-3). Used only on the day it was counted."""

    start = models.DateField(_("起始日"))
    end = models.DateField(_("截止日"))
    # {partner id or "direct": [the fields of analytics.rules.Inputs, in order]}
    inputs = models.JSONField(_("各渠道数据"))
    computed_at = models.DateTimeField(_("统计时间"))

    objects = ChannelSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("渠道数据快照")
        verbose_name_plural = _("渠道数据快照")
        constraints = [
            models.UniqueConstraint(fields=["start", "end"], name="channel_snapshot_period")
        ]

    def __str__(self) -> str:
        return f"{self.start}…{self.end} @ {self.computed_at:%Y-%m-%d %H:%M}"
