"""Partner endpoints (ARCHITECTURE §6). Thin: parse, authorise, call a service, render."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status as Answer
from pydantic import Field

from huoban import clock
from huoban.access import STAFF, Forbidden, require_partner_user, require_role
from huoban.accounts.models import Role
from huoban.accounts.services import create_user
from huoban.accounts.throttle import client_ip
from huoban.commissions.api import render_entry
from huoban.commissions.models import LedgerEntry
from huoban.commissions.schemas import EntryOut
from huoban.errors import NotFound
from huoban.money import fmt
from huoban.pagination import PageParams, paginate
from huoban.standing import tier_services, tiers, violations
from huoban.web import actor_of

from . import inquiries, services
from .models import Partner, TierApplication

router = Router(tags=["partners"])

PartnerTypeLiteral = Literal[
    "channel", "technology", "supplier", "strategic_investor", "overseas_agent"
]


class PartnerIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["individual", "organization"]
    types: list[PartnerTypeLiteral] = Field(default_factory=list)
    region: str | None = Field(None, max_length=100)
    uscc: str | None = Field(None, max_length=40)
    referrer_code: str | None = Field(None, max_length=16)
    contact_name: str | None = Field(None, max_length=100)
    contact_phone: str | None = Field(None, max_length=32)


class PartnerCreated(Schema):
    id: int
    code: str
    name: str
    tier: str
    referrer_code: str | None


class PartnerOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    types: list[str]
    region: str
    uscc: str | None
    tier: str
    tier_since: dt.date
    retention_state: str
    status: str
    referrer_code: str | None
    recruits: int
    created_at: dt.datetime
    approved_at: dt.datetime | None = Field(
        description="the general manager's approval of the new partner; null: waiting (R-AGR-2)"
    )


class PartnerPage(Schema):
    items: list[PartnerOut]
    count: int


class PartnerUserIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=8, max_length=256)
    display_name: str | None = Field(None, max_length=100)
    email: str | None = Field(None, max_length=254)


class ReferrerIn(Schema):
    referrer_code: str | None = Field(None, max_length=16)


def visible_partner(user: Any, code: str) -> Partner:
    partner = Partner.objects.visible_to(user).filter(code=code).select_related("referrer").first()
    if partner is None:
        raise NotFound("伙伴不存在 / Partner not found.")
    return partner


def render(partner: Partner) -> dict[str, Any]:
    return {
        "id": partner.pk,
        "code": partner.code,
        "name": partner.name,
        "kind": partner.kind,
        "types": partner.types,
        "region": partner.region,
        "uscc": partner.uscc,
        "tier": partner.tier,
        "tier_since": partner.tier_since,
        "retention_state": partner.retention_state,
        "status": partner.status,
        "referrer_code": partner.referrer.code if partner.referrer else None,
        "recruits": partner.recruits.count(),
        "created_at": partner.created_at,
        "approved_at": partner.approved_at,
    }


@router.post("", response={201: PartnerCreated}, summary="Register a partner (officer, admin)")
def create(request: HttpRequest, payload: PartnerIn) -> Answer[dict[str, Any]]:
    actor = require_role(request.user, Role.OFFICER)
    partner = services.register_partner(
        name=payload.name,
        kind=payload.kind,
        types=list(payload.types),
        region=payload.region or "",
        uscc=payload.uscc or None,
        referrer_code=payload.referrer_code or None,
        contact_name=payload.contact_name or "",
        contact_phone=payload.contact_phone or "",
        actor=actor,
    )
    return Answer(
        201,
        {
            "id": partner.pk,
            "code": partner.code,
            "name": partner.name,
            "tier": partner.tier,
            "referrer_code": partner.referrer.code if partner.referrer else None,
        },
    )


@router.get("", response=PartnerPage, summary="List partners (staff)")
def list_partners(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    require_role(request.user, *STAFF)
    qs = Partner.objects.select_related("referrer").order_by("code")
    return paginate(qs, params, render)


@router.get("/{code}", response=PartnerOut, summary="One partner (staff; the partner itself)")
def get_partner(request: HttpRequest, code: str) -> dict[str, Any]:
    return render(visible_partner(request.user, code))


class PartnerUserOut(Schema):
    id: int
    username: str
    partner_code: str


@router.post(
    "/{code}/users", response={201: PartnerUserOut}, summary="Add a user to a partner (officer)"
)
def add_user(request: HttpRequest, code: str, payload: PartnerUserIn) -> Answer[dict[str, Any]]:
    partner = visible_partner(request.user, code)
    actor = require_role(request.user, Role.OFFICER)
    user = create_user(
        payload.username,
        payload.password,
        Role.PARTNER,
        partner=partner,
        display_name=payload.display_name or "",
        email=payload.email or "",
        actor=actor,
    )
    return Answer(201, {"id": user.pk, "username": user.username, "partner_code": partner.code})


@router.post("/{code}/referrer", response=PartnerOut, summary="Set who recruited a partner")
def set_referrer(request: HttpRequest, code: str, payload: ReferrerIn) -> dict[str, Any]:
    partner = visible_partner(request.user, code)
    actor = require_role(request.user, Role.OFFICER)
    return render(services.set_referrer(partner, payload.referrer_code, actor=actor))


@router.post(
    "/{code}/approve",
    response=PartnerOut,
    summary="Approve a new partner (R-AGR-2; gm, admin)",
)
def approve(request: HttpRequest, code: str) -> dict[str, Any]:
    partner = visible_partner(request.user, code)
    actor = require_role(request.user, *STAFF)
    return render(services.approve_partner(partner.code, actor=actor))


# --- tiers (SPEC §8) -------------------------------------------------------------------------

# A partner's tier history is a few lines a year; the answer carries the latest ones.
HISTORY_LIMIT = 100


class TierHistoryOut(Schema):
    at: dt.datetime
    kind: str
    from_tier: str
    to_tier: str
    reason: str


class TierOut(Schema):
    tier: str
    since: dt.date
    retention_state: str
    grace_until: dt.date | None
    ytd_signed: str
    next_tier: str | None
    remaining_to_next: str
    inactivity_notice_on: dt.date | None
    history: list[TierHistoryOut]


class TierApplicationIn(Schema):
    resources: str = Field(min_length=1, max_length=5000)
    plan: str = Field(min_length=1, max_length=5000)


class TierDecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=5000)


class TierApplicationOut(Schema):
    id: int
    partner_code: str
    kind: str
    from_tier: str
    requested_tier: str
    status: str
    applied_at: dt.datetime
    due_on: dt.date | None
    due_estimated: bool
    decided_at: dt.datetime | None
    decision_note: str
    tier: str


def render_application(app: TierApplication) -> dict[str, Any]:
    return {
        "id": app.pk,
        "partner_code": app.partner.code,
        "kind": app.kind,
        "from_tier": app.from_tier,
        "requested_tier": app.requested_tier,
        "status": app.status,
        "applied_at": app.applied_at,
        "due_on": app.due_on,
        "due_estimated": app.due_estimated,
        "decided_at": app.decided_at,
        "decision_note": app.decision_note,
        "tier": app.partner.tier,
    }


@router.get("/{code}/tier", response=TierOut, summary="A partner's tier (staff; the partner)")
def get_tier(request: HttpRequest, code: str) -> dict[str, Any]:
    partner = visible_partner(request.user, code)
    ytd = tier_services.ytd_signed(partner, clock.today())
    upper, remaining = tiers.progress(partner.tier, ytd)
    history = list(partner.tier_history.order_by("-at", "-id")[:HISTORY_LIMIT])
    return {
        "tier": partner.tier,
        "since": partner.tier_since,
        "retention_state": partner.retention_state,
        "grace_until": partner.grace_until,
        "ytd_signed": fmt(ytd),
        "next_tier": upper,
        "remaining_to_next": fmt(remaining),
        "inactivity_notice_on": partner.inactivity_notice_on,
        "history": [
            {
                "at": h.at,
                "kind": h.kind,
                "from_tier": h.from_tier,
                "to_tier": h.to_tier,
                "reason": h.reason,
            }
            for h in reversed(history)
        ],
    }


@router.post(
    "/{code}/tier-applications",
    response={201: TierApplicationOut},
    summary="Apply for strategic (the partner's user)",
)
def apply_for_strategic(
    request: HttpRequest, code: str, payload: TierApplicationIn
) -> Answer[dict[str, Any]]:
    partner = visible_partner(request.user, code)
    user = require_partner_user(request.user)
    if user.partner_id != partner.pk:
        raise Forbidden("只能为本伙伴申请 / Only for your own partner.")
    app = tier_services.apply_for_strategic(
        actor=user, resources=payload.resources, plan=payload.plan
    )
    return Answer(201, render_application(app))


@router.post(
    "/{code}/tier-applications/{application_id}/decision",
    response=TierApplicationOut,
    summary="Decide a strategic application (officer, admin)",
)
def decide_application(
    request: HttpRequest, code: str, application_id: int, payload: TierDecisionIn
) -> dict[str, Any]:
    partner = visible_partner(request.user, code)
    actor = require_role(request.user, Role.OFFICER)
    app = tier_services.decide_application(
        application_id, actor=actor, approve=payload.approve, note=payload.note, partner=partner
    )
    return render_application(app)


# --- violations and exit (SPEC §9) -----------------------------------------------------------

ViolationKindLiteral = Literal["fake_lead", "confidentiality", "other"]
CompanyViolationKindLiteral = Literal[
    "bypass", "contact_without_consent", "withheld_commission", "other"
]
ExitKindLiteral = Literal["partner_initiated", "company_violation", "mutual"]


class PartnerViolationIn(Schema):
    kind: ViolationKindLiteral
    occurred_on: dt.date
    description: str = Field(min_length=1, max_length=5000)


class PartnerViolationOut(Schema):
    id: int
    partner_code: str
    kind: str
    occurred_on: dt.date
    description: str
    recorded_at: dt.datetime
    white_label: bool


class CompanyViolationIn(Schema):
    project_id: int
    kind: CompanyViolationKindLiteral
    description: str = Field(min_length=1, max_length=5000)


class CompanyViolationDecisionIn(Schema):
    confirm: bool
    note: str = Field(min_length=1, max_length=5000)


class CompanyViolationOut(Schema):
    id: int
    partner_code: str
    project_id: int
    kind: str
    description: str
    status: str
    reported_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str


class ExitIn(Schema):
    kind: ExitKindLiteral
    on: dt.date
    note: str = Field("", max_length=5000)
    notice_on: dt.date | None = None


class InFlightProjectOut(Schema):
    id: int
    title: str
    customer_id: int
    contract_amount: str
    signed_on: dt.date


class ExitOut(Schema):
    code: str
    status: str
    exit_kind: str
    exited_on: dt.date
    notice_on: dt.date | None
    notice_days: int | None
    note: str
    in_flight: list[InFlightProjectOut]
    warnings: list[str]


def render_company_violation(violation: Any) -> dict[str, Any]:
    return {
        "id": violation.pk,
        "partner_code": violation.partner.code,
        "project_id": violation.project_id,
        "kind": violation.kind,
        "description": violation.description,
        "status": violation.status,
        "reported_at": violation.reported_at,
        "decided_at": violation.decided_at,
        "decision_note": violation.decision_note,
    }


def _own_partner_user(user: Any, partner: Partner) -> Any:
    """The caller if it is one of this partner's users (403 for staff: they may see it)."""
    user = require_partner_user(user)
    if user.partner_id != partner.pk:
        raise Forbidden("只能为本伙伴操作 / Only for your own partner.")
    return user


