"""Leads (线索): registration, verdicts, appeals and the two-person second review (SPEC §4)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huoban.scoping import STAFF, ScopedQuerySet, caller_scope


class Category(models.TextChoices):
    """The five scenario categories of seed 000 §二."""

    DIGITALIZATION = "digitalization", _("企业数字化")
    XINCHUANG = "xinchuang", _("政企信创")
    AI = "ai", _("AI 智能改造")
    BRAND = "brand", _("品牌视觉")
    INDUSTRY = "industry", _("行业定制")


# The items under each category (seed 000 §二), as (code, label).
CATEGORY_ITEMS: dict[str, list[tuple[str, str]]] = {
    Category.DIGITALIZATION: [
        ("erp_oa_upgrade", "ERP/OA 系统升级"),
        ("digital_management_platform", "企业数字化管理平台"),
        ("private_domain_ops", "私域运营系统"),
        ("office_automation", "办公自动化改造"),
    ],
    Category.XINCHUANG: [
        ("domestic_system", "国产化系统开发"),
        ("xinchuang_adaptation", "信创环境适配"),
        ("gov_service_platform", "政务服务平台"),
        ("group_compliance_it", "集团合规信息化建设"),
    ],
    Category.AI: [
        ("smart_customer_service", "智能客服"),
        ("process_automation", "流程自动化"),
        ("knowledge_base", "企业知识库"),
        ("data_analytics", "数据分析平台"),
        ("industry_ai_model", "行业 AI 模型定制"),
    ],
    Category.BRAND: [
        ("vi_design", "VI 视觉设计"),
        ("ui_ux", "UI/UX 交互设计"),
        ("web_miniprogram_visual", "官网 / 小程序视觉落地"),
        ("brand_full_case", "品牌全案输出"),
    ],
    Category.INDUSTRY: [
        ("vertical_system", "垂直行业系统开发"),
        ("custom_tool", "企业专属工具开发"),
        ("transformation_turnkey", "数字化转型整体总包项目"),
    ],
}


class Status(models.TextChoices):
    PENDING = "pending", _("待评估")
    NEEDS_REVIEW = "needs_review", _("待确认客户")
    VALID = "valid", _("有效")
    INVALID = "invalid", _("无效")
    DUPLICATE = "duplicate", _("重复报备")
    APPEALED = "appealed", _("申诉复核中")


OPEN_STATUSES = (Status.PENDING, Status.NEEDS_REVIEW)


class Verdict(models.TextChoices):
    VALID = "valid", _("有效")
    INVALID = "invalid", _("无效")


class ReasonCode(models.TextChoices):
    NO_INTENT = "no_intent", _("纯咨询无落地意向")
    NO_AUTHORITY = "no_authority", _("无决策权限")
    PRICE_PROBING = "price_probing", _("同行套价")
    FAKE = "fake", _("虚假需求")
    OTHER = "other", _("其他")


class LeadQuerySet(models.QuerySet["Lead"]):
    def visible_to(self, user: Any) -> LeadQuerySet:
        """The one place leads are scoped to a caller (R-VIS-1): staff all, partners their own."""
        scope = caller_scope(user)
        if scope is None:
            return self.none()
        return self if scope == STAFF else self.filter(partner_id=scope)


class Lead(models.Model):
    """A partner's registration of an end customer's need (线索报备)."""

    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("伙伴"), on_delete=models.PROTECT, related_name="leads"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报备人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("报备时间"), db_index=True)
    # Matched or created customer; empty while a possible match awaits an officer.
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("客户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
    )
    candidate_customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("疑似匹配客户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The other customers the matcher named beside the candidate (an ambiguous name: 天山股份
    # is 天山水泥 or 天山钢铁); the officer may choose any of them (issue #13).
    other_candidates = models.ManyToManyField(
        "customers.Customer", verbose_name=_("其他疑似匹配客户"), blank=True, related_name="+"
    )
    match_score = models.DecimalField(
        _("相似度"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # How the possible match was scored, step by step (bilingual lines, issue #13).
    match_explanation = models.TextField(_("匹配说明"), blank=True)
    customer_name = models.CharField(_("客户名称"), max_length=200)
    customer_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    customer_region = models.CharField(_("地区"), max_length=100, blank=True)
    customer_industry = models.CharField(_("行业"), max_length=100, blank=True)
    contact = models.ForeignKey(
        "customers.Contact",
        verbose_name=_("联系人记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact_name = models.CharField(_("联系人"), max_length=100)
    contact_title = models.CharField(_("职务"), max_length=100, blank=True)
    contact_phone = models.CharField(_("电话"), max_length=32, blank=True)
    contact_is_decision_maker = models.BooleanField(_("是否决策人"), default=False)
    category = models.CharField(_("场景类别"), max_length=16, choices=Category.choices)
    item = models.CharField(_("具体内容"), max_length=40, blank=True)
    need = models.TextField(_("需求简述"))
    budget_min = models.DecimalField(
        _("预算下限"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    budget_max = models.DecimalField(
        _("预算上限"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    expected_start = models.DateField(_("预计启动"), null=True, blank=True)

    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    sla_due_at = models.DateTimeField(_("评估截止"), db_index=True)
    sla_breached = models.BooleanField(_("已超时"), default=False)

    verdict = models.CharField(_("结论"), max_length=8, choices=Verdict.choices, blank=True)
    verdict_at = models.DateTimeField(_("评估时间"), null=True, blank=True)
    # When the first verdict was given: what the 24-hour SLA measures (R-LEAD-3).
    first_verdict_at = models.DateTimeField(_("首次评估时间"), null=True, blank=True)
    verdict_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评估人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason_code = models.CharField(
        _("无效原因"), max_length=16, choices=ReasonCode.choices, blank=True
    )
    explanation = models.TextField(_("说明"), blank=True)
    feasibility = models.TextField(_("可行性评估"), blank=True)
    quote_min = models.DecimalField(
        _("报价下限"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    quote_max = models.DecimalField(
        _("报价上限"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    appeal_reason = models.TextField(_("申诉理由"), blank=True)
    appealed_at = models.DateTimeField(_("申诉时间"), null=True, blank=True)
    second_review_due_on = models.DateField(_("复核截止"), null=True, blank=True)
    second_review_due_estimated = models.BooleanField(default=False)
    final_at = models.DateTimeField(_("复核定论时间"), null=True, blank=True)

    objects = LeadQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("线索")
        verbose_name_plural = _("线索")
        indexes = [
            models.Index(fields=["customer", "status", "submitted_at"], name="lead_queue_idx"),
            models.Index(fields=["partner", "status"], name="lead_partner_status_idx"),
            # A partner's newest leads (the default order) without sorting all of them.
            models.Index(fields=["partner", "submitted_at"], name="lead_partner_submitted_idx"),
            models.Index(fields=["status", "sla_due_at"], name="lead_sla_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quote_min__isnull=True)
                | (Q(quote_min__gt=0) & Q(quote_max__gte=models.F("quote_min"))),
                name="%(app_label)s_%(class)s_quote_range",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.customer_name} ({self.get_status_display()})"


class SecondReviewSignatureQuerySet(ScopedQuerySet["SecondReviewSignature"]):
    """Whose rows: staff only (R-VIS-1)."""

    partner_path = None


class SecondReviewSignature(models.Model):
    """One reviewer's signed verdict on an appealed lead (R-LEAD-4)."""

    lead = models.ForeignKey(
        Lead, verbose_name=_("线索"), on_delete=models.CASCADE, related_name="signatures"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复核人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The seat the reviewer signed in: officer or presales.
    seat = models.CharField(_("席位"), max_length=16)
    verdict = models.CharField(_("结论"), max_length=8, choices=Verdict.choices)
    explanation = models.TextField(_("说明"))
    at = models.DateTimeField(_("时间"))

    objects = SecondReviewSignatureQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("复核签字")
        verbose_name_plural = _("复核签字")
        constraints = [
            models.UniqueConstraint(
                fields=["lead", "reviewer"], name="%(app_label)s_%(class)s_one_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.lead_id} {self.reviewer} {self.verdict}"
