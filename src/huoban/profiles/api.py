"""Partner criticality over the API (ARCHITECTURE §6): ``POST /api/v1/partners/{code}/
criticality``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status as Answer
from pydantic import Field

from huoban.access import require_role
from huoban.accounts.models import STAFF_ROLES
from huoban.errors import NotFound
from huoban.pagination import PageParams, paginate
from huoban.partners.models import Partner
from huoban.web import actor_of

from . import services
from .models import Assessment

router = Router(tags=["partners"])


class CriticalityIn(Schema):
    strategic_value: int = Field(ge=1, le=5)
    substitutability: str = Field(pattern="^(hard|normal|easy)$")
    investment: str | None = Field(default=None, pattern="^(high|medium|low)$")
    reason: str = Field(default="", max_length=2000)


class CriticalityOut(Schema):
    grade: str
    explanation: str


@router.post(
    "/partners/{code}/criticality",
    response={201: CriticalityOut},
    summary="Grade a partner S/A/B/C (R-CRIT-1; officer, admin)",
)
def criticality(request: HttpRequest, code: str, payload: CriticalityIn) -> Answer[dict[str, Any]]:
    assessment = services.assess_criticality(
        code,
        strategic_value=payload.strategic_value,
        substitutability=payload.substitutability,
        investment=payload.investment or "",
        reason=payload.reason,
        actor=actor_of(request),
    )
    return Answer(201, {"grade": assessment.grade, "explanation": assessment.explanation})


class AssessmentIn(Schema):
    kind: str = Field(pattern="^(capability|willingness)$")
    scores: dict[str, int]
    notes: dict[str, str] = Field(default_factory=dict)


class AssessmentOut(Schema):
    id: int
    kind: str
    scores: dict[str, int]
    score: str
    trend: str = Field(description="up, down or flat against the last of its kind; new")
    explanation: str
    assessed_at: dt.datetime


class AssessmentPage(Schema):
    items: list[AssessmentOut]
    count: int


def _assessment(a: Assessment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "kind": a.kind,
        "scores": a.scores,
        "score": str(a.score),
        "trend": a.trend,
        "explanation": a.explanation,
        "assessed_at": a.assessed_at,
    }


@router.post(
    "/partners/{code}/assessments",
    response={201: AssessmentOut},
    summary="Assess a partner's capability or willingness (R-ASM-1; officer, admin)",
)
def assess(request: HttpRequest, code: str, payload: AssessmentIn) -> Answer[dict[str, Any]]:
    assessment = services.record_assessment(
        code,
        kind=payload.kind,
        scores=payload.scores,
        notes=payload.notes,
        actor=actor_of(request),
    )
    return Answer(201, _assessment(assessment))


@router.get(
    "/partners/{code}/assessments",
    response=AssessmentPage,
    summary="A partner's assessments, the newest first (staff)",
)
def assessments(request: HttpRequest, code: str, params: Query[PageParams]) -> dict[str, Any]:
    actor = require_role(actor_of(request), *STAFF_ROLES)  # the company's own judgement
    partner = Partner.objects.visible_to(actor).filter(code=code).first()
    if partner is None:
        raise NotFound("伙伴不存在 / No such partner.")
    rows = (
        Assessment.objects.visible_to(actor).filter(partner=partner).order_by("-assessed_at", "-pk")
    )
    return paginate(rows, params, _assessment)


class DepthIn(Schema):
    depth: str = Field(pattern="^(strategic|important|ordinary)$")
    reason: str = Field(default="", max_length=2000)


class DepthOut(Schema):
    depth: str | None = Field(description="the confirmed depth; null before the first")
    suggested: str
    explanation: str


@router.post(
    "/partners/{code}/depth",
    response={201: DepthOut},
    summary="Confirm a partner's depth against the suggestion (R-PRF-2; officer, admin)",
)
def confirm_depth(request: HttpRequest, code: str, payload: DepthIn) -> Answer[dict[str, Any]]:
    actor = actor_of(request)
    if not Partner.objects.visible_to(actor).filter(code=code).exists():
        raise NotFound("伙伴不存在 / No such partner.")
    decision = services.confirm_depth(code, depth=payload.depth, reason=payload.reason, actor=actor)
    return Answer(
        201,
        {
            "depth": decision.depth,
            "suggested": decision.suggested,
            "explanation": decision.explanation,
        },
    )


@router.get(
    "/partners/{code}/depth",
    response=DepthOut,
    summary="A partner's depth and today's suggestion (R-PRF-2; staff)",
)
def depth(request: HttpRequest, code: str) -> dict[str, Any]:
    actor = actor_of(request)
    partner = Partner.objects.visible_to(actor).filter(code=code).first()
    if partner is None:
        raise NotFound("伙伴不存在 / No such partner.")
    require_role(actor, *STAFF_ROLES)  # the company's own judgement
    latest = services.latest_depth(partner)
    suggestion = services.suggested_depth(partner)
    return {
        "depth": latest.depth if latest else None,
        "suggested": suggestion.depth,
        "explanation": "\n".join(str(s) for s in suggestion.explanation),
    }