@router.post(
    "/{code}/violations",
    response={201: PartnerViolationOut},
    summary="Record a partner violation (officer, admin)",
)
def record_violation(
    request: HttpRequest, code: str, payload: PartnerViolationIn
) -> Answer[dict[str, Any]]:
    partner = visible_partner(request.user, code)
    actor = require_role(request.user, Role.OFFICER)
    v = violations.record_partner_violation(
        partner,
        actor=actor,
        kind=payload.kind,
        occurred_on=payload.occurred_on,
        description=payload.description,
    )
    partner.refresh_from_db(fields=["white_label"])
    return Answer(
        201,
        {
            "id": v.pk,
            "partner_code": partner.code,
            "kind": v.kind,
            "occurred_on": v.occurred_on,
            "description": v.description,
            "recorded_at": v.recorded_at,
            "white_label": partner.white_label,
        },
    )


@router.post(
    "/{code}/company-violations",
    response={201: CompanyViolationOut},
    summary="Report a company violation (the partner's user)",
)
def report_company_violation(
    request: HttpRequest, code: str, payload: CompanyViolationIn
) -> Answer[dict[str, Any]]:
    partner = visible_partner(request.user, code)
    user = _own_partner_user(request.user, partner)
    violation = violations.report_company_violation(
        actor=user,
        project_id=payload.project_id,
        kind=payload.kind,
        description=payload.description,
    )
    return Answer(201, render_company_violation(violation))


