"""Agreements over the API (ARCHITECTURE §6): draft, legal review, gm approval, amendment,
the exit terms (R-AGR-1/2/4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status as Answer
from pydantic import Field

from huoban.accounts.models import User
from huoban.errors import Forbidden, NotFound
from huoban.explain import explanation_text
from huoban.money import fmt
from huoban.pagination import PageParams, paginate
from huoban.partners.models import Partner
from huoban.policy import sees_agreement_terms
from huoban.web import actor_of

from . import services, units
from .models import Agreement, UnitReport

router = Router(tags=["agreements"])


class TermsIn(Schema):
    """The clauses of R-AGR-1 besides kind and term; all optional."""

    title: str | None = Field(default=None, max_length=200)
    customer_name: str | None = Field(default=None, max_length=200)
    scheme: dict[str, Any] | None = None
    our_duties: str | None = Field(default=None, max_length=10_000)
    their_duties: str | None = Field(default=None, max_length=10_000)
    ip: dict[str, str] | None = Field(
        default=None,
        description="per item (project, platform, customisation): ours|theirs|joint|pending",
    )
    customer_owner: str | None = Field(default=None, pattern="^(us|partner)$")
    data_owner: str | None = Field(default=None, max_length=100)
    data_use_scope: str | None = Field(default=None, max_length=10_000)
    data_destroy_days: int | None = Field(default=None, ge=0, le=3650)
    data_security_level: str | None = Field(default=None, max_length=50)
    data_breach_damages: str | None = Field(default=None, max_length=20)
    notice_months: int | None = Field(default=None, ge=0, le=36)
    penalty_rate: str | None = Field(default=None, max_length=10)
    major: bool | None = None

    def given(self) -> dict[str, Any]:
        return {k: v for k, v in self.dict().items() if v is not None and k in services.TERMS}


class AgreementIn(TermsIn):
    partner_code: str = Field(max_length=20)
    kind: str = Field(pattern="^(referral|co_delivery|supply|channel|strategic)$")
    starts_on: dt.date
    ends_on: dt.date


class AmendIn(TermsIn):
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None


class ReviewIn(Schema):
    note: str = Field(default="", max_length=5000)


class ApproveIn(Schema):
    board_approved_on: dt.date | None = None
    board_minute: str = Field(default="", max_length=100)


class AgreementOut(Schema):
    id: int
    partner_code: str
    number: str
    version: int
    kind: str
    status: str = Field(description="draft, reviewed, approved or superseded")
    starts_on: dt.date
    ends_on: dt.date
    major: bool
    reviewed_at: dt.datetime | None
    approved_at: dt.datetime | None
    terms: dict[str, Any] | None = Field(
        description="the clauses; null for a caller who may not read them (R-PRF-3)"
    )


class AgreementPage(Schema):
    items: list[AgreementOut]
    count: int


class StatusOut(Schema):
    id: int
    status: str
    version: int


class AgreementExitOut(Schema):
    notice_on: dt.date
    year_start: dt.date
    commission: str
    earliest_end: dt.date
    penalty: str
    explanation: str


def _terms(a: Agreement) -> dict[str, Any]:
    return {
        "title": a.title,
        "customer_name": a.customer_name,
        "scheme": a.scheme,
        "our_duties": a.our_duties,
        "their_duties": a.their_duties,
        "ip": a.ip,
        "customer_owner": a.customer_owner,
        "data_owner": a.data_owner,
        "data_use_scope": a.data_use_scope,
        "data_destroy_days": a.data_destroy_days,
        "data_security_level": a.data_security_level,
        "data_breach_damages": (
            None if a.data_breach_damages is None else str(a.data_breach_damages)
        ),
        "notice_months": a.notice_months,
        "penalty_rate": str(a.penalty_rate),
        "board_approved_on": a.board_approved_on,
        "board_minute": a.board_minute,
        "review_note": a.review_note,
    }


def _render(user: User) -> Any:
    def render(a: Agreement) -> dict[str, Any]:
        return {
            "id": a.pk,
            "partner_code": a.partner.code,
            "number": a.number,
            "version": a.version,
            "kind": a.kind,
            "status": a.status,
            "starts_on": a.starts_on,
            "ends_on": a.ends_on,
            "major": a.major,
            "reviewed_at": a.reviewed_at,
            "approved_at": a.approved_at,
            "terms": _terms(a) if sees_agreement_terms(user, a.partner_id) else None,
        }

    return render


def _visible(request: HttpRequest, agreement_id: int) -> tuple[User, Agreement]:
    """The caller and the agreement, 404 when the caller may not see it (R-VIS-4)."""
    actor = actor_of(request)
    agreement = (
        Agreement.objects.visible_to(actor)
        .select_related("partner")
        .filter(pk=agreement_id)
        .first()
    )
    if agreement is None:
        raise NotFound("协议不存在 / No such agreement.")
    return actor, agreement


def _status(a: Agreement) -> dict[str, Any]:
    return {"id": a.pk, "status": a.status, "version": a.version}


@router.post(
    "/agreements",
    response={201: StatusOut},
    summary="Draft a partner's agreement (R-AGR-1; officer, admin)",
)
def draft(request: HttpRequest, payload: AgreementIn) -> Answer[dict[str, Any]]:
    agreement = services.draft_agreement(
        payload.partner_code,
        kind=payload.kind,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        actor=actor_of(request),
        **payload.given(),
    )
    return Answer(201, _status(agreement))


@router.get(
    "/agreements",
    response=AgreementPage,
    summary="Agreements, the newest first (staff; a partner its own)",
)
def agreements(
    request: HttpRequest,
    params: Query[PageParams],
    partner: str | None = None,
    status: str | None = None,
) -> dict[str, Any]:
    actor = actor_of(request)
    rows = Agreement.objects.visible_to(actor).select_related("partner")
    if partner:
        rows = rows.filter(partner__code=partner)
    if status:
        rows = rows.filter(status=status)
    return paginate(rows.order_by("-created_at", "-pk"), params, _render(actor))


@router.get("/agreements/{agreement_id}", response=AgreementOut, summary="One agreement")
def agreement(request: HttpRequest, agreement_id: int) -> dict[str, Any]:
    actor, found = _visible(request, agreement_id)
    return dict(_render(actor)(found))


@router.post(
    "/agreements/{agreement_id}/review",
    response=StatusOut,
    summary="Legal review of a draft (R-AGR-2; legal, admin)",
)
def review(request: HttpRequest, agreement_id: int, payload: ReviewIn) -> dict[str, Any]:
    actor, found = _visible(request, agreement_id)
    return _status(services.review_agreement(found.pk, note=payload.note, actor=actor))


@router.post(
    "/agreements/{agreement_id}/approve",
    response=StatusOut,
    summary="The gm's approval of a reviewed agreement (R-AGR-2; gm, admin); before review → 409",
)
def approve(request: HttpRequest, agreement_id: int, payload: ApproveIn) -> dict[str, Any]:
    actor, found = _visible(request, agreement_id)
    approved = services.approve_agreement(
        found.pk,
        board_approved_on=payload.board_approved_on,
        board_minute=payload.board_minute,
        actor=actor,
    )
    return _status(approved)


@router.post(
    "/agreements/{agreement_id}/amend",
    response={201: StatusOut},
    summary="Amend an approved agreement: the next version, a draft (R-AGR-2; officer, admin)",
)
def amend(request: HttpRequest, agreement_id: int, payload: AmendIn) -> Answer[dict[str, Any]]:
    actor, found = _visible(request, agreement_id)
    amendment = services.amend_agreement(
        found.pk,
        actor=actor,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        **payload.given(),
    )
    return Answer(201, _status(amendment))


@router.get(
    "/agreements/{agreement_id}/exit",
    response=AgreementExitOut,
    summary="Earliest end and penalty of ending early (R-AGR-4; who reads the terms)",
)
def exit_terms(request: HttpRequest, agreement_id: int, notice_on: dt.date) -> dict[str, Any]:
    actor, found = _visible(request, agreement_id)
    if not sees_agreement_terms(actor, found.partner_id):
        raise Forbidden("无权查看协议条款 / Your role may not read the agreement's terms.")
    quote = services.exit_quote(found, notice_on)
    return {
        "notice_on": notice_on,
        "year_start": quote.year_start,
        "commission": str(quote.commission),
        "earliest_end": quote.terms.earliest_end,
        "penalty": str(quote.terms.penalty),
        "explanation": explanation_text(quote.explanation),
    }


class UnitReportIn(Schema):
    period: str = Field(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")
    units: int = Field(ge=0, le=100_000_000)
    complaint_rate: str | None = Field(default=None, max_length=12, description='"0.09"')
    nps: str | None = Field(default=None, max_length=12)


class UnitReportOut(Schema):
    id: int
    period: str
    units: int
    cumulative: int
    amount: str
    true_up: str
    direction: str
    explanation: str


class UnitReportPage(Schema):
    items: list[UnitReportOut]
    count: int


def _unit(r: UnitReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "period": f"{r.year}-{r.month:02d}",
        "units": r.units,
        "cumulative": r.cumulative,
        "amount": fmt(r.amount),
        "true_up": fmt(r.true_up),
        "direction": (r.agreement.scheme or {}).get("direction", ""),
        "explanation": r.explanation,
    }


@router.post(
    "/partners/{code}/unit-reports",
    response={201: UnitReportOut},
    summary="A month's units under a per-unit agreement (R-UNIT-2/3; officer, finance, admin)",
)
def unit_report(request: HttpRequest, code: str, payload: UnitReportIn) -> Answer[dict[str, Any]]:
    actor = actor_of(request)
    if not Partner.objects.visible_to(actor).filter(code=code).exists():
        raise NotFound("伙伴不存在 / No such partner.")
    report = units.report_units(
        code,
        period=payload.period,
        units=payload.units,
        complaint_rate=payload.complaint_rate,
        nps=payload.nps,
        actor=actor,
    )
    return Answer(201, _unit(report))


@router.get(
    "/partners/{code}/unit-reports",
    response=UnitReportPage,
    summary="A partner's unit reports (finance, gm, legal, admin; the partner itself)",
)
def unit_reports(request: HttpRequest, code: str, params: Query[PageParams]) -> dict[str, Any]:
    actor = actor_of(request)
    partner = Partner.objects.visible_to(actor).filter(code=code).first()
    if partner is None:
        raise NotFound("伙伴不存在 / No such partner.")
    if not sees_agreement_terms(actor, partner.pk):
        raise Forbidden("无权查看按件结算 / Your role may not read the per-unit figures.")
    rows = UnitReport.objects.filter(partner=partner).select_related("agreement")
    return paginate(rows.order_by("year", "month"), params, _unit)
