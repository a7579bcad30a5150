"""Projects (项目), their milestones (进度), customer payments (回款) and acceptance (验收)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huoban.scoping import STAFF, ScopedQuerySet, caller_scope


class Kind(models.TextChoices):
    NEW = "new", _("新签")
    RENEWAL = "renewal", _("续费")
    INCREMENT = "increment", _("增项")
    ITERATION = "iteration", _("迭代/二次开发")


class HighMarginCategory(models.TextChoices):
    AI_CUSTOM = "ai_custom", _("AI 定制")
    XINCHUANG = "xinchuang", _("信创国产化")
    GOV_TURNKEY = "gov_turnkey", _("政企总包")


class Status(models.TextChoices):
    SIGNED = "signed", _("已签约")
    ACCEPTED = "accepted", _("已验收")
    CANCELLED = "cancelled", _("已取消")


class Stage(models.TextChoices):
    """The six stages of the progress board (R-PROJ-3), in order."""

    REQUIREMENTS = "requirements", _("需求梳理")
    SOLUTION = "solution", _("方案设计")
    DEVELOPMENT = "development", _("开发测试")
    DEPLOYMENT = "deployment", _("部署上线")
    ACCEPTANCE = "acceptance", _("验收")
    MAINTENANCE = "maintenance", _("运维")


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("进行中")
    DONE = "done", _("已完成")
    BLOCKED = "blocked", _("受阻")


class PaymentKind(models.TextChoices):
    PAYMENT = "payment", _("回款")
    REFUND = "refund", _("退款")


class ProjectQuerySet(models.QuerySet["Project"]):
    def visible_to(self, user: Any) -> ProjectQuerySet:
        """Staff see every project; a partner user only its own partner's (R-VIS-1)."""
        scope = caller_scope(user)
        if scope is None:
            return self.none()
        return self if scope == STAFF else self.filter(partner_id=scope)