@router.post("/{code}/exit", response=ExitOut, summary="Record a partner's exit (officer, admin)")
def exit_partner(request: HttpRequest, code: str, payload: ExitIn) -> dict[str, Any]:
    partner = visible_partner(request.user, code)
    actor = require_role(request.user, Role.OFFICER)
    result = violations.exit_partner(
        partner,
        kind=payload.kind,
        on_date=payload.on,
        actor=actor,
        note=payload.note,
        notice_on=payload.notice_on,
    )
    p = result.partner
    assert p.exited_on is not None
    return {
        "code": p.code,
        "status": p.status,
        "exit_kind": p.exit_kind,
        "exited_on": p.exited_on,
        "notice_on": p.exit_notice_on,
        "notice_days": result.notice_days,
        "note": p.exit_note,
        "in_flight": [
            {
                "id": project.pk,
                "title": project.title,
                "customer_id": project.customer_id,
                "contract_amount": fmt(project.contract_amount),
                "signed_on": project.signed_on,
            }
            for project in result.in_flight
        ],
        "warnings": result.warnings,
    }


# Mounted at the API root: /company-violations/{id}/… (see huoban.api).
company_violations_router = Router(tags=["violations"])


@company_violations_router.post(
    "/company-violations/{violation_id}/decision",
    response=CompanyViolationOut,
    summary="Confirm or reject a company violation (admin)",
)
def decide_company_violation(
    request: HttpRequest, violation_id: int, payload: CompanyViolationDecisionIn
) -> dict[str, Any]:
    violation = violations.decide_company_violation(
        violation_id, actor=actor_of(request), confirm=payload.confirm, note=payload.note
    )
    return render_company_violation(violation)


