"""Partner criticality (SPEC §10.2, R-CRIT): each assessment kept with its reason; the latest is
the partner's grade."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huoban.scoping import ScopedQuerySet


class Substitutability(models.TextChoices):
    HARD = "hard", _("难以替代")
    NORMAL = "normal", _("一般")
    EASY = "easy", _("容易替代")


class Investment(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


class Grade(models.TextChoices):
    S = "S", "S"
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"


class CriticalityQuerySet(ScopedQuerySet["CriticalityAssessment"]):
    """Staff see every partner's grade; a partner's users none: it is the company's own
    judgement of how much the partner matters (R-VIS)."""

    partner_path = None


class CriticalityAssessment(models.Model):
    """One grading of a partner (R-CRIT-1): strategic value and substitutability give the grade;
    the investment it needs is recorded beside it; each change keeps its reason (R-CRIT-2)."""

    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("伙伴"),
        on_delete=models.PROTECT,
        related_name="criticality_assessments",
    )
    strategic_value = models.PositiveSmallIntegerField(_("战略价值（星）"))
    substitutability = models.CharField(
        _("可替代性"), max_length=10, choices=Substitutability.choices
    )
    investment = models.CharField(
        _("所需投入"), max_length=10, choices=Investment.choices, blank=True
    )
    grade = models.CharField(_("关键等级"), max_length=1, choices=Grade.choices)
    explanation = models.TextField(_("计算说明"))
    reason = models.TextField(_("理由"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评估人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assessed_at = models.DateTimeField(_("评估时间"))

    objects = CriticalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("关键等级评估")
        verbose_name_plural = _("关键等级评估")
        indexes = [models.Index(fields=["partner", "-assessed_at"], name="criticality_latest")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(strategic_value__gte=1, strategic_value__lte=5),
                name="criticality_value_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.grade} @ {self.assessed_at:%Y-%m-%d}"


class AssessmentKind(models.TextChoices):
    CAPABILITY = "capability", _("合作能力")
    WILLINGNESS = "willingness", _("合作意愿")


class AssessmentQuerySet(ScopedQuerySet["Assessment"]):
    """Staff only, like the criticality grade: the company's own judgement."""

    partner_path = None


