"""Partner endpoints (ARCHITECTURE §6). Thin: parse, authorise, call a service, render."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status as Answer
from pydantic import Field

from huoban.access import require_role
from huoban.accounts.models import Role
from huoban.accounts.services import create_user
from huoban.errors import NotFound
from huoban.pagination import PageParams, paginate

from . import services
from .models import Partner

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
    require_role(request.user, Role.OFFICER, Role.PRESALES, Role.PM, Role.FINANCE)
    qs = Partner.objects.select_related("referrer").order_by("code")
    return paginate(qs, params, render)


@router.get("/{code}", response=PartnerOut, summary="One partner (staff; the partner itself)")
def get_partner(request: HttpRequest, code: str) -> dict[str, Any]:
    return render(visible_partner(request.user, code))


@router.post("/{code}/users", response={201: dict}, summary="Add a user to a partner (officer)")
def add_user(request: HttpRequest, code: str, payload: PartnerUserIn) -> Answer[dict[str, Any]]:
    partner = visible_partner(request.user, code)
    actor = require_role(request.user, Role.OFFICER)
    user = create_user(
        payload.username,
        payload.password,
        Role.PARTNER,
        partner_code=partner.code,
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
