"""Partner criticality (R-CRIT-1, R-CRIT-2) and capability/willingness assessments (R-ASM-1):
one business action, one transaction, one audit event."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from huoban import clock
from huoban.access import require_role
from huoban.accounts.models import User
from huoban.audit.services import record
from huoban.errors import NotFound, ValidationFailed
from huoban.explain import explanation_text
from huoban.partners.models import Partner
from huoban.policy import GRADERS

from . import rules
from .models import Assessment, CriticalityAssessment, Investment, Substitutability


def latest_criticality(partner: Partner) -> CriticalityAssessment | None:
    return (
        CriticalityAssessment.objects.filter(partner=partner)
        .order_by("-assessed_at", "-pk")
        .first()
    )


@transaction.atomic(durable=True)
def assess_criticality(
    code: str,
    *,
    strategic_value: int,
    substitutability: str,
    investment: str = "",
    reason: str = "",
    actor: User,
) -> CriticalityAssessment:
    """Grade a partner S/A/B/C from its strategic value and substitutability (R-CRIT-1); the
    grade is kept with its explanation and reason beside the earlier ones (R-CRIT-2)."""
    require_role(actor, *GRADERS)
    partner = Partner.objects.filter(code=code).first()
    if partner is None:
        raise NotFound("伙伴不存在 / No such partner.")
    errors: dict[str, str] = {}
    if strategic_value not in range(1, 6):
        errors["strategic_value"] = "战略价值为 1–5 星 / Strategic value is 1 to 5 stars."
    if substitutability not in Substitutability.values:
        errors["substitutability"] = (
            "可替代性应为 hard、normal 或 easy / Substitutability is hard, normal or easy."
        )
    if investment and investment not in Investment.values:
        errors["investment"] = (
            "所需投入应为 high、medium 或 low / Investment is high, medium or low."
        )
    previous = latest_criticality(partner)
    if errors:
        raise ValidationFailed(errors)
    result = rules.criticality(strategic_value, substitutability)
    if previous is not None and previous.grade != result.grade and not reason.strip():
        raise ValidationFailed({"reason": "等级变化须说明理由 / A change of grade needs a reason."})
    assessment = CriticalityAssessment.objects.create(
        partner=partner,
        strategic_value=strategic_value,
        substitutability=substitutability,
        investment=investment,
        grade=result.grade,
        explanation=explanation_text(result.explanation),
        reason=reason.strip(),
        assessed_by=actor,
        assessed_at=clock.now(),
    )
    record(
        actor,
        "partner.criticality",
        assessment,
        before={"grade": previous.grade} if previous else None,
        after={
            "partner": partner.code,
            "strategic_value": strategic_value,
            "substitutability": substitutability,
            "investment": investment,
            "grade": result.grade,
            "reason": assessment.reason,
        },
    )
    return assessment


def latest_assessment(partner: Partner, kind: str) -> Assessment | None:
    return (
        Assessment.objects.filter(partner=partner, kind=kind)
        .order_by("-assessed_at", "-pk")
        .first()
    )


@transaction.atomic(durable=True)
def record_assessment(
    code: str,
    *,
    kind: str,
    scores: Mapping[str, Any],
    notes: Mapping[str, str] | None = None,
    actor: User,
) -> Assessment:
    """Record a capability (4 dimensions) or willingness (3 signals) assessment, each 1–5
    (R-ASM-1): its score, the trend against the last one of its kind, the explanation."""
    require_role(actor, *GRADERS)
    partner = Partner.objects.filter(code=code).first()
    if partner is None:
        raise NotFound("伙伴不存在 / No such partner.")
    if kind not in rules.DIMENSIONS:
        raise ValidationFailed({"kind": "类型应为 capability 或 willingness / Unknown kind."})
    dimensions = rules.DIMENSIONS[kind]
    errors: dict[str, str] = {}
    for d in dimensions:
        value = scores.get(d)
        if type(value) is not int or not 1 <= value <= 5:
            errors[d] = "每项为 1–5 分 / Each dimension is scored 1 to 5."
    unknown = sorted(set(scores) - set(dimensions))
    if unknown:
        errors["scores"] = f"未知维度 / Unknown dimensions: {', '.join(unknown)}"
    if errors:
        raise ValidationFailed(errors)
    clean = {d: int(scores[d]) for d in dimensions}
    result = rules.assessment_score(kind, clean)
    previous = latest_assessment(partner, kind)
    assessment = Assessment.objects.create(
        partner=partner,
        kind=kind,
        scores=clean,
        notes={d: n.strip() for d, n in (notes or {}).items() if d in dimensions and n.strip()},
        score=result.score,
        trend=rules.trend(previous.score if previous else None, result.score),
        explanation=explanation_text(result.explanation),
        assessed_by=actor,
        assessed_at=clock.now(),
    )
    record(
        actor,
        "partner.assessment",
        assessment,
        before={"score": str(previous.score)} if previous else None,
        after={
            "partner": partner.code,
            "kind": kind,
            "scores": clean,
            "score": str(result.score),
            "trend": assessment.trend,
        },
    )
    return assessment
