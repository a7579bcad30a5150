"""Selections over the API (ARCHITECTURE §6, R-SEL): the need, its candidates, the stages, the
trial decision, the side-by-side comparison and `sign`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status as Answer
from pydantic import Field

from huoban.access import STAFF, require_role
from huoban.assessing import assessment_score
from huoban.errors import NotFound
from huoban.web import actor_of

from . import services
from .models import Candidate, Selection

router = Router(tags=["selections"])


class CriterionIn(Schema):
    metric: str = Field(max_length=100)
    op: str = Field(pattern="^(gte|lte)$")
    threshold: float | int | str
    unit: str = Field(default="", max_length=20)


class SelectionIn(Schema):
    title: str = Field(max_length=200)
    partner_type: str = Field(max_length=20)
    criteria: list[CriterionIn] = Field(max_length=30)
    needs: str = Field(default="", max_length=10_000)
    offers: str = Field(default="", max_length=10_000)
    screening: list[str] = Field(default_factory=list, max_length=50)


class CreatedOut(Schema):
    id: int


class SelectionCandidateCreated(Schema):
    id: int
    stage: str


class SelectionCandidateIn(Schema):
    name: str = Field(max_length=200)
    channel: str = Field(default="", max_length=100)


class SelectionCandidateOut(Schema):
    id: int
    name: str
    channel: str
    stage: str
    screening: dict[str, bool]
    capability: str | None = Field(description="the screening's capability score, 1.0–5.0")
    willingness: str | None = Field(description="the screening's willingness score, 1.0–5.0")
    nda_signed_on: dt.date | None
    red_flags: int
    trial_start: dt.date | None
    trial_end: dt.date | None
    trials: list[dict[str, Any]]
    decision: str
    decision_explanation: str
    override_reason: str
    rejected_reason: str
    partner_code: str | None


class SelectionOut(Schema):
    id: int
    title: str
    partner_type: str
    needs: str
    offers: str
    screening: list[str]
    criteria: list[dict[str, str]]
    candidates: list[SelectionCandidateOut]


class StageIn(Schema):
    stage: str = Field(max_length=20)
    screening: dict[str, bool] | None = None
    capability: dict[str, Any] | None = Field(
        default=None, description="at screening: resources, technology, operations, credibility 1–5"
    )
    willingness: dict[str, Any] | None = Field(
        default=None,
        description="at screening: executive_support, dedicated_team, long_term_commitment 1–5",
    )
    nda_signed_on: dt.date | None = None
    due_diligence: dict[str, list[dict[str, Any]]] | None = None
    trial_scope: str = Field(default="", max_length=5000)
    trial_start: dt.date | None = None
    trial_end: dt.date | None = None


class StageOut(Schema):
    stage: str


class TrialIn(Schema):
    results: dict[str, float | int | str]


class TrialOut(Schema):
    failed: list[str]
    decision: str = Field(description="sign, extend or stop")
    explanation: str


class OverrideIn(Schema):
    decision: str = Field(pattern="^(sign|stop)$")
    reason: str = Field(max_length=5000)


class RejectIn(Schema):
    reason: str = Field(max_length=5000)


class DecisionOut(Schema):
    stage: str
    decision: str


class SignOut(Schema):
    partner_code: str
    agreement_id: int


def _score(kind: str, scores: dict[str, int]) -> str | None:
    return str(assessment_score(kind, scores).score) if scores else None


def _candidate_out(c: Candidate) -> dict[str, Any]:
    return {
        "id": c.pk,
        "name": c.name,
        "channel": c.channel,
        "stage": c.stage,
        "screening": c.screening,
        "capability": _score("capability", c.capability),
        "willingness": _score("willingness", c.willingness),
        "nda_signed_on": c.nda_signed_on,
        "red_flags": c.red_flags,
        "trial_start": c.trial_start,
        "trial_end": c.trial_end,
        "trials": c.trials,
        "decision": c.decision,
        "decision_explanation": c.decision_explanation,
        "override_reason": c.override_reason,
        "rejected_reason": c.rejected_reason,
        "partner_code": c.partner.code if c.partner is not None else None,
    }


def _visible_candidate(request: HttpRequest, candidate_id: int) -> Candidate:
    if not Candidate.objects.visible_to(actor_of(request)).filter(pk=candidate_id).exists():
        raise NotFound("候选伙伴不存在 / No such candidate.")
    return Candidate.objects.get(pk=candidate_id)


@router.post("/selections", response={201: CreatedOut}, summary="Start a selection (officer)")
def create(request: HttpRequest, payload: SelectionIn) -> Answer[dict[str, Any]]:
    selection = services.create_selection(
        title=payload.title,
        partner_type=payload.partner_type,
        criteria=[c.dict() for c in payload.criteria],
        needs=payload.needs,
        offers=payload.offers,
        screening=payload.screening,
        actor=actor_of(request),
    )
    return Answer(201, {"id": selection.pk})


@router.get(
    "/selections/{selection_id}",
    response=SelectionOut,
    summary="A selection with its candidates side by side (R-SEL-4; staff)",
)
def selection(request: HttpRequest, selection_id: int) -> dict[str, Any]:
    actor = actor_of(request)
    found = Selection.objects.visible_to(actor).filter(pk=selection_id).first()
    if found is None:
        raise NotFound("甄选不存在 / No such selection.")
    require_role(actor, *STAFF)
    candidates = found.candidates.select_related("partner").order_by("pk")
    return {
        "id": found.pk,
        "title": found.title,
        "partner_type": found.partner_type,
        "needs": found.needs,
        "offers": found.offers,
        "screening": found.screening,
        "criteria": found.criteria,
        "candidates": [_candidate_out(c) for c in candidates],
    }


@router.post(
    "/selections/{selection_id}/candidates",
    response={201: SelectionCandidateCreated},
    summary="Add a candidate at `sourced` (officer)",
)
def add_candidate(
    request: HttpRequest, selection_id: int, payload: SelectionCandidateIn
) -> Answer[dict[str, Any]]:
    actor = actor_of(request)
    if not Selection.objects.visible_to(actor).filter(pk=selection_id).exists():
        raise NotFound("甄选不存在 / No such selection.")
    candidate = services.add_candidate(
        selection_id, name=payload.name, channel=payload.channel, actor=actor
    )
    return Answer(201, {"id": candidate.pk, "stage": candidate.stage})


@router.post(
    "/candidates/{candidate_id}/stage",
    response=StageOut,
    summary="Move a candidate to the next stage (R-SEL-2; a skipped stage → 409)",
)
def stage(request: HttpRequest, candidate_id: int, payload: StageIn) -> dict[str, Any]:
    candidate = _visible_candidate(request, candidate_id)
    moved = services.move_stage(
        candidate.pk,
        stage=payload.stage,
        actor=actor_of(request),
        screening=payload.screening,
        capability=payload.capability,
        willingness=payload.willingness,
        nda_signed_on=payload.nda_signed_on,
        due_diligence=payload.due_diligence,
        trial_scope=payload.trial_scope,
        trial_start=payload.trial_start,
        trial_end=payload.trial_end,
    )
    return {"stage": moved.stage}


@router.post(
    "/candidates/{candidate_id}/trial",
    response=TrialOut,
    summary="A trial's results and the decision of R-SEL-3",
)
def trial(request: HttpRequest, candidate_id: int, payload: TrialIn) -> dict[str, Any]:
    candidate = _visible_candidate(request, candidate_id)
    _moved, decided = services.record_trial(
        candidate.pk, results=payload.results, actor=actor_of(request)
    )
    return {
        "failed": list(decided.failed),
        "decision": decided.decision,
        "explanation": "\n".join(str(s) for s in decided.explanation),
    }


@router.post(
    "/candidates/{candidate_id}/decision",
    response=DecisionOut,
    summary="Decide otherwise than the rule, with a reason (R-SEL-3; officer)",
)
def decide(request: HttpRequest, candidate_id: int, payload: OverrideIn) -> dict[str, Any]:
    candidate = _visible_candidate(request, candidate_id)
    done = services.override_decision(
        candidate.pk, decision=payload.decision, reason=payload.reason, actor=actor_of(request)
    )
    return {"stage": done.stage, "decision": done.decision}


@router.post(
    "/candidates/{candidate_id}/reject",
    response=DecisionOut,
    summary="Refuse a candidate at any stage, with a reason (R-SEL-2; officer)",
)
def reject(request: HttpRequest, candidate_id: int, payload: RejectIn) -> dict[str, Any]:
    candidate = _visible_candidate(request, candidate_id)
    done = services.reject_candidate(candidate.pk, reason=payload.reason, actor=actor_of(request))
    return {"stage": done.stage, "decision": done.decision}


@router.post(
    "/candidates/{candidate_id}/sign",
    response={201: SignOut},
    summary="`sign`: the candidate becomes a partner with a draft agreement (R-SEL-4; officer)",
)
def sign(request: HttpRequest, candidate_id: int) -> Answer[dict[str, Any]]:
    candidate = _visible_candidate(request, candidate_id)
    done = services.sign_candidate(candidate.pk, actor=actor_of(request))
    assert done.partner is not None and done.agreement_id is not None
    return Answer(201, {"partner_code": done.partner.code, "agreement_id": done.agreement_id})
