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


class ScorecardTemplateQuerySet(ScopedQuerySet["ScorecardTemplate"]):
    """Staff see every template; a partner's users their own partner's (the KPIs it is judged
    on are no secret to it)."""

    partner_path = "partner"


class ScorecardTemplate(models.Model):
    """A partner's scorecard template (R-KPI-1): the KPIs it is judged on each month, with their
    dimension, direction, target, unit, weight and the primary and complaint-rate marks — the
    month's form starts from it, the actuals left to fill (D-KPI-2)."""

    partner = models.OneToOneField(
        "partners.Partner",
        verbose_name=_("伙伴"),
        on_delete=models.PROTECT,
        related_name="scorecard_template",
    )
    # [{name, dimension, direction, target, unit, weight, primary, complaint_rate}]
    items = models.JSONField(_("指标"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更新人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"))

    objects = ScorecardTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("记分卡模板")
        verbose_name_plural = _("记分卡模板")

    def __str__(self) -> str:
        return f"{self.partner_id} template"


class Trigger(models.TextChoices):
    PERFORMANCE_DROP = "performance_drop", _("业绩下滑")
    REPLACEMENT = "replacement", _("启动替代")
    COMPLAINTS = "complaints", _("投诉激增")
    DATA_BREACH = "data_breach", _("数据泄露")
    OWNERSHIP_CHANGE = "ownership_change", _("股权变更")
    PERFORMANCE_EXIT = "performance_exit", _("绩效退出")
    UNQUALIFIED = "unqualified", _("不合格整改")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("处理中")
    CLOSED = "closed", _("已关闭")


class CaseQuerySet(ScopedQuerySet["Case"]):
    """Staff only: the company's handling of a partner in trouble (R-CRIS-6)."""

    partner_path = None

    def open(self) -> CaseQuerySet:
        return self.filter(status=CaseStatus.OPEN)


class Case(models.Model):
    """A crisis case (R-CRIS): its trigger, owner, steps with due dates, log and outcome. The
    key makes opening idempotent: a trigger opens one case per cause, however often it is
    evaluated (R-CRIS-6)."""

    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("伙伴"), on_delete=models.PROTECT, related_name="cases"
    )
    trigger = models.CharField(_("触发"), max_length=20, choices=Trigger.choices)
    key = models.CharField(_("触发键"), max_length=80, unique=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    reason = models.TextField(_("触发原因"))
    opened_on = models.DateField(_("开启日"))
    due_on = models.DateField(_("到期日"))
    # [{text, due_on, done_on}] from the playbook of the trigger
    steps = models.JSONField(_("处置步骤"), default=list)
    # [{at, by, text}]
    log = models.JSONField(_("处置记录"), default=list)
    # What the trigger found, kept with the case: for a data breach (R-CRIS-3) the customers
    # listed, the tokens revoked and the claim {amount, agreement}.
    details = models.JSONField(_("事件详情"), default=dict, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    scorecard = models.ForeignKey(
        Scorecard,
        verbose_name=_("来源记分卡"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    outcome = models.TextField(_("关闭结论"), blank=True)
    closed_on = models.DateField(_("关闭日"), null=True, blank=True)
    opened_at = models.DateTimeField(_("开启时间"))

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("危机事件")
        verbose_name_plural = _("危机事件")
        ordering = ("-opened_at", "-pk")

    def __str__(self) -> str:
        return f"{self.partner_id} {self.trigger} {self.opened_on}"

    @property
    def pauses(self) -> bool:
        """R-CRIS-2: an open complaints case pauses the partner's new business."""
        return self.trigger == Trigger.COMPLAINTS and self.status == CaseStatus.OPEN


class Colour(models.TextChoices):
    GREEN = "green", _("良好")
    AMBER = "amber", _("关注")
    RED = "red", _("危险")


class HealthQuerySet(ScopedQuerySet["HealthAssessment"]):
    """Staff only: the company's reading of the relationship (R-HLTH)."""

    partner_path = None


class HealthAssessment(models.Model):
    """A partner's monthly health (R-HLTH-1): five dimensions rated, `pending` not scored."""

    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("伙伴"),
        on_delete=models.PROTECT,
        related_name="health_assessments",
    )
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    # {dimension: excellent|good|medium|poor|bad|pending}
    ratings = models.JSONField(_("各项评价"))
    notes = models.JSONField(_("各项说明"), default=dict)
    overall = models.DecimalField(_("综合得分"), max_digits=2, decimal_places=1)
    colour = models.CharField(_("健康度"), max_length=8, choices=Colour.choices)
    explanation = models.TextField(_("计算说明"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评估人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assessed_at = models.DateTimeField(_("评估时间"))

    objects = HealthQuerySet.as_manager()

    class Meta:
        verbose_name = _("合作健康度")
        verbose_name_plural = _("合作健康度")
        ordering = ("partner", "-year", "-month")
        constraints = [
            models.UniqueConstraint(fields=["partner", "year", "month"], name="health_month")
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.year}-{self.month:02d} {self.overall}"

    @property
    def period(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


class RiskCategory(models.TextChoices):
    REVENUE_SHARE = "revenue_share", _("分成比例")
    RESPONSIBILITY = "responsibility", _("责任边界")
    CUSTOMER = "customer", _("客户关系")
    TECHNOLOGY = "technology", _("技术依赖")
    IP = "ip", _("知识产权")
    COMMUNICATION = "communication", _("沟通协调")
    CREDIT = "credit", _("信用")
    MARKET = "market", _("市场")
    BRAND = "brand", _("品牌")
    COMPLIANCE = "compliance", _("合规")
    OTHER = "other", _("其他")


class RiskLevel(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


class RiskStatus(models.TextChoices):
    OPEN = "open", _("未处理")
    MITIGATING = "mitigating", _("应对中")
    CLOSED = "closed", _("已关闭")


class RiskQuerySet(ScopedQuerySet["Risk"]):
    """Staff only: the company's register (R-RISK-1)."""

    partner_path = None

    def live(self) -> RiskQuerySet:
        return self.exclude(status=RiskStatus.CLOSED)


class Risk(models.Model):
    """A risk in the register (R-RISK-1), of one partner or programme-wide (no partner): its
    category, level, response, owner, status and next review; level changes are kept."""

    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("伙伴"),
        on_delete=models.PROTECT,
        related_name="risks",
        null=True,
        blank=True,
    )
    title = models.CharField(_("风险"), max_length=100)
    category = models.CharField(_("类别"), max_length=16, choices=RiskCategory.choices)
    level = models.CharField(_("等级"), max_length=8, choices=RiskLevel.choices)
    description = models.TextField(_("风险描述"), blank=True)
    response = models.TextField(_("应对措施"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=RiskStatus.choices, default=RiskStatus.OPEN
    )
    next_review = models.DateField(_("下次复核"))
    # [{on, by, level?, status?, note}] — every review, level changes included
    history = models.JSONField(_("变更记录"), default=list)
    source = models.CharField(_("来源"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("登记时间"))

    objects = RiskQuerySet.as_manager()

    class Meta:
        verbose_name = _("风险")
        verbose_name_plural = _("风险台账")
        ordering = ("status", "next_review", "pk")

    def __str__(self) -> str:
        return f"{self.partner_id} {self.level} {self.title}"


class MeetingKind(models.TextChoices):
    EXECUTIVE = "executive", _("高层复盘")
    BUSINESS = "business", _("业务复盘")
    COMMERCIAL = "commercial", _("商务谈判")
    WORKSHOP = "workshop", _("联合创新工作坊")
    PROJECT = "project", _("项目例会")
    OTHER = "other", _("其他会议")


class MeetingQuerySet(ScopedQuerySet["Meeting"]):
    """Staff only: the company's own records of its meetings with a partner (R-MEET-2)."""

    partner_path = None


class Meeting(models.Model):
    """A meeting with a partner (R-MEET-2): kind, date, attendees, agenda, minutes, decisions
    and action items (owner, due date, done)."""

    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("伙伴"), on_delete=models.PROTECT,
        related_name="meetings",
    )  # fmt: skip
    kind = models.CharField(_("会议类型"), max_length=12, choices=MeetingKind.choices)
    held_on = models.DateField(_("会议日期"))
    ours = models.CharField(_("我方参会"), max_length=300, blank=True)
    theirs = models.CharField(_("对方参会"), max_length=300, blank=True)
    agenda = models.TextField(_("议程"), blank=True)
    minutes = models.TextField(_("纪要"), blank=True)
    decisions = models.TextField(_("决议"), blank=True)
    # [{text, owner, due_on, done_on}]
    actions = models.JSONField(_("待办事项"), default=list)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("记录时间"))

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("伙伴会议")
        verbose_name_plural = _("伙伴会议")
        ordering = ("partner", "-held_on", "-pk")

    def __str__(self) -> str:
        return f"{self.partner_id} {self.kind} {self.held_on}"
