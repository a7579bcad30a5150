"""The partner registry (合作伙伴), recruitment links and tiers (SPEC §8)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huoban.scoping import STAFF, ScopedQuerySet, caller_scope


class PartnerKind(models.TextChoices):
    INDIVIDUAL = "individual", _("个人")
    ORGANIZATION = "organization", _("机构")


class PartnerType(models.TextChoices):
    CHANNEL = "channel", _("渠道伙伴")
    TECHNOLOGY = "technology", _("技术伙伴")
    SUPPLIER = "supplier", _("供应商")
    STRATEGIC_INVESTOR = "strategic_investor", _("战略投资方")
    OVERSEAS_AGENT = "overseas_agent", _("海外代理")


class Tier(models.TextChoices):
    LIGHT = "light", _("轻协同")
    DEEP = "deep", _("深度协同")
    STRATEGIC = "strategic", _("战略伙伴")


TIER_ORDER = {Tier.LIGHT: 0, Tier.DEEP: 1, Tier.STRATEGIC: 2}


class RetentionState(models.TextChoices):
    NONE = "none", _("正常")
    GRACE = "grace", _("保级缓冲期")
    RETAINED = "retained", _("已保级")
    LAPSED = "retention_lapsed", _("保级未达标")


class PartnerStatus(models.TextChoices):
    ACTIVE = "active", _("合作中")
    EXITED = "exited", _("已退出")


class ExitKind(models.TextChoices):
    PARTNER_INITIATED = "partner_initiated", _("伙伴主动退出")
    COMPANY_VIOLATION = "company_violation", _("因公司违约退出")
    MUTUAL = "mutual", _("协商退出")


class PartnerQuerySet(models.QuerySet["Partner"]):
    def visible_to(self, user: Any) -> PartnerQuerySet:
        """Staff see every partner; a partner user sees only its own partner (R-VIS-1)."""
        scope = caller_scope(user)
        if scope is None:
            return self.none()
        return self if scope == STAFF else self.filter(pk=scope)


class Partner(models.Model):
    """A referral, technology or supplier partner (合作伙伴): an individual or an organisation."""

    code = models.CharField(_("伙伴编号"), max_length=16, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=16, choices=PartnerKind.choices)
    types = models.JSONField(_("合作类别"), default=list, blank=True)
    region = models.CharField(_("地区"), max_length=100, blank=True)
    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, null=True, blank=True, unique=True
    )
    contact_name = models.CharField(_("联系人"), max_length=100, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    referrer = models.ForeignKey(
        "self",
        verbose_name=_("推荐伙伴"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recruits",
    )
    tier = models.CharField(_("合作梯度"), max_length=16, choices=Tier.choices, default=Tier.LIGHT)
    tier_since = models.DateField(_("梯度生效日"))
    retention_state = models.CharField(
        _("保级状态"), max_length=20, choices=RetentionState.choices, default=RetentionState.NONE
    )
    grace_until = models.DateField(_("缓冲期截止"), null=True, blank=True)
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("专属客户经理"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_partners",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=PartnerStatus.choices, default=PartnerStatus.ACTIVE
    )
    exit_kind = models.CharField(_("退出类型"), max_length=20, choices=ExitKind.choices, blank=True)
    exited_on = models.DateField(_("退出日期"), null=True, blank=True)
    # The day the partner gave notice of its own exit (R-EXIT-1: 30 days suggested).
    exit_notice_on = models.DateField(_("退出通知日"), null=True, blank=True)
    exit_note = models.TextField(_("退出说明"), blank=True)
    # White-label (贴牌/OEM) output, for strategic partners without violations (R-TIER-5).
    white_label = models.BooleanField(_("贴牌输出"), default=False)
    created_at = models.DateTimeField(_("创建时间"))
    # R-CRIS-2: paused by an open complaints case — no new lead, no new co-delivery project.
    paused_since = models.DateField(_("暂停新业务自"), null=True, blank=True)
    paused_reason = models.CharField(_("暂停原因"), max_length=200, blank=True)
    # R-CRIS-3: an open data-breach case stops data exchange — no API token, no export.
    data_blocked_since = models.DateField(_("数据交换暂停自"), null=True, blank=True)
    # R-AGR-2: a new partner needs the general manager's approval (null: waiting for it).
    approved_at = models.DateTimeField(_("总经理批准时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The year whose 1 January retention check has been done (R-TIER-3): once per year.
    retention_cycle = models.PositiveSmallIntegerField(_("保级周期"), null=True, blank=True)
    # When the 30-day inactivity notice went out (R-TIER-4); void once there is new activity.
    inactivity_notice_on = models.DateField(_("不活跃通知日"), null=True, blank=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("合作伙伴")
        verbose_name_plural = _("合作伙伴")
        constraints = [
            models.CheckConstraint(
                condition=~Q(referrer=models.F("id")),
                name="%(app_label)s_%(class)s_not_self_recruited",
            ),
            models.CheckConstraint(
                condition=Q(kind="organization") | Q(uscc__isnull=True),
                name="%(app_label)s_%(class)s_uscc_only_for_organizations",
            ),
        ]
        indexes = [models.Index(fields=["tier"], name="partner_tier_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_exited(self) -> bool:
        return self.status == PartnerStatus.EXITED


class TierChangeKind(models.TextChoices):
    REGISTER = "register", _("注册")
    PROMOTION = "promotion", _("自动晋级")
    APPLICATION = "application", _("申请获批")
    RETENTION = "retention", _("保级")
    DEMOTION = "demotion", _("降级")
    INACTIVITY_NOTICE = "inactivity_notice", _("不活跃通知")
    INACTIVITY = "inactivity", _("不活跃回到轻协同")


class TierChangeQuerySet(ScopedQuerySet["TierChange"]):
    """Whose rows: the partner at 'partner' (R-VIS-1)."""

    partner_path = "partner"


class TierChange(models.Model):
    """One line of a partner's tier history (R-TIER-6), including auto-approved promotions.

    Retention decisions and inactivity notices are history lines too, with from = to tier.
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="tier_history")
    at = models.DateTimeField(_("时间"))
    kind = models.CharField(
        _("类型"), max_length=20, choices=TierChangeKind.choices, default=TierChangeKind.REGISTER
    )
    from_tier = models.CharField(_("原梯度"), max_length=16, choices=Tier.choices, blank=True)
    to_tier = models.CharField(_("新梯度"), max_length=16, choices=Tier.choices)
    reason = models.TextField(_("原因"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = TierChangeQuerySet.as_manager()

    class Meta:
        ordering = ["partner", "at", "id"]
        verbose_name = _("梯度变更")
        verbose_name_plural = _("梯度变更")

    def __str__(self) -> str:
        return f"{self.partner.code} {self.from_tier}→{self.to_tier}"


class ApplicationKind(models.TextChoices):
    AUTO = "auto", _("自动晋级（自动批准）")
    STRATEGIC = "strategic", _("战略伙伴申请")


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")
    SUPERSEDED = "superseded", _("已被新申请取代")


class TierApplicationQuerySet(ScopedQuerySet["TierApplication"]):
    """Whose rows: the partner at 'partner' (R-VIS-1)."""

    partner_path = "partner"


class TierApplication(models.Model):
    """A tier application (梯度申请): a partner's strategic application (R-TIER-2) or the
    auto-approved record of an automatic promotion (R-TIER-1)."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="tier_applications")
    kind = models.CharField(_("类型"), max_length=16, choices=ApplicationKind.choices)
    from_tier = models.CharField(_("原梯度"), max_length=16, choices=Tier.choices)
    requested_tier = models.CharField(_("申请梯度"), max_length=16, choices=Tier.choices)
    resources = models.TextField(_("资源说明"), blank=True)
    plan = models.TextField(_("合作计划"), blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(_("申请时间"))
    due_on = models.DateField(_("审批截止"), null=True, blank=True)
    due_estimated = models.BooleanField(_("截止日为估算"), default=False)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    objects = TierApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_at", "-id"]
        verbose_name = _("梯度申请")
        verbose_name_plural = _("梯度申请")
        constraints = [
            models.UniqueConstraint(
                fields=["partner"],
                condition=Q(status="pending"),
                name="%(app_label)s_%(class)s_one_pending_per_partner",
            ),
        ]
        indexes = [
            models.Index(fields=["partner", "status"], name="tier_application_partner_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.partner_id} → {self.requested_tier} ({self.status})"


class ViolationKind(models.TextChoices):
    FAKE_LEAD = "fake_lead", _("虚假线索")
    CONFIDENTIALITY = "confidentiality", _("泄密")
    OTHER = "other", _("其他")


class PartnerViolationQuerySet(ScopedQuerySet["PartnerViolation"]):
    """Whose rows: the partner at 'partner' (R-VIS-1)."""

    partner_path = "partner"


class PartnerViolation(models.Model):
    """A partner violation (伙伴违规) recorded by an officer; blocks deep entry for 12 months
    (R-VIOL-2)."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="violations")
    kind = models.CharField(_("违规类型"), max_length=20, choices=ViolationKind.choices)
    occurred_on = models.DateField(_("发生日期"))
    description = models.TextField(_("说明"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"))

    objects = PartnerViolationQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("伙伴违规")
        verbose_name_plural = _("伙伴违规")
        indexes = [
            models.Index(fields=["partner", "occurred_on"], name="violation_partner_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.kind} {self.occurred_on}"


class CompanyViolationKind(models.TextChoices):
    BYPASS = "bypass", _("绕开伙伴")
    CONTACT_WITHOUT_CONSENT = "contact_without_consent", _("未经同意联系客户")
    WITHHELD_COMMISSION = "withheld_commission", _("扣发佣金")
    OTHER = "other", _("其他")


class CompanyViolationStatus(models.TextChoices):
    REPORTED = "reported", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("已驳回")


class CompanyViolationQuerySet(models.QuerySet["CompanyViolation"]):
    def visible_to(self, user: Any) -> CompanyViolationQuerySet:
        """Staff see every report; a partner user only its own partner's (R-VIS-1)."""
        return self.filter(partner__in=Partner.objects.visible_to(user))


class CompanyViolation(models.Model):
    """A company violation (公司违约) reported by a partner on one of its projects; once an
    admin confirms it the partner may claim liquidated damages (违约金, R-VIOL-1)."""

    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="company_violations"
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="company_violations"
    )
    kind = models.CharField(_("违约类型"), max_length=30, choices=CompanyViolationKind.choices)
    description = models.TextField(_("说明"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("报告时间"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=CompanyViolationStatus.choices,
        default=CompanyViolationStatus.REPORTED,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    decision_note = models.TextField(_("确认意见"), blank=True)

    objects = CompanyViolationQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("公司违约")
        verbose_name_plural = _("公司违约")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="reported") | Q(decided_at__isnull=False),
                name="%(app_label)s_%(class)s_decided_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["partner", "status"], name="company_violation_partner_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.partner_id} {self.kind} ({self.status})"


class InquiryStatus(models.TextChoices):
    NEW = "new", _("待联系")
    CONTACTED = "contacted", _("已联系")
    REJECTED = "rejected", _("已谢绝")
    CONVERTED = "converted", _("已转为伙伴")


OPEN_INQUIRY_STATUSES = (InquiryStatus.NEW, InquiryStatus.CONTACTED)


class InquiryQuerySet(ScopedQuerySet["PartnerInquiry"]):
    """Staff only: an application comes from someone who is not a partner yet (R-VIS-1)."""

    partner_path = None


class PartnerInquiry(models.Model):
    """A public application to become a partner (seed 000's 咨询对接回执, R-UI-1): anyone sends
    it without signing in; an officer contacts the applicant within 2 business days, then
    declines with a reason or turns it into a partner."""

    name = models.CharField(_("公司 / 个人名称"), max_length=200)
    contact = models.CharField(_("联系人"), max_length=100)
    phone = models.CharField(_("联系电话"), max_length=40)
    intended_tier = models.CharField(_("意向合作梯度"), max_length=16, choices=Tier.choices)
    resources = models.TextField(_("主要资源领域"), blank=True)
    note = models.TextField(_("其他需求或建议"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    contact_due_on = models.DateField(_("联系截止"))
    contact_due_estimated = models.BooleanField(_("截止日为估算"), default=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=InquiryStatus.choices, default=InquiryStatus.NEW
    )
    contacted_at = models.DateTimeField(_("联系时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    handling_note = models.TextField(_("处理说明"), blank=True)
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("转为伙伴"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inquiries",
    )

    objects = InquiryQuerySet.as_manager()

    class Meta:
        ordering = ["contact_due_on", "submitted_at", "id"]
        verbose_name = _("合作申请")
        verbose_name_plural = _("合作申请")
        indexes = [
            models.Index(fields=["status", "contact_due_on"], name="partner_inquiry_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.name} ({self.status})"