class Assessment(models.Model):
    """A dated capability or willingness assessment (R-ASM-1): each dimension 1–5 with a note;
    the score is their mean rounded half-up to 0.1. Kept; the latest shows with its trend."""

    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("伙伴"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    kind = models.CharField(_("类型"), max_length=12, choices=AssessmentKind.choices)
    scores = models.JSONField(_("各维度得分"))
    notes = models.JSONField(_("各维度说明"), default=dict)
    score = models.DecimalField(_("得分"), max_digits=2, decimal_places=1)
    trend = models.CharField(_("趋势"), max_length=5)
    explanation = models.TextField(_("计算说明"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评估人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assessed_at = models.DateTimeField(_("评估时间"))

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("能力与意愿评估")
        verbose_name_plural = _("能力与意愿评估")
        indexes = [
            models.Index(fields=["partner", "kind", "-assessed_at"], name="assessment_latest")
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.kind} {self.score}"


class Depth(models.TextChoices):
    STRATEGIC = "strategic", _("战略")
    IMPORTANT = "important", _("重要")
    ORDINARY = "ordinary", _("普通")


class DepthQuerySet(ScopedQuerySet["DepthDecision"]):
    """Staff see every partner's depth; a partner's users none (the company's judgement)."""

    partner_path = None


class DepthDecision(models.Model):
    """An officer's confirmation of a partner's cooperation depth (R-PRF-2), beside the rule's
    suggestion at the time and the reason; the latest is the partner's depth."""

    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("伙伴"),
        on_delete=models.PROTECT,
        related_name="depth_decisions",
    )
    depth = models.CharField(_("合作深度"), max_length=10, choices=Depth.choices)
    suggested = models.CharField(_("建议深度"), max_length=10, choices=Depth.choices)
    explanation = models.TextField(_("建议说明"))
    reason = models.TextField(_("理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("确认时间"))

    objects = DepthQuerySet.as_manager()

    class Meta:
        verbose_name = _("合作深度")
        verbose_name_plural = _("合作深度")
        ordering = ("-decided_at", "-pk")

    def __str__(self) -> str:
        return f"{self.partner_id} {self.depth}"


class Complementarity(models.TextChoices):
    TECHNOLOGY = "technology", _("技术互补")
    RESOURCE = "resource", _("资源互补")
    PRODUCT = "product", _("产品互补")


class ProfileQuerySet(ScopedQuerySet["PartnerProfile"]):
    """Staff see every profile; a partner's users their own (R-VIS-1)."""

    partner_path = "partner"


# R-PRF-1: the basic facts, in the order the page lists them; a blank one is 待补充.
FACTS = (
    "full_name",
    "founded_on",
    "registered_capital",
    "main_business",
    "core_technology",
    "team_size",
    "address",
    "website",
)


class PartnerProfile(models.Model):
    """A partner's basic facts and complementarity (R-PRF-1); any fact may be 待补充."""

    partner = models.OneToOneField(
        "partners.Partner", verbose_name=_("伙伴"), on_delete=models.PROTECT, related_name="profile"
    )
    complementarity = models.CharField(
        _("互补类型"), max_length=12, choices=Complementarity.choices, blank=True
    )
    full_name = models.CharField(_("全称"), max_length=200, blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    registered_capital = models.CharField(_("注册资本"), max_length=100, blank=True)
    main_business = models.TextField(_("主营业务"), blank=True)
    core_technology = models.TextField(_("核心技术"), blank=True)
    team_size = models.PositiveIntegerField(_("团队规模（人）"), null=True, blank=True)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    website = models.URLField(_("网站"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"))

    objects = ProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("伙伴基本信息")
        verbose_name_plural = _("伙伴基本信息")

    def __str__(self) -> str:
        return f"{self.partner_id}"

    def to_complete(self) -> list[str]:
        """The facts still 待补充, in the page's order."""
        return [f for f in FACTS if getattr(self, f) in (None, "")]


class ContactLayer(models.TextChoices):
    MANAGEMENT = "management", _("管理层")
    BUSINESS = "business", _("业务层")
    TECHNICAL = "technical", _("技术层")


class KeyContactQuerySet(ScopedQuerySet["KeyContact"]):
    partner_path = "partner"


class KeyContact(models.Model):
    """A key contact at the partner, by layer (R-PRF-1)."""

    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("伙伴"),
        on_delete=models.PROTECT,
        related_name="key_contacts",
    )
    name = models.CharField(_("姓名"), max_length=100)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    layer = models.CharField(_("层级"), max_length=12, choices=ContactLayer.choices)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)
    wechat = models.CharField(_("微信"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("登记时间"))

    objects = KeyContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("关键联系人")
        verbose_name_plural = _("关键联系人")
        ordering = ("partner", "layer", "pk")

    def __str__(self) -> str:
        return self.name


class DeliveryReviewQuerySet(ScopedQuerySet["DeliveryReview"]):
    """Staff only: the company's judgement of a co-delivering partner (R-ASM-2)."""

    partner_path = None


class DeliveryReview(models.Model):
    """A delivery review of a co-delivering partner (R-ASM-2, seed 001's 技术能力评估): ratings per
    dimension, each excellent / good / to_verify / weak; the latest is the partner's."""

    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("伙伴"),
        on_delete=models.PROTECT,
        related_name="delivery_reviews",
    )
    # A list of [dimension, rating] pairs in the reviewer's order: a JSON object would lose its
    # order in PostgreSQL's jsonb, which sorts the keys.
    ratings = models.JSONField(_("各维度评级"))
    note = models.TextField(_("说明"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评估人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("评估时间"))

    objects = DeliveryReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("交付能力评估")
        verbose_name_plural = _("交付能力评估")
        ordering = ("-reviewed_at", "-pk")

    def __str__(self) -> str:
        return f"{self.partner_id} {self.reviewed_at:%Y-%m-%d}"

    def rated(self) -> list[tuple[str, str]]:
        """The (dimension, rating) pairs in the reviewer's order."""
        return [(str(d), str(r)) for d, r in self.ratings]
