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
from huoban.partners.api import visible_partner
from huoban.partners.models import Partner
from huoban.web import actor_of

from . import rules, services
from .models import FACTS, Assessment, DeliveryReview, KeyContact

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


class ProfileIn(Schema):
    complementarity: str | None = Field(default=None, max_length=12)
    full_name: str | None = Field(default=None, max_length=200)
    founded_on: dt.date | None = None
    registered_capital: str | None = Field(default=None, max_length=100)
    main_business: str | None = Field(default=None, max_length=5000)
    core_technology: str | None = Field(default=None, max_length=5000)
    team_size: int | None = Field(default=None, ge=0, le=10_000_000)
    address: str | None = Field(default=None, max_length=300)
    website: str | None = Field(default=None, max_length=200)


class KeyContactIn(Schema):
    name: str = Field(max_length=100)
    layer: str = Field(pattern="^(management|business|technical)$")
    title: str = Field(default="", max_length=100)
    phone: str = Field(default="", max_length=30)
    email: str = Field(default="", max_length=254)
    wechat: str = Field(default="", max_length=50)


class KeyContactOut(Schema):
    id: int
    name: str
    layer: str
    title: str
    phone: str
    email: str
    wechat: str


class ProfileOut(Schema):
    complementarity: str
    facts: dict[str, Any]
    to_complete: list[str] = Field(description="the facts still 待补充 (R-PRF-1)")
    contacts: list[KeyContactOut]


def _contact(c: KeyContact) -> dict[str, Any]:
    return {
        "id": c.pk, "name": c.name, "layer": c.layer, "title": c.title, "phone": c.phone,
        "email": c.email, "wechat": c.wechat,
    }  # fmt: skip


def _profile(partner: Partner) -> dict[str, Any]:
    profile = services.profile_of(partner)
    return {
        "complementarity": profile.complementarity,
        "facts": {f: getattr(profile, f) for f in FACTS},
        "to_complete": profile.to_complete(),
        "contacts": [_contact(c) for c in KeyContact.objects.filter(partner=partner)],
    }


@router.get(
    "/partners/{code}/profile",
    response=ProfileOut,
    summary="Basic facts, what is 待补充, key contacts (R-PRF-1; staff, the partner itself)",
)
def profile(request: HttpRequest, code: str) -> dict[str, Any]:
    return _profile(visible_partner(actor_of(request), code))


@router.put(
    "/partners/{code}/profile",
    response=ProfileOut,
    summary="Set basic facts and complementarity (R-PRF-1; officer, admin)",
)
def update_profile(request: HttpRequest, code: str, payload: ProfileIn) -> dict[str, Any]:
    partner = visible_partner(actor_of(request), code)
    given = {k: v for k, v in payload.dict().items() if v is not None}
    services.update_profile(partner.code, actor=actor_of(request), **given)
    return _profile(partner)


@router.post(
    "/partners/{code}/contacts",
    response={201: KeyContactOut},
    summary="Add a key contact by layer (R-PRF-1; officer, admin)",
)
def add_contact(request: HttpRequest, code: str, payload: KeyContactIn) -> Answer[dict[str, Any]]:
    partner = visible_partner(actor_of(request), code)
    contact = services.add_key_contact(partner.code, actor=actor_of(request), **payload.dict())
    return Answer(201, _contact(contact))


class DeliveryReviewIn(Schema):
    ratings: dict[str, str] = Field(description="dimension → excellent|good|to_verify|weak")
    note: str = Field(default="", max_length=5000)


class DeliveryReviewOut(Schema):
    id: int
    ratings: dict[str, str]
    open: list[str] = Field(description="the dimensions still to_verify (待验证)")
    reviewed_at: dt.datetime


class DeliveryReviewPage(Schema):
    items: list[DeliveryReviewOut]
    count: int


def _review(r: DeliveryReview) -> dict[str, Any]:
    return {
        "id": r.pk,
        "ratings": dict(r.rated()),
        "open": rules.open_dimensions(r.rated()),
        "reviewed_at": r.reviewed_at,
    }


@router.post(
    "/partners/{code}/delivery-reviews",
    response={201: DeliveryReviewOut},
    summary="Rate a co-delivering partner per dimension (R-ASM-2; officer, gm, admin)",
)
def delivery_review(
    request: HttpRequest, code: str, payload: DeliveryReviewIn
) -> Answer[dict[str, Any]]:
    partner = visible_partner(actor_of(request), code)
    review = services.record_delivery_review(
        partner.code, ratings=payload.ratings.items(), note=payload.note, actor=actor_of(request)
    )
    return Answer(201, _review(review))


@router.get(
    "/partners/{code}/delivery-reviews",
    response=DeliveryReviewPage,
    summary="A partner's delivery reviews, the newest first (staff)",
)
def delivery_reviews(request: HttpRequest, code: str, params: Query[PageParams]) -> dict[str, Any]:
    partner = visible_partner(actor_of(request), code)
    actor = require_role(actor_of(request), *STAFF_ROLES)  # the company's own judgement
    rows = DeliveryReview.objects.visible_to(actor).filter(partner=partner)
    return paginate(rows.order_by("-reviewed_at", "-pk"), params, _review)
