"""Cooperation agreements (SPEC §10.4, R-AGR-1/2): one row per version; an approved version never
changes, an amendment is the next version with its own approvals."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huoban.core.files import StoredFile
from huoban.scoping import ScopedQuerySet


class Kind(models.TextChoices):
    REFERRAL = "referral", _("引荐协议")
    CO_DELIVERY = "co_delivery", _("合作交付协议")
    SUPPLY = "supply", _("供应协议")
    CHANNEL = "channel", _("渠道协议")
    STRATEGIC = "strategic", _("战略合作协议")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿（待法务审核）")
    REVIEWED = "reviewed", _("法务已审（待总经理审批）")
    APPROVED = "approved", _("已生效")
    SUPERSEDED = "superseded", _("已被修订版取代")


class IpOwner(models.TextChoices):
    OURS = "ours", _("我方")
    THEIRS = "theirs", _("对方")
    JOINT = "joint", _("共有")
    PENDING = "pending", _("待定")


class CustomerOwner(models.TextChoices):
    US = "us", _("我方")
    PARTNER = "partner", _("伙伴")


# R-AGR-1: the three IP items every agreement settles.
IP_ITEMS = {
    "project": _("项目成果"),
    "platform": _("通用平台"),
    "customisation": _("客户定制"),
}


class AgreementQuerySet(ScopedQuerySet["Agreement"]):
    """Staff see every agreement's record; a partner's users their own partner's (R-VIS-1).
    The terms themselves are narrower (R-PRF-3: `policy.sees_agreement_terms`)."""

    partner_path = "partner"


class Agreement(models.Model):
    """One version of a partner's written agreement (合作协议, R-AGR-1)."""

    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("伙伴"),
        on_delete=models.PROTECT,
        related_name="cooperation_agreements",
    )
    number = models.CharField(_("协议编号"), max_length=20, db_index=True)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    amends = models.OneToOneField(
        "self",
        verbose_name=_("修订自"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendment",
    )
    kind = models.CharField(_("协议类型"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    title = models.CharField(_("标题"), max_length=200, blank=True)
    starts_on = models.DateField(_("生效日"))
    ends_on = models.DateField(_("到期日"))
    customer_name = models.CharField(
        _("第三方（客户）"), max_length=200, blank=True, help_text=_("三方协议时填写客户名称")
    )
    scheme = models.JSONField(_("结算方案"), null=True, blank=True)
    our_duties = models.TextField(_("我方职责"), blank=True)
    their_duties = models.TextField(_("对方职责"), blank=True)
    ip = models.JSONField(_("知识产权归属"), default=dict)
    customer_owner = models.CharField(
        _("客户关系归属"), max_length=10, choices=CustomerOwner.choices
    )
    data_owner = models.CharField(_("数据所有方"), max_length=100, blank=True)
    data_use_scope = models.TextField(_("数据使用范围"), blank=True)
    data_destroy_days = models.PositiveSmallIntegerField(
        _("终止后数据销毁期限（天）"), null=True, blank=True
    )
    data_security_level = models.CharField(_("数据安全等级"), max_length=50, blank=True)
    data_breach_damages = models.DecimalField(
        _("数据泄露违约金"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    notice_months = models.PositiveSmallIntegerField(_("提前终止通知期（月）"), default=6)
    penalty_rate = models.DecimalField(
        _("提前终止违约金比例"), max_digits=4, decimal_places=2, default=Decimal("0.20")
    )
    major = models.BooleanField(_("重大协议（须董事会审批）"), default=False)
    board_approved_on = models.DateField(_("董事会审批日"), null=True, blank=True)
    board_minute = models.CharField(_("董事会决议编号"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("起草时间"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("法务审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("法务审核时间"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("总经理审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("合作协议")
        verbose_name_plural = _("合作协议")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(fields=["number", "version"], name="agreement_number_version"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="agreement_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} v{self.version}"


class UnitReportQuerySet(ScopedQuerySet["UnitReport"]):
    """Staff see every report; a partner's users their own (R-VIS-1)."""

    partner_path = "partner"


class UnitReport(models.Model):
    """A month's units under an approved per-unit agreement (R-UNIT-2), priced and booked."""

    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("伙伴"), on_delete=models.PROTECT, related_name="+"
    )
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("协议"), on_delete=models.PROTECT, related_name="unit_reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    units = models.PositiveIntegerField(_("件数"))
    cumulative = models.PositiveIntegerField(_("年度累计件数"))
    complaint_rate = models.DecimalField(
        _("投诉率"), max_digits=6, decimal_places=4, null=True, blank=True
    )
    nps = models.DecimalField(_("NPS"), max_digits=5, decimal_places=1, null=True, blank=True)
    gross = models.DecimalField(_("计价金额"), max_digits=14, decimal_places=2)
    deduction_rate = models.DecimalField(_("质量扣减比例"), max_digits=4, decimal_places=2)
    amount = models.DecimalField(_("本月金额"), max_digits=14, decimal_places=2)
    true_up = models.DecimalField(_("达标补差"), max_digits=14, decimal_places=2)
    explanation = models.TextField(_("计算说明"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("登记时间"))

    objects = UnitReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("按件月报")
        verbose_name_plural = _("按件月报")
        ordering = ("partner", "year", "month")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "year", "month"], name="unit_report_partner_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.year}-{self.month:02d}"


class AgreementFileQuerySet(ScopedQuerySet["AgreementFile"]):
    """Like the agreement: staff and the partner's own users; the text itself is for those who
    read the terms (R-PRF-3: `policy.sees_agreement_terms`), checked by the pages."""

    partner_path = "agreement__partner"


class AgreementFile(StoredFile):
    """A file of an agreement (R-AGR-1): the signed copy, an annex, the board's minute."""

    FOLDER = "agreements"

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("协议"), on_delete=models.PROTECT, related_name="files"
    )

    objects = AgreementFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("协议文件")
        verbose_name_plural = _("协议文件")
        ordering = ("agreement", "pk")
