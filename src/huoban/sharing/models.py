"""Co-delivery partners on a project (SPEC §10.5, R-RS-1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huoban.scoping import ScopedQuerySet


class ShareQuerySet(ScopedQuerySet["ProjectShare"]):
    """Staff see every row (the ratio itself only where `policy.sees_revenue_share` allows);
    a co-delivery partner's users its own shares (R-VIS-2, R-PRF-3)."""

    partner_path = "partner"


class ProjectShare(models.Model):
    """A co-delivery partner (合作方) on a project: its share s of the customer's cash, its role,
    and the business days d after each payment its entry falls due."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        related_name="shares",
    )
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("合作方"),
        on_delete=models.PROTECT,
        related_name="project_shares",
    )
    share = models.DecimalField(_("分成比例"), max_digits=5, decimal_places=4)
    role = models.CharField(_("分工"), max_length=200, blank=True)
    settle_days = models.PositiveSmallIntegerField(_("结算工作日"), default=5)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"))

    objects = ShareQuerySet.as_manager()

    class Meta:
        verbose_name = _("合作分成")
        verbose_name_plural = _("合作分成")
        ordering = ("project", "pk")
        constraints = [
            models.UniqueConstraint(fields=["project", "partner"], name="share_project_partner"),
            models.CheckConstraint(
                condition=models.Q(share__gt=0, share__lt=1), name="share_between_0_and_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} · {self.partner_id} · {self.share}"


class SchemeStatus(models.TextChoices):
    PROPOSED = "proposed", _("待批准")
    APPROVED = "approved", _("已批准")
    SET_ASIDE = "set_aside", _("未采用")


class SchemeQuerySet(ScopedQuerySet["ShareScheme"]):
    """Staff only: the company's negotiation with a co-delivery partner (the ratio itself only
    where `policy.sees_revenue_share` allows)."""

    partner_path = None


class ShareScheme(models.Model):
    """A proposed revenue-share scheme (分成方案) for a co-delivery partner on a project
    (R-RS-1): several side by side before approval (seed 001's 方案A 40% and 方案B 30%); the
    approved one becomes the project's `ProjectShare`, locked, and the others are set aside."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        related_name="share_schemes",
    )
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("合作方"),
        on_delete=models.PROTECT,
        related_name="share_schemes",
    )
    label = models.CharField(_("方案"), max_length=40)
    share = models.DecimalField(_("分成比例"), max_digits=5, decimal_places=4)
    role = models.CharField(_("分工"), max_length=200, blank=True)
    settle_days = models.PositiveSmallIntegerField(_("结算工作日"), default=5)
    status = models.CharField(
        _("状态"), max_length=12, choices=SchemeStatus.choices, default=SchemeStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("提出时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    locked_as = models.OneToOneField(
        ProjectShare,
        verbose_name=_("锁定的分成"),
        on_delete=models.PROTECT,
        related_name="scheme",
        null=True,
        blank=True,
    )

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("分成方案")
        verbose_name_plural = _("分成方案")
        ordering = ("project", "partner", "label", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "partner", "label"], name="scheme_project_partner_label"
            ),
            models.CheckConstraint(
                condition=models.Q(share__gt=0, share__lt=1), name="scheme_between_0_and_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} · {self.partner_id} · {self.label} {self.share}"