@company_violations_router.post(
    "/company-violations/{violation_id}/claim",
    response={200: EntryOut, 201: EntryOut},
    summary="Claim liquidated damages on a confirmed company violation (the partner's user)",
)
def claim_liquidated_damages(request: HttpRequest, violation_id: int) -> Answer[dict[str, Any]]:
    entry, created = violations.claim_liquidated_damages(violation_id, actor=actor_of(request))
    entry = LedgerEntry.objects.select_related("policy_version").get(pk=entry.pk)
    return Answer(201 if created else 200, render_entry(entry))


# --- public applications (seed 000's 咨询对接回执, R-UI-1) -----------------------------------

applications_router = Router(tags=["applications"])


class InquiryIn(Schema):
    name: str = Field(max_length=200, description="公司 / 个人名称")
    contact: str = Field(max_length=100, description="联系人")
    phone: str = Field(max_length=40, description="联系电话")
    intended_tier: Literal["light", "deep", "strategic"]
    resources: str = Field("", max_length=2000, description="主要资源领域")
    note: str = Field("", max_length=2000, description="其他需求或建议")


class InquiryOut(Schema):
    id: int
    status: str
    contact_due_on: dt.date


@applications_router.post(
    "",
    auth=None,
    response={201: InquiryOut, 422: dict, 429: dict},
    summary="Apply to become a partner (no sign-in; 5 an hour per address)",
)
def apply(request: HttpRequest, payload: InquiryIn) -> Answer[dict[str, Any]]:
    """The public application of seed 000's 咨询对接回执; an officer contacts the applicant
    within 2 business days (``contact_due_on``)."""
    inquiries.admit_from(client_ip(request))
    inquiry = inquiries.submit_inquiry(**payload.dict())
    return Answer(
        201,
        {"id": inquiry.pk, "status": inquiry.status, "contact_due_on": inquiry.contact_due_on},
    )
