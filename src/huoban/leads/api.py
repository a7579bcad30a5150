"""Lead endpoints (ARCHITECTURE §6; SPEC §4). Thin: parse, authorise, call a service, render."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status as Answer
from pydantic import Field

from huoban import clock, money, policy
from huoban.access import STAFF, require_role
from huoban.errors import ValidationFailed
from huoban.pagination import PageParams, paginate
from huoban.web import actor_of

from . import services
from .models import Lead, Status

router = Router(tags=["leads"])

Amount = Decimal


class CustomerIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    uscc: str | None = Field(None, max_length=40)
    region: str | None = Field(None, max_length=100)
    industry: str | None = Field(None, max_length=100)


class ContactIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    title: str | None = Field(None, max_length=100)
    phone: str | None = Field(None, max_length=32)
    is_decision_maker: bool = False


class LeadIn(Schema):
    customer: CustomerIn
    contact: ContactIn
    category: Literal["digitalization", "xinchuang", "ai", "brand", "industry"]
    item: str | None = Field(None, max_length=40)
    need: str = Field(min_length=1, max_length=5000)
    budget_min: Amount | None = Field(None, max_digits=14, decimal_places=2)
    budget_max: Amount | None = Field(None, max_digits=14, decimal_places=2)
    expected_start: dt.date | None = None


class LeadCreated(Schema):
    id: int
    status: str
    sla_due_at: dt.datetime
    customer_id: int | None
    message: str | None = None


class CandidateOut(Schema):
    customer_id: int
    legal_name: str


class LeadOut(Schema):
    id: int
    partner_code: str
    status: str
    waiting: bool
    submitted_at: dt.datetime
    sla_due_at: dt.datetime
    overdue: bool
    customer_id: int | None
    customer_name: str
    category: str
    item: str
    need: str
    contact_name: str
    budget_min: str | None
    budget_max: str | None
    verdict: str | None
    reason_code: str | None
    explanation: str
    feasibility: str
    quote_min: str | None
    quote_max: str | None
    appealed_at: dt.datetime | None
    second_review_due_on: dt.date | None
    match_candidates: list[CandidateOut] = Field(
        default=[],
        description="needs_review, to staff who judge leads: the customers the name was found "
        "like, the best first; POST /match chooses one of them or a new customer",
    )


class LeadPage(Schema):
    items: list[LeadOut]
    count: int


class VerdictIn(Schema):
    verdict: Literal["valid", "invalid"]
    reason_code: Literal["no_intent", "no_authority", "price_probing", "fake", "other"] | None = (
        None
    )
    explanation: str = Field("", max_length=5000)
    feasibility: str | None = Field(None, max_length=5000)
    quote_min: Amount | None = Field(None, max_digits=14, decimal_places=2)
    quote_max: Amount | None = Field(None, max_digits=14, decimal_places=2)


class SecondReviewIn(Schema):
    verdict: Literal["valid", "invalid"]
    explanation: str = Field(min_length=1, max_length=5000)
    feasibility: str | None = Field(None, max_length=5000)
    quote_min: Amount | None = Field(None, max_digits=14, decimal_places=2)
    quote_max: Amount | None = Field(None, max_digits=14, decimal_places=2)


class AppealIn(Schema):
    reason: str = Field(min_length=1, max_length=5000)


class MatchIn(Schema):
    customer_id: int | None = Field(
        None, description="the existing customer, or null for a new one"
    )


class LeadFilter(PageParams):
    status: (
        Literal["pending", "needs_review", "valid", "invalid", "duplicate", "appealed"] | None
    ) = None
    overdue: bool | None = None


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else money.fmt(value)


def render(lead: Lead, *, waiting: bool | None = None, viewer: Any = None) -> dict[str, Any]:
    """The lead as the API shows it; the match candidates only to a `viewer` who judges leads
    (another partner's customer is never named to a partner, R-VIS)."""

    if waiting is None:
        waiting = getattr(lead, "waiting", None)
    if waiting is None:
        waiting = lead.status == Status.PENDING and services.blocking_lead(lead) is not None
    return {
        "id": lead.pk,
        "partner_code": lead.partner.code,
        "status": lead.status,
        "waiting": waiting,
        "submitted_at": lead.submitted_at,
        "sla_due_at": lead.sla_due_at,
        "overdue": lead.status in ("pending", "needs_review") and lead.sla_due_at < clock.now(),
        "customer_id": lead.customer_id,
        "customer_name": lead.customer_name,
        "category": lead.category,
        "item": lead.item,
        "need": lead.need,
        "contact_name": lead.contact_name,
        "budget_min": _amount(lead.budget_min),
        "budget_max": _amount(lead.budget_max),
        "verdict": lead.verdict or None,
        "reason_code": lead.reason_code or None,
        "explanation": lead.explanation,
        "feasibility": lead.feasibility,
        "quote_min": _amount(lead.quote_min),
        "quote_max": _amount(lead.quote_max),
        "appealed_at": lead.appealed_at,
        "second_review_due_on": lead.second_review_due_on,
        "match_candidates": [
            {"customer_id": c.pk, "legal_name": c.legal_name}
            for c in services.match_candidates(lead)
        ]
        if lead.status == Status.NEEDS_REVIEW and policy.may_judge_leads(viewer)
        else [],
    }


@router.post("", response={201: LeadCreated}, summary="Submit a lead (partner user)")
def submit(request: HttpRequest, payload: LeadIn) -> Answer[dict[str, Any]]:
    lead = services.submit_lead(
        services.LeadInput(
            customer_name=payload.customer.name,
            customer_uscc=payload.customer.uscc or "",
            customer_region=payload.customer.region or "",
            customer_industry=payload.customer.industry or "",
            contact_name=payload.contact.name,
            contact_title=payload.contact.title or "",
            contact_phone=payload.contact.phone or "",
            contact_is_decision_maker=payload.contact.is_decision_maker,
            category=payload.category,
            item=payload.item or "",
            need=payload.need,
            budget_min=payload.budget_min,
            budget_max=payload.budget_max,
            expected_start=payload.expected_start,
        ),
        actor=actor_of(request),
    )
    message = lead.explanation if lead.status == Status.DUPLICATE else None
    return Answer(
        201,
        {
            "id": lead.pk,
            "status": lead.status,
            "sla_due_at": lead.sla_due_at,
            "customer_id": lead.customer_id,
            "message": message,
        },
    )


@router.get("", response=LeadPage, summary="List visible leads, newest first")
def list_leads(request: HttpRequest, filters: Query[LeadFilter]) -> dict[str, Any]:

    qs = services.with_waiting(services.visible_leads(request.user).select_related("partner"))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.overdue:
        qs = qs.filter(status__in=("pending", "needs_review"), sla_due_at__lt=clock.now()).order_by(
            "sla_due_at"
        )
    return paginate(qs, filters, render)


class SlaReportOut(Schema):
    """R-LEAD-3: leads submitted in the period, judged, judged by their due time, still open
    past it; compliance = on time / (judged + overdue open) in percent, null with none."""

    submitted: int
    judged: int
    judged_on_time: int
    overdue_open: int
    compliance_percent: str | None


@router.get(
    "/sla-report",
    response=SlaReportOut,
    summary="SLA compliance of leads submitted in a period (staff)",
)
def sla_report(request: HttpRequest, start: dt.date, end: dt.date) -> dict[str, Any]:
    require_role(request.user, *STAFF)
    out_of_range = clock.period_errors(start, end)
    if out_of_range:
        raise ValidationFailed(out_of_range)
    report = services.sla_report(clock.local_midnight(start), clock.local_midnight(end))
    if report["compliance_percent"] is not None:
        report["compliance_percent"] = str(report["compliance_percent"])
    return report


@router.get("/{lead_id}", response=LeadOut, summary="One lead (staff; the owning partner)")
def get_lead(request: HttpRequest, lead_id: int) -> dict[str, Any]:
    return render(services.get_visible_lead(request.user, lead_id), viewer=request.user)


@router.post("/{lead_id}/verdict", response=LeadOut, summary="Record a verdict (officer, presales)")
def verdict(request: HttpRequest, lead_id: int, payload: VerdictIn) -> dict[str, Any]:
    lead = services.record_verdict(
        lead_id,
        services.VerdictInput(
            verdict=payload.verdict,
            explanation=payload.explanation,
            reason_code=payload.reason_code or "",
            feasibility=payload.feasibility or "",
            quote_min=payload.quote_min,
            quote_max=payload.quote_max,
        ),
        actor=actor_of(request),
    )
    return render(lead)


@router.post("/{lead_id}/match", response=LeadOut, summary="Decide a possible customer match")
def match(request: HttpRequest, lead_id: int, payload: MatchIn) -> dict[str, Any]:
    return render(services.resolve_match(lead_id, payload.customer_id, actor=actor_of(request)))


@router.post("/{lead_id}/appeal", response=LeadOut, summary="Appeal an invalid verdict (partner)")
def appeal(request: HttpRequest, lead_id: int, payload: AppealIn) -> dict[str, Any]:
    return render(services.appeal(lead_id, payload.reason, actor=actor_of(request)))


@router.post(
    "/{lead_id}/second-review",
    response=LeadOut,
    summary="Sign the second review (officer, presales)",
)
def second_review(request: HttpRequest, lead_id: int, payload: SecondReviewIn) -> dict[str, Any]:
    lead = services.sign_second_review(
        lead_id,
        services.VerdictInput(
            verdict=payload.verdict,
            explanation=payload.explanation,
            feasibility=payload.feasibility or "",
            quote_min=payload.quote_min,
            quote_max=payload.quote_max,
        ),
        actor=actor_of(request),
    )
    return render(lead)
