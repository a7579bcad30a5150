"""Project endpoints (ARCHITECTURE §6; SPEC §5). Thin: parse, authorise, call a service, render."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status as Answer
from pydantic import Field

from huoban import money
from huoban.commissions import ledger
from huoban.commissions.ledger import Outcome
from huoban.policy import sees_partner_money
from huoban.web import actor_of

from . import services
from .models import CustomerPayment, Project

router = Router(tags=["projects"])

Amount = Decimal


class ProjectIn(Schema):
    customer_id: int
    lead_id: int | None = None
    title: str = Field(min_length=1, max_length=200)
    kind: Literal["new", "renewal", "increment", "iteration"]
    high_margin: bool = False
    high_margin_category: Literal["ai_custom", "xinchuang", "gov_turnkey"] | None = None
    contract_amount: Amount = Field(gt=0, max_digits=14, decimal_places=2)
    signed_on: dt.date
    project_manager_id: int | None = None
    cash_only: bool = Field(False, description="signed cash only: 100% paid before work starts")
    contract_no: str = Field("", max_length=64, description="the company's contract number")


class ProjectCreated(Schema):
    id: int
    partner_code: str
    rate: str
    commission_total: str
    policy_version: int


class MilestoneOut(Schema):
    stage: str
    name: str
    planned_on: dt.date | None
    actual_on: dt.date | None
    status: str
    note: str
    updated_at: dt.datetime


class OutcomeOut(Schema):
    """A ledger entry a project event earned (or why it earned none)."""

    partner_code: str
    kind: str | None
    entry_id: int | None
    amount: str | None
    explanation: str


class ProjectOut(Schema):
    """A project; the commission fields are null for who may not see them (R-VIS-2)."""

    id: int
    partner_code: str
    customer_id: int
    customer_name: str
    lead_id: int | None
    title: str
    contract_no: str
    kind: str
    high_margin: bool
    high_margin_category: str | None
    contract_amount: str
    signed_on: dt.date
    project_manager_id: int | None
    status: str
    over_contract: bool
    accepted_on: dt.date | None
    cancelled_on: dt.date | None
    policy_version: int
    rate: str | None
    commission_total: str | None
    rate_explanation: str | None
    received: str
    commission_earned: str | None
    milestones: list[MilestoneOut]


class AcceptedOut(ProjectOut):
    """The accepted project and, for who may see money, the entries the acceptance earned."""

    commission: list[OutcomeOut] | None = None


class PaymentOut(Schema):
    id: int
    project_id: int
    kind: str
    amount: str
    received_on: dt.date
    reference: str
    refund_of: int | None
    commission: list[OutcomeOut]


class PaymentIn(Schema):
    amount: Amount = Field(gt=0, max_digits=14, decimal_places=2)
    received_on: dt.date
    reference: str = Field(min_length=1, max_length=100)
    kind: Literal["payment", "refund"] = "payment"
    refund_of: int | str | None = None
    confirm_over_contract: bool = False


class AcceptanceIn(Schema):
    accepted_on: dt.date


class CancellationIn(Schema):
    cancelled_on: dt.date
    reason: str = Field(min_length=1, max_length=5000)


class AmendmentIn(Schema):
    contract_amount: Amount = Field(gt=0, max_digits=14, decimal_places=2)
    reason: str = Field(min_length=1, max_length=5000)


class MilestoneIn(Schema):
    planned_on: dt.date | None = None
    actual_on: dt.date | None = None
    status: Literal["not_started", "in_progress", "done", "blocked"] | None = None
    note: str | None = Field(None, max_length=5000)


def render(project: Project, user: Any) -> dict[str, Any]:
    commission = sees_partner_money(user, project.partner_id)
    return {
        "id": project.pk,
        "partner_code": project.partner.code,
        "customer_id": project.customer_id,
        "customer_name": project.customer.legal_name,
        "lead_id": project.lead_id,
        "title": project.title,
        "contract_no": project.contract_no,
        "kind": project.kind,
        "high_margin": project.high_margin,
        "high_margin_category": project.high_margin_category or None,
        "contract_amount": money.fmt(project.contract_amount),
        "signed_on": project.signed_on,
        "project_manager_id": project.project_manager_id,
        "status": project.status,
        "over_contract": project.over_contract_at is not None,
        "accepted_on": project.accepted_on,
        "cancelled_on": project.cancelled_on,
        "policy_version": project.policy_version.version,
        "rate": money.fmt_rate(project.rate) if commission else None,
        "commission_total": money.fmt(project.commission_total) if commission else None,
        "rate_explanation": project.rate_explanation if commission else None,
        "received": money.fmt(services.received(project)),
        "commission_earned": (money.fmt(ledger.earned_on_project(project)) if commission else None),
        "milestones": [
            {
                "stage": m.stage,
                "name": str(m.get_stage_display()),
                "planned_on": m.planned_on,
                "actual_on": m.actual_on,
                "status": m.status,
                "note": m.note,
                "updated_at": m.updated_at,
            }
            for m in project.milestones.all()
        ],
    }


def _render_outcome(o: Outcome) -> dict[str, Any]:
    return {
        "partner_code": o.partner_code,
        "kind": o.kind or None,
        "entry_id": o.entry.pk if o.entry is not None else None,
        "amount": money.fmt(o.entry.amount) if o.entry is not None else None,
        "explanation": o.explanation,
    }


def render_payment(
    payment: CustomerPayment, outcomes: list[Outcome], user: Any, project: Project
) -> dict[str, Any]:
    commission = sees_partner_money(user, project.partner_id)
    return {
        "id": payment.pk,
        "project_id": payment.project_id,
        "kind": payment.kind,
        "amount": money.fmt(payment.amount),
        "received_on": payment.received_on,
        "reference": payment.reference,
        "refund_of": payment.refund_of_id,
        "commission": [_render_outcome(o) for o in outcomes] if commission else [],
    }


@router.post("", response={201: ProjectCreated}, summary="Sign a project (officer, pm, admin)")
def create_project(request: HttpRequest, payload: ProjectIn) -> Answer:
    project = services.create_project(actor=actor_of(request), **payload.dict())
    return Answer(
        201,
        {
            "id": project.pk,
            "partner_code": project.partner.code,
            "rate": money.fmt_rate(project.rate),
            "commission_total": money.fmt(project.commission_total),
            "policy_version": project.policy_version.version,
        },
    )


@router.get("/{project_id}", response=ProjectOut, summary="One project (staff; the owning partner)")
def get_project(request: HttpRequest, project_id: int) -> dict[str, Any]:
    return render(services.get_visible(request.user, project_id), request.user)


@router.post(
    "/{project_id}/payments",
    response={200: PaymentOut, 201: PaymentOut},
    summary="Record a customer payment or refund (finance)",
)
def record_payment(request: HttpRequest, project_id: int, payload: PaymentIn) -> Answer:
    project = services.get_visible(request.user, project_id)
    payment, created, outcomes = services.record_payment(
        project.pk, actor=actor_of(request), **payload.dict()
    )
    return Answer(201 if created else 200, render_payment(payment, outcomes, request.user, project))


@router.post(
    "/{project_id}/acceptance",
    response={200: AcceptedOut, 201: AcceptedOut},
    summary="Record the acceptance (pm, officer)",
)
def accept(request: HttpRequest, project_id: int, payload: AcceptanceIn) -> Answer:
    services.get_visible(request.user, project_id)
    project, created, outcomes = services.accept_project(
        project_id, actor=actor_of(request), accepted_on=payload.accepted_on
    )
    body = render(services.get_visible(request.user, project_id), request.user)
    if sees_partner_money(request.user, project.partner_id):
        body["commission"] = [_render_outcome(o) for o in outcomes]
    return Answer(201 if created else 200, body)


@router.post("/{project_id}/cancellation", response=ProjectOut, summary="Cancel (officer, pm)")
def cancel(request: HttpRequest, project_id: int, payload: CancellationIn) -> dict[str, Any]:
    services.get_visible(request.user, project_id)
    services.cancel_project(project_id, actor=actor_of(request), **payload.dict())
    return render(services.get_visible(request.user, project_id), request.user)


@router.post("/{project_id}/amendment", response=ProjectOut, summary="Correct the contract amount")
def amend(request: HttpRequest, project_id: int, payload: AmendmentIn) -> dict[str, Any]:
    services.get_visible(request.user, project_id)
    services.amend_contract_amount(project_id, actor=actor_of(request), **payload.dict())
    return render(services.get_visible(request.user, project_id), request.user)


@router.post(
    "/{project_id}/milestones/{stage}",
    response=ProjectOut,
    summary="Update a milestone (pm, officer)",
)
def update_milestone(
    request: HttpRequest, project_id: int, stage: str, payload: MilestoneIn
) -> dict[str, Any]:
    services.get_visible(request.user, project_id)
    changes = payload.dict(exclude_unset=True)
    services.update_milestone(project_id, stage, actor=actor_of(request), **changes)
    return render(services.get_visible(request.user, project_id), request.user)
