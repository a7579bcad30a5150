"""Monthly scorecards (SPEC §10.7, R-KPI): one per partner and month, each correction a new
revision that keeps the old one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huoban.scoping import ScopedQuerySet


class Band(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    QUALIFIED = "qualified", _("合格")
    UNQUALIFIED = "unqualified", _("不合格")


class ScorecardQuerySet(ScopedQuerySet["Scorecard"]):
    """Staff see every scorecard; a partner's users their own partner's (its monthly report)."""

    partner_path = "partner"

    def current(self) -> ScorecardQuerySet:
        """The latest revision of each month (R-KPI-2: a correction keeps the old one)."""
        return self.filter(superseded_by__isnull=True)


class Scorecard(models.Model):
    """A partner's scorecard for one month (R-KPI-1/2): the KPIs with their targets, actuals,
    weights and scores, the total and its band."""

    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("伙伴"),
        on_delete=models.PROTECT,
        related_name="scorecards",
    )
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    revision = models.PositiveSmallIntegerField(_("修订版"), default=1)
    # [{name, dimension, direction, target, actual, unit, weight, primary, complaint_rate,
    #   score}] — amounts as strings, in the order entered
    items = models.JSONField(_("指标"))
    total = models.DecimalField(_("总分"), max_digits=5, decimal_places=1)
    band = models.CharField(_("等级"), max_length=12, choices=Band.choices)
    explanation = models.TextField(_("计算说明"))
    note = models.TextField(_("修订说明"), blank=True)
    superseded_by = models.OneToOneField(
        "self",
        verbose_name=_("被修订为"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"))

    objects = ScorecardQuerySet.as_manager()

    class Meta:
        verbose_name = _("伙伴记分卡")
        verbose_name_plural = _("伙伴记分卡")
        ordering = ("partner", "-year", "-month", "-revision")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "year", "month", "revision"], name="scorecard_revision"
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="scorecard_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.period} r{self.revision} {self.total}"

    @property
    def period(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"
