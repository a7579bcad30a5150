"""Selections and their candidates (SPEC §10.3, R-SEL-1/2): staff-only records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huoban.core.files import StoredFile
from huoban.scoping import ScopedQuerySet


class Stage(models.TextChoices):
    SOURCED = "sourced", _("已接触")
    SCREENED = "screened", _("已初筛")
    NDA = "nda", _("已签保密协议")
    DUE_DILIGENCE = "due_diligence", _("尽职调查")
    TRIAL = "trial", _("试点中")
    DECIDED = "decided", _("已决定")
    SIGNED = "signed", _("已签约")
    REJECTED = "rejected", _("已淘汰")


class Decision(models.TextChoices):
    SIGN = "sign", _("签约")
    EXTEND = "extend", _("延长试点")
    STOP = "stop", _("终止")


# R-SEL-2: the due-diligence checklist's four sections.
DD_SECTIONS = {
    "resources": _("资源"),
    "technology": _("技术"),
    "commercial": _("商务"),
    "culture": _("文化"),
}


class SelectionQuerySet(ScopedQuerySet["Selection"]):
    """The company's own choosing: staff only; partner users see none (R-VIS)."""

    partner_path = None


class CandidateQuerySet(ScopedQuerySet["Candidate"]):
    """Staff only, like the selection (R-VIS)."""

    partner_path = None


class Selection(models.Model):
    """A need for a partner (合作需求, R-SEL-1): what we need and offer, the partner type sought,
    the screening checklist and the trial success criteria."""

    title = models.CharField(_("标题"), max_length=200)
    partner_type = models.CharField(_("伙伴类型"), max_length=20)
    needs = models.TextField(_("我方需求"), blank=True)
    offers = models.TextField(_("我方提供"), blank=True)
    screening = models.JSONField(_("初筛清单"), default=list)
    criteria = models.JSONField(_("试点成功标准"), default=list)
    # R-CRIS-1: a replacement selection opened by an escalated case waits as a draft until an
    # officer takes it up (adds candidates).
    draft = models.BooleanField(_("草稿"), default=False)
    # Null for a replacement selection that `huoban tick` opened (R-CRIS-6).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True,
    )  # fmt: skip
    created_at = models.DateTimeField(_("创建时间"))

    objects = SelectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("伙伴甄选")
        verbose_name_plural = _("伙伴甄选")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return self.title


class Candidate(models.Model):
    """A candidate partner moving through the stages in order (R-SEL-2)."""

    selection = models.ForeignKey(
        Selection, verbose_name=_("甄选"), on_delete=models.PROTECT, related_name="candidates"
    )
    name = models.CharField(_("名称"), max_length=200)
    channel = models.CharField(_("来源渠道"), max_length=100, blank=True)
    stage = models.CharField(
        _("阶段"), max_length=16, choices=Stage.choices, default=Stage.SOURCED, db_index=True
    )
    screening = models.JSONField(_("初筛结果"), default=dict)
    # R-SEL-2: capability and willingness assessed at screening (dimension → 1..5; {} when not
    # assessed), scored by huoban.assessing; they go with the candidate when signed (R-SEL-4).
    capability = models.JSONField(_("能力评估"), default=dict, blank=True)
    willingness = models.JSONField(_("意愿评估"), default=dict, blank=True)
    nda_signed_on = models.DateField(_("保密协议签署日"), null=True, blank=True)
    due_diligence = models.JSONField(_("尽调清单"), default=dict)
    trial_scope = models.TextField(_("试点范围"), blank=True)
    trial_start = models.DateField(_("试点开始"), null=True, blank=True)
    trial_end = models.DateField(_("试点结束"), null=True, blank=True)
    trials = models.JSONField(_("试点结果"), default=list)
    decision = models.CharField(
        _("决定"), max_length=8, choices=Decision.choices, blank=True, default=""
    )
    decision_explanation = models.TextField(_("决定说明"), blank=True)
    override_reason = models.TextField(_("改判理由"), blank=True)
    rejected_reason = models.TextField(_("淘汰理由"), blank=True)
    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("签约伙伴"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    agreement = models.ForeignKey(
        "agreements.Agreement", verbose_name=_("协议草稿"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("创建时间"))

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("候选伙伴")
        verbose_name_plural = _("候选伙伴")
        ordering = ("selection", "pk")

    def __str__(self) -> str:
        return self.name

    @property
    def red_flags(self) -> int:
        """R-SEL-2: the due-diligence answers that failed."""
        return sum(
            1
            for answers in self.due_diligence.values()
            for item in answers
            if isinstance(item, dict) and item.get("red_flag")
        )


class FileKind(models.TextChoices):
    NDA = "nda", _("保密协议")
    DUE_DILIGENCE = "due_diligence", _("尽调材料")
    TRIAL = "trial", _("试点材料")
    OTHER = "other", _("其他")


class CandidateFileQuerySet(ScopedQuerySet["CandidateFile"]):
    """Staff only, like the selection."""

    partner_path = None


class CandidateFile(StoredFile):
    """A candidate's file (R-SEL-2): the signed NDA, due-diligence material, trial reports; they
    go with the candidate when it becomes a partner (R-SEL-4)."""

    FOLDER = "selection"

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("候选伙伴"), on_delete=models.PROTECT, related_name="files"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=FileKind.choices)

    objects = CandidateFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("候选伙伴文件")
        verbose_name_plural = _("候选伙伴文件")
        ordering = ("candidate", "pk")