class Project(models.Model):
    """A signed project (项目) for one attributed customer; rate and total locked at signing."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="projects"
    )
    # The customer's owner at signing, stored (R-PROJ-1): a later transfer does not move it.
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="projects"
    )
    lead = models.ForeignKey(
        "leads.Lead", null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    title = models.CharField(_("项目名称"), max_length=200)
    # The company's own contract number (R-IMP-2: an import finds the project by it); optional,
    # unique when given.
    contract_no = models.CharField(_("合同编号"), max_length=64, blank=True, default="")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    high_margin = models.BooleanField(_("高毛利"), default=False)
    high_margin_category = models.CharField(
        _("高毛利类别"), max_length=16, choices=HighMarginCategory.choices, blank=True
    )
    contract_amount = models.DecimalField(_("合同额"), max_digits=14, decimal_places=2)
    signed_on = models.DateField(_("签约日"), db_index=True)
    # R-CRED-3: signed cash only (100% paid before work starts): no credit is granted.
    cash_only = models.BooleanField(_("全额预付"), default=False)
    project_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("项目经理"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_projects",
    )
    tier_at_signing = models.CharField(_("签约时梯度"), max_length=16)
    rate = models.DecimalField(_("佣金费率"), max_digits=6, decimal_places=4)
    commission_total = models.DecimalField(_("佣金总额"), max_digits=14, decimal_places=2)
    rate_explanation = models.TextField(_("费率说明"))
    policy_version = models.ForeignKey(
        "terms.PolicyVersion", on_delete=models.PROTECT, related_name="projects"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.SIGNED, db_index=True
    )
    accepted_on = models.DateField(_("验收日"), null=True, blank=True)
    cancelled_on = models.DateField(_("取消日"), null=True, blank=True)
    cancel_reason = models.TextField(_("取消原因"), blank=True)
    # The progress board's column (R-PROJ-3): the first stage not done, maintenance once every
    # stage is done. Kept by the milestone services, so the board reads an index instead of a
    # subquery per project in delivery (issue #12, R-UI-3).
    current_stage = models.CharField(
        _("当前阶段"), max_length=16, choices=Stage.choices, default=Stage.REQUIREMENTS
    )
    # Set when finance confirmed a payment taking the net received above the contract
    # amount (R-LED-10); shown as a flag on the project.
    over_contract_at = models.DateTimeField(_("超出合同金额确认时间"), null=True, blank=True)
    # Events (payments, refunds, acceptance, cancellation) are replayed in the order they were
    # recorded (R-LED-4); each takes the next number from this counter under the row lock.
    event_count = models.PositiveIntegerField(default=0)
    accepted_seq = models.PositiveIntegerField(null=True, blank=True)
    cancelled_seq = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"))

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        indexes = [
            models.Index(fields=["partner", "signed_on"], name="project_partner_signed_idx"),
            models.Index(fields=["partner", "status"], name="project_partner_status_idx"),
            models.Index(fields=["status", "current_stage", "signed_on"], name="project_board_idx"),
            # The project list filtered by status, newest signing first.
            models.Index(fields=["status", "signed_on", "id"], name="project_status_signed_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["contract_no"],
                condition=~models.Q(contract_no=""),
                name="project_contract_no",
            ),
            models.CheckConstraint(
                condition=Q(contract_amount__gt=0), name="%(app_label)s_%(class)s_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(high_margin=False, high_margin_category="")
                | (Q(high_margin=True) & ~Q(high_margin_category="")),
                name="%(app_label)s_%(class)s_high_margin_category",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"


class MilestoneQuerySet(ScopedQuerySet["Milestone"]):
    """Whose rows: the partner at 'project__partner' (R-VIS-1)."""

    partner_path = "project__partner"


class Milestone(models.Model):
    """One stage of a project's progress board (R-PROJ-3)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    stage = models.CharField(_("阶段"), max_length=16, choices=Stage.choices)
    position = models.PositiveSmallIntegerField()
    planned_on = models.DateField(_("计划日期"), null=True, blank=True)
    actual_on = models.DateField(_("实际日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.NOT_STARTED,
    )
    note = models.TextField(_("备注"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"))

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["project", "position"]
        verbose_name = _("里程碑")
        verbose_name_plural = _("里程碑")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "stage"], name="%(app_label)s_%(class)s_one_per_stage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.stage}"


class MilestoneUpdateQuerySet(ScopedQuerySet["MilestoneUpdate"]):
    """Whose rows: the partner at 'milestone__project__partner' (R-VIS-1)."""

    partner_path = "milestone__project__partner"


class MilestoneUpdate(models.Model):
    """History of a milestone (R-PROJ-3): who changed what, when."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changes = models.JSONField(_("变更"))

    objects = MilestoneUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["milestone", "at", "id"]
        verbose_name = _("里程碑更新")
        verbose_name_plural = _("里程碑更新")

    def __str__(self) -> str:
        return f"{self.milestone_id} @ {self.at:%Y-%m-%d %H:%M}"


class CustomerPaymentQuerySet(ScopedQuerySet["CustomerPayment"]):
    """Whose rows: the partner at 'project__partner' (R-VIS-1)."""

    partner_path = "project__partner"


class CustomerPayment(models.Model):
    """A customer payment 回款, or a refund pointing at the payment it returns (R-PROJ-4)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("类型"), max_length=8, choices=PaymentKind.choices)
    amount = models.DecimalField(_("金额"), max_digits=14, decimal_places=2)
    received_on = models.DateField(_("到账日"))
    reference = models.CharField(_("流水号"), max_length=100)
    refund_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    seq = models.PositiveIntegerField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))

    objects = CustomerPaymentQuerySet.as_manager()

    class Meta:
        ordering = ["project", "seq"]
        verbose_name = _("回款")
        verbose_name_plural = _("回款")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "reference"], name="%(app_label)s_%(class)s_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="%(app_label)s_%(class)s_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(kind="payment", refund_of__isnull=True)
                | Q(kind="refund", refund_of__isnull=False),
                name="%(app_label)s_%(class)s_refund_points_at_payment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} ({self.reference})"
