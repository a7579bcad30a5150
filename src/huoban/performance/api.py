"""Scorecards over the API (ARCHITECTURE §6): ``POST /api/v1/partners/{code}/scorecards``."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status as Answer
from pydantic import Field

from huoban import clock
from huoban.access import STAFF, require_role
from huoban.errors import NotFound
from huoban.pagination import PageParams, paginate
from huoban.partners.api import visible_partner
from huoban.web import actor_of

from . import cases, meetings, risks, services
from .models import Case, HealthAssessment, Meeting, Risk, Scorecard, ScorecardTemplate

router = Router(tags=["scorecards"])


class KpiIn(Schema):
    name: str = Field(max_length=50)
    direction: str = Field(max_length=10, description="higher | lower (is better)")
    target: Any = Field(description='above 0, a number or a string "18"')
    actual: Any = Field(description="0 or more")
    weight: Any = Field(default=1, description="0 or more, not all 0; equal by default")
    dimension: str = Field(default="custom", description="business|customer|operations|custom")
    unit: str = Field(default="", max_length=20)
    primary: bool = False
    complaint_rate: bool = False


class ScorecardIn(Schema):
    period: str = Field(max_length=7, description="YYYY-MM")
    kpis: list[KpiIn] = Field(max_length=30)


class ReviseIn(Schema):
    kpis: list[KpiIn] = Field(max_length=30)
    note: str = Field(max_length=2000)


class ScoreOut(Schema):
    name: str
    score: str
    direction: str
    target: str
    actual: str
    weight: str
    unit: str
    dimension: str
    primary: bool
    complaint_rate: bool


class ScorecardOut(Schema):
    id: int
    partner_code: str
    period: str
    revision: int
    items: list[ScoreOut]
    total: str
    band: str = Field(description="excellent | good | qualified | unqualified")
    explanation: str
    note: str
    recorded_at: dt.datetime


class ScorecardPage(Schema):
    items: list[ScorecardOut]
    count: int


def _card(card: Scorecard) -> dict[str, Any]:
    return {
        "id": card.pk,
        "partner_code": card.partner.code,
        "period": card.period,
        "revision": card.revision,
        "items": card.items,
        "total": str(card.total),
        "band": card.band,
        "explanation": card.explanation,
        "note": card.note,
        "recorded_at": card.recorded_at,
    }


@router.post(
    "/partners/{code}/scorecards",
    response={201: ScorecardOut},
    summary="Record a partner's monthly scorecard (R-KPI-2; officer, admin)",
)
def record(request: HttpRequest, code: str, payload: ScorecardIn) -> Answer[dict[str, Any]]:
    partner = visible_partner(actor_of(request), code)
    card = services.record_scorecard(
        partner.code,
        period=payload.period,
        kpis=[k.dict() for k in payload.kpis],
        actor=actor_of(request),
    )
    return Answer(201, _card(card))


@router.get(
    "/partners/{code}/scorecards",
    response=ScorecardPage,
    summary="A partner's scorecards, the latest revision of each month, newest first",
)
def scorecards(request: HttpRequest, code: str, params: Query[PageParams]) -> dict[str, Any]:
    partner = visible_partner(actor_of(request), code)
    rows = (
        Scorecard.objects.visible_to(actor_of(request))
        .current()
        .filter(partner=partner)
        .select_related("partner")
        .order_by("-year", "-month")
    )
    return paginate(rows, params, _card)


@router.post(
    "/scorecards/{scorecard_id}/revise",
    response={201: ScorecardOut},
    summary="Correct a month's scorecard: a new revision, the old one kept (officer, admin)",
)
def revise(request: HttpRequest, scorecard_id: int, payload: ReviseIn) -> Answer[dict[str, Any]]:
    actor = actor_of(request)
    if not Scorecard.objects.visible_to(actor).filter(pk=scorecard_id).exists():
        raise NotFound("记分卡不存在 / No such scorecard.")
    card = services.revise_scorecard(
        scorecard_id, kpis=[k.dict() for k in payload.kpis], note=payload.note, actor=actor
    )
    return Answer(201, _card(card))


class TemplateKpiIn(Schema):
    name: str = Field(max_length=50)
    direction: str = Field(max_length=10, description="higher | lower (is better)")
    target: Any = Field(description='above 0, a number or a string "18"')
    weight: Any = Field(default=1, description="0 or more, not all 0; equal by default")
    dimension: str = Field(default="custom", description="business|customer|operations|custom")
    unit: str = Field(default="", max_length=20)
    primary: bool = False
    complaint_rate: bool = False


class TemplateIn(Schema):
    kpis: list[TemplateKpiIn] = Field(max_length=30)


class TemplateKpiOut(Schema):
    name: str
    direction: str
    target: str
    weight: str
    unit: str
    dimension: str
    primary: bool
    complaint_rate: bool


class TemplateOut(Schema):
    partner_code: str
    items: list[TemplateKpiOut] = Field(description="empty while no template is set")
    updated_at: dt.datetime | None


def _template(partner_code: str, template: ScorecardTemplate | None) -> dict[str, Any]:
    return {
        "partner_code": partner_code,
        "items": template.items if template else [],
        "updated_at": template.updated_at if template else None,
    }


@router.get(
    "/partners/{code}/scorecard-template",
    response=TemplateOut,
    summary="A partner's scorecard template: the KPIs each month is recorded on (R-KPI-1)",
)
def scorecard_template(request: HttpRequest, code: str) -> dict[str, Any]:
    partner = visible_partner(actor_of(request), code)
    template = (
        ScorecardTemplate.objects.visible_to(actor_of(request)).filter(partner=partner).first()
    )
    return _template(partner.code, template)


@router.put(
    "/partners/{code}/scorecard-template",
    response=TemplateOut,
    summary="Set a partner's scorecard template, replacing the last (R-KPI-1; officer, admin)",
)
def set_scorecard_template(request: HttpRequest, code: str, payload: TemplateIn) -> dict[str, Any]:
    partner = visible_partner(actor_of(request), code)
    template = services.set_scorecard_template(
        partner.code, kpis=[k.dict() for k in payload.kpis], actor=actor_of(request)
    )
    return _template(partner.code, template)


class CaseOut(Schema):
    id: int
    partner_code: str
    trigger: str = Field(
        description="performance_drop | replacement | complaints | data_breach | "
        "ownership_change | performance_exit | unqualified"
    )
    status: str = Field(description="open | closed")
    reason: str
    opened_on: dt.date
    due_on: dt.date
    closed_on: dt.date | None
    steps: list[dict[str, Any]]
    details: dict[str, Any] = Field(
        description="what the trigger found; data_breach: customers [{id, name}], "
        "tokens_revoked, claim {amount, agreement}"
    )
    outcome: str


class CasePage(Schema):
    items: list[CaseOut]
    count: int


class CloseIn(Schema):
    outcome: str = Field(max_length=5000)


class CaseFilter(PageParams):
    status: Literal["open", "closed"] | None = None
    trigger: (
        Literal[
            "performance_drop", "replacement", "complaints", "data_breach", "ownership_change",
            "performance_exit", "unqualified",
        ]
        | None
    ) = None  # fmt: skip


@router.get(
    "/cases",
    response=CasePage,
    summary="Crisis cases across partners, the earliest due first: the officers' queue "
    "(R-CRIS-6; staff)",
)
def case_queue(request: HttpRequest, params: Query[CaseFilter]) -> dict[str, Any]:
    actor = require_role(actor_of(request), *STAFF)
    rows = Case.objects.visible_to(actor).select_related("partner")
    if params.status:
        rows = rows.filter(status=params.status)
    if params.trigger:
        rows = rows.filter(trigger=params.trigger)
    return paginate(rows.order_by("due_on", "pk"), params, cases.case_out)


@router.get(
    "/partners/{code}/cases",
    response=CasePage,
    summary="A partner's crisis cases, the newest first (R-CRIS; staff)",
)
def partner_cases(request: HttpRequest, code: str, params: Query[PageParams]) -> dict[str, Any]:
    partner = visible_partner(actor_of(request), code)
    actor = require_role(actor_of(request), *STAFF)
    rows = Case.objects.visible_to(actor).filter(partner=partner).select_related("partner")
    return paginate(rows.order_by("-opened_at", "-pk"), params, cases.case_out)


@router.post(
    "/cases/{case_id}/close",
    response=CaseOut,
    summary="Close a case with its outcome; a complaints case's pause lifts (officer, admin)",
)
def close(request: HttpRequest, case_id: int, payload: CloseIn) -> dict[str, Any]:
    actor = actor_of(request)
    if not Case.objects.visible_to(actor).filter(pk=case_id).exists():
        raise NotFound("事件不存在 / No such case.")  # partner users never see a case
    return cases.case_out(cases.close_case(case_id, outcome=payload.outcome, actor=actor))


class HealthIn(Schema):
    period: str = Field(max_length=7, description="YYYY-MM")
    trust: str = Field(max_length=10, description="excellent|good|medium|poor|bad|pending")
    communication: str = Field(max_length=10)
    benefit: str = Field(max_length=10)
    risk: str = Field(max_length=10)
    long_term: str = Field(max_length=10)
    notes: dict[str, str] = Field(default_factory=dict)


class HealthOut(Schema):
    id: int
    partner_code: str
    period: str
    ratings: dict[str, str]
    overall: str
    colour: str = Field(description="green | amber | red")
    explanation: str


class HealthPage(Schema):
    items: list[HealthOut]
    count: int


def _health(row: HealthAssessment) -> dict[str, Any]:
    return {
        "id": row.pk,
        "partner_code": row.partner.code,
        "period": row.period,
        "ratings": row.ratings,
        "overall": str(row.overall),
        "colour": row.colour,
        "explanation": row.explanation,
    }


@router.post(
    "/partners/{code}/health",
    response={201: HealthOut},
    summary="Record a partner's monthly health (R-HLTH-1; officer, admin)",
)
def record_health(request: HttpRequest, code: str, payload: HealthIn) -> Answer[dict[str, Any]]:
    partner = visible_partner(actor_of(request), code)
    data = payload.dict()
    row = services.record_health(
        partner.code,
        period=data.pop("period"),
        notes=data.pop("notes"),
        ratings=data,
        actor=actor_of(request),
    )
    return Answer(201, _health(row))


@router.get(
    "/partners/{code}/health",
    response=HealthPage,
    summary="A partner's monthly health, the newest first (staff)",
)
def health(request: HttpRequest, code: str, params: Query[PageParams]) -> dict[str, Any]:
    partner = visible_partner(actor_of(request), code)
    actor = require_role(actor_of(request), *STAFF)
    rows = HealthAssessment.objects.visible_to(actor).filter(partner=partner)
    return paginate(rows.select_related("partner").order_by("-year", "-month"), params, _health)


class RiskIn(Schema):
    title: str = Field(max_length=100)
    category: str = Field(
        max_length=16,
        description="revenue_share|responsibility|customer|technology|ip|communication|credit|"
        "market|brand|compliance|other",
    )
    level: str = Field(max_length=8, description="high | medium | low")
    description: str = Field(default="", max_length=5000)
    response: str = Field(default="", max_length=5000)


class RiskReviewIn(Schema):
    note: str = Field(max_length=5000)
    level: str | None = Field(default=None, max_length=8)
    status: str | None = Field(default=None, max_length=12, description="open|mitigating|closed")
    response: str | None = Field(default=None, max_length=5000)


class RiskOut(Schema):
    id: int
    partner_code: str | None
    title: str
    category: str
    level: str
    status: str
    description: str
    response: str
    next_review: dt.date
    overdue: bool
    history: list[dict[str, Any]]


class RiskPage(Schema):
    items: list[RiskOut]
    count: int


@router.post(
    "/partners/{code}/risks",
    response={201: RiskOut},
    summary="Raise a risk on the partner's register (R-RISK-1; officer, admin)",
)
def raise_risk(request: HttpRequest, code: str, payload: RiskIn) -> Answer[dict[str, Any]]:
    partner = visible_partner(actor_of(request), code)
    risk = risks.raise_risk(partner.code, actor=actor_of(request), **payload.dict())
    return Answer(201, risks.risk_out(risk, clock.today()))


@router.get(
    "/partners/{code}/risks",
    response=RiskPage,
    summary="A partner's risks, open first, by next review (staff)",
)
def partner_risks(request: HttpRequest, code: str, params: Query[PageParams]) -> dict[str, Any]:
    partner = visible_partner(actor_of(request), code)
    actor = require_role(actor_of(request), *STAFF)
    today = clock.today()
    rows = Risk.objects.visible_to(actor).filter(partner=partner).select_related("partner")
    return paginate(rows, params, lambda r: risks.risk_out(r, today))


@router.post(
    "/risks/{risk_id}/review",
    response=RiskOut,
    summary="Review a risk: a note and perhaps a new level, status or response (officer, admin)",
)
def review(request: HttpRequest, risk_id: int, payload: RiskReviewIn) -> dict[str, Any]:
    actor = actor_of(request)
    if not Risk.objects.visible_to(actor).filter(pk=risk_id).exists():
        raise NotFound("风险不存在 / No such risk.")
    risk = risks.review_risk(risk_id, actor=actor, **payload.dict())
    return risks.risk_out(risk, clock.today())


class ActionIn(Schema):
    text: str = Field(max_length=500)
    owner: str = Field(default="", max_length=100)
    due_on: dt.date | None = None


class MeetingIn(Schema):
    kind: str = Field(
        max_length=12, description="executive|business|commercial|workshop|project|other"
    )
    held_on: dt.date
    ours: str = Field(default="", max_length=300)
    theirs: str = Field(default="", max_length=300)
    agenda: str = Field(default="", max_length=5000)
    minutes: str = Field(default="", max_length=20000)
    decisions: str = Field(default="", max_length=5000)
    actions: list[ActionIn] = Field(default_factory=list, max_length=50)


class MeetingOut(Schema):
    id: int
    kind: str
    held_on: dt.date
    ours: str
    theirs: str
    agenda: str
    minutes: str
    decisions: str
    actions: list[dict[str, Any]]


class DueOut(Schema):
    kind: str
    every: str
    last: dt.date | None
    next_due: dt.date
    overdue: bool


class MeetingPage(Schema):
    items: list[MeetingOut]
    count: int
    schedule: list[DueOut] = Field(description="the cadences due (R-MEET-1), next dates")


def _meeting(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.pk, "kind": m.kind, "held_on": m.held_on, "ours": m.ours, "theirs": m.theirs,
        "agenda": m.agenda, "minutes": m.minutes, "decisions": m.decisions, "actions": m.actions,
    }  # fmt: skip


@router.post(
    "/partners/{code}/meetings",
    response={201: MeetingOut},
    summary="Record a meeting with its action items (R-MEET-2; officer, admin)",
)
def record_meeting(request: HttpRequest, code: str, payload: MeetingIn) -> Answer[dict[str, Any]]:
    partner = visible_partner(actor_of(request), code)
    data = payload.dict()
    data["actions"] = [
        {**a, "due_on": a["due_on"].isoformat() if a["due_on"] else None} for a in data["actions"]
    ]
    meeting = meetings.record_meeting(partner.code, actor=actor_of(request), **data)
    return Answer(201, _meeting(meeting))


@router.get(
    "/partners/{code}/meetings",
    response=MeetingPage,
    summary="A partner's meetings, the newest first, and the cadences due (staff)",
)
def partner_meetings(request: HttpRequest, code: str, params: Query[PageParams]) -> dict[str, Any]:
    partner = visible_partner(actor_of(request), code)
    actor = require_role(actor_of(request), *STAFF)
    rows = Meeting.objects.visible_to(actor).filter(partner=partner).order_by("-held_on", "-pk")
    page = paginate(rows, params, _meeting)
    page["schedule"] = [d.__dict__ for d in meetings.schedule(partner, clock.today())]
    return page


class OwnershipIn(Schema):
    changed_on: dt.date
    new_owner: str = Field(max_length=200)
    note: str = Field(default="", max_length=2000)


@router.post(
    "/partners/{code}/ownership-changes",
    response={201: CaseOut},
    summary="Record a partner's change of ownership: a case, decision due in 30 days (R-CRIS-4)",
)
def ownership_change(
    request: HttpRequest, code: str, payload: OwnershipIn
) -> Answer[dict[str, Any]]:
    partner = visible_partner(actor_of(request), code)
    case = cases.record_ownership_change(partner.code, actor=actor_of(request), **payload.dict())
    return Answer(201, cases.case_out(case))


class DataBreachIn(Schema):
    detected_on: dt.date
    description: str = Field(max_length=5000)


@router.post(
    "/partners/{code}/data-breaches",
    response={201: CaseOut},
    summary="Record a partner's data breach: tokens revoked, exports blocked, legal told, "
    "customers listed, claim opened (R-CRIS-3; officer, admin)",
)
def data_breach(request: HttpRequest, code: str, payload: DataBreachIn) -> Answer[dict[str, Any]]:
    partner = visible_partner(actor_of(request), code)
    case = cases.record_data_breach(partner.code, actor=actor_of(request), **payload.dict())
    return Answer(201, cases.case_out(case))
