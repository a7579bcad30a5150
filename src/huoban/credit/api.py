"""Customer credit over the API (ARCHITECTURE §6, R-CRED): ``POST /api/v1/customers/{id}/
credit-reviews`` (finance), the gm's approval of a large limit, finance's approval to exceed a
limit, and the customer's credit as it holds today (staff)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status as Answer
from pydantic import Field

from huoban.access import STAFF, require_role
from huoban.customers.models import Customer
from huoban.errors import NotFound
from huoban.money import fmt
from huoban.projects.models import Project
from huoban.projects.services import get_visible
from huoban.web import actor_of

from . import services
from .models import CreditExcess, CreditReview

router = Router(tags=["credit"])


class CreditReviewIn(Schema):
    rating: str = Field(max_length=1, description="A | B | C | D")
    risk: str = Field(max_length=8, description="high | medium | low")
    credit_limit: Any = Field(None, description='an amount ("200000.00"); none means no credit')
    dishonest_debtor: bool = Field(False, description="失信被执行人: forces high")
    sources: list[str] = Field(default_factory=list, max_length=10)
    registered_capital: Any = None
    years_in_operation: Any = None
    note: str = Field("", max_length=2000)


class CreditReviewOut(Schema):
    id: int
    customer_id: int
    rating: str
    assessed_risk: str
    risk: str
    credit_limit: str | None
    dishonest_debtor: bool
    sources: list[str]
    registered_capital: str | None
    years_in_operation: int | None
    payment_history: dict[str, Any]
    valid_from: dt.date
    valid_until: dt.date
    status: str = Field(description="pending (the gm approves) | in_force | declined")
    note: str
    explanation: str
    recorded_at: dt.datetime


class CreditDecideIn(Schema):
    approve: bool
    note: str = Field("", max_length=2000)


class ExcessIn(Schema):
    amount: Any = Field(description="the largest project this approval lets through")
    note: str = Field(max_length=2000)


class ExcessOut(Schema):
    id: int
    customer_id: int
    amount: str
    note: str
    used_by_project: int | None
    approved_at: dt.datetime


class CreditOut(Schema):
    customer_id: int
    risk: str = Field(description="the risk that holds today, forced levels included")
    credit_limit: str | None
    exposure: str
    overdue_days: int
    review: CreditReviewOut | None
    explanation: str


class InstalmentIn(Schema):
    amount: Any = Field(description='an amount, "100000.00"')
    due_on: Any = Field(description="YYYY-MM-DD")


class BillingPlanIn(Schema):
    instalments: list[InstalmentIn] = Field(max_length=24)


class InstalmentOut(Schema):
    position: int
    amount: str
    due_on: dt.date
    covered: bool = Field(description="the cash received covers it (cumulatively)")
    overdue_days: int


class BillingPlanOut(Schema):
    project_id: int
    instalments: list[InstalmentOut]
    overdue_days: int = Field(description="R-CRED-1: days since the first uncovered due date")


def _plan(project: Project) -> dict[str, Any]:
    rows = services.plan_of(project)
    return {
        "project_id": project.pk,
        "instalments": [
            {
                "position": r.position,
                "amount": fmt(r.amount),
                "due_on": r.due_on,
                "covered": r.covered,
                "overdue_days": r.overdue_days,
            }
            for r in rows
        ],
        "overdue_days": max((r.overdue_days for r in rows), default=0),
    }


def _review(review: CreditReview) -> dict[str, Any]:
    return {
        "id": review.pk,
        "customer_id": review.customer_id,
        "rating": review.rating,
        "assessed_risk": review.assessed_risk,
        "risk": review.risk,
        "credit_limit": None if review.credit_limit is None else fmt(review.credit_limit),
        "dishonest_debtor": review.dishonest_debtor,
        "sources": review.sources,
        "registered_capital": (
            None if review.registered_capital is None else fmt(review.registered_capital)
        ),
        "years_in_operation": review.years_in_operation,
        "payment_history": review.payment_history,
        "valid_from": review.valid_from,
        "valid_until": review.valid_until,
        "status": review.status,
        "note": review.note,
        "explanation": review.explanation,
        "recorded_at": review.recorded_at,
    }


def _excess(excess: CreditExcess) -> dict[str, Any]:
    return {
        "id": excess.pk,
        "customer_id": excess.customer_id,
        "amount": fmt(excess.amount),
        "note": excess.note,
        "used_by_project": excess.project_id,
        "approved_at": excess.approved_at,
    }


def _customer(request: HttpRequest, customer_id: int) -> Customer:
    """R-VIS-4: a customer the caller cannot see is 404, before any role check."""
    customer = Customer.objects.visible_to(request.user).filter(pk=customer_id).first()
    if customer is None:
        raise NotFound("客户不存在 / No such customer.")
    return customer


@router.post(
    "/customers/{customer_id}/credit-reviews",
    response={201: CreditReviewOut},
    summary="Record a customer's credit review (finance; a limit over 1,000,000 waits for the gm)",
)
def record_review(request: HttpRequest, customer_id: int, payload: CreditReviewIn) -> Answer:
    customer = _customer(request, customer_id)
    review = services.record_review(customer.pk, actor=actor_of(request), **payload.dict())
    return Answer(201, _review(review))


@router.get(
    "/customers/{customer_id}/credit-reviews",
    response=list[CreditReviewOut],
    summary="A customer's credit reviews, newest first (staff)",
)
def list_reviews(request: HttpRequest, customer_id: int) -> list[dict[str, Any]]:
    customer = _customer(request, customer_id)
    require_role(request.user, *STAFF)
    return [_review(r) for r in CreditReview.objects.filter(customer=customer)]


@router.get(
    "/customers/{customer_id}/credit",
    response=CreditOut,
    summary="A customer's credit as it holds today: risk, limit, exposure (staff)",
)
def get_credit(request: HttpRequest, customer_id: int) -> dict[str, Any]:
    customer = _customer(request, customer_id)
    require_role(request.user, *STAFF)
    held = services.standing(customer)
    return {
        "customer_id": customer.pk,
        "risk": held.risk.level,
        "credit_limit": None if held.credit_limit is None else fmt(held.credit_limit),
        "exposure": fmt(held.exposure),
        "overdue_days": held.overdue_days,
        "review": _review(held.review) if held.review else None,
        "explanation": held.explanation,
    }


@router.post(
    "/credit-reviews/{review_id}/decide",
    response=CreditReviewOut,
    summary="Approve or decline a credit limit over 1,000,000 (gm)",
)
def decide_review(request: HttpRequest, review_id: int, payload: CreditDecideIn) -> dict[str, Any]:
    if not CreditReview.objects.visible_to(request.user).filter(pk=review_id).exists():
        raise NotFound("资信调查不存在 / No such credit review.")
    review = services.decide_review(review_id, actor=actor_of(request), **payload.dict())
    return _review(review)


@router.post(
    "/customers/{customer_id}/credit-excesses",
    response={201: ExcessOut},
    summary="Approve one project over a medium-risk customer's credit limit (finance)",
)
def approve_excess(request: HttpRequest, customer_id: int, payload: ExcessIn) -> Answer:
    customer = _customer(request, customer_id)
    excess = services.approve_excess(customer.pk, actor=actor_of(request), **payload.dict())
    return Answer(201, _excess(excess))


@router.put(
    "/projects/{project_id}/billing-plan",
    response=BillingPlanOut,
    summary="Set a project's billing plan: instalments that make up the contract (finance)",
)
def set_billing_plan(request: HttpRequest, project_id: int, payload: BillingPlanIn) -> Any:
    project = get_visible(request.user, project_id)
    services.set_billing_plan(
        project.pk, actor=actor_of(request), instalments=[i.dict() for i in payload.instalments]
    )
    project.refresh_from_db()
    return _plan(project)


@router.get(
    "/projects/{project_id}/billing-plan",
    response=BillingPlanOut,
    summary="A project's billing plan, what is covered and how late the rest is (staff)",
)
def get_billing_plan(request: HttpRequest, project_id: int) -> Any:
    project = get_visible(request.user, project_id)
    require_role(request.user, *STAFF)
    return _plan(project)
