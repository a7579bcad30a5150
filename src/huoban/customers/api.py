"""Customer endpoints (SPEC §3, R-VIS-3/4). Thin: parse, authorise, call a service, render.

Objects are first looked up through ``Customer.objects.visible_to`` (404 when not visible,
R-VIS-4); a role that may not act on a visible object gets 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status as Answer
from pydantic import Field

from huoban import clock
from huoban.access import STAFF, Forbidden, require_role
from huoban.accounts.models import Role, User
from huoban.errors import NotFound, ValidationFailed
from huoban.pagination import PageParams
from huoban.partners.models import Partner

from . import attribution as attributions
from . import consent as consents
from . import inbound as inbounds
from . import matching, ownership, registry
from .models import ContactConsent, Customer, NameKind

router = Router(tags=["customers"])

NOT_FOUND = "客户不存在 / No such customer."


# --- schemas ---------------------------------------------------------------------------------


class LookupOut(Schema):
    match: Literal["exact", "possible", "none"]
    customer_id: int | None = None
    owner_code: str | None = None
    score: str | None = None
    reason: str
    explanation: list[str] = []


class InboundIn(Schema):
    name: str = Field(max_length=200)
    uscc: str | None = Field(None, max_length=40)
    referral_answer: Literal["", "yes", "no"] = ""
    referring_partner_name: str = Field("", max_length=200)
    note: str = Field("", max_length=2000)


class InboundOut(Schema):
    id: int
    match: str
    customer_id: int | None
    owner_code: str | None
    routed_back: bool
    referral_answer: str


class InboundReportOut(Schema):
    start: dt.date
    end: dt.date
    total: int
    routed_back: int
    answered_yes: int
    answered_no: int


class ContactOut(Schema):
    id: int
    name: str
    title: str
    phone: str
    email: str
    wechat: str
    is_decision_maker: bool
    masked: bool


class ContactPage(Schema):
    items: list[ContactOut]
    count: int


class NameOut(Schema):
    name: str
    kind: str


class CustomerOut(Schema):
    id: int
    legal_name: str
    uscc: str | None
    region: str
    industry: str
    names: list[NameOut]
    owner_code: str | None
    attributed_since: dt.datetime | None
    contacts: list[ContactOut]


class LinkIn(Schema):
    related_id: int
    kind: Literal["parent", "subsidiary", "renamed_from", "affiliate"]


class LinkOut(Schema):
    id: int
    customer_id: int
    related_id: int
    kind: str
    owner_code: str | None


class AliasIn(Schema):
    name: str = Field(max_length=200)
    kind: Literal["alias", "former"]


class AliasOut(Schema):
    id: int
    customer_id: int
    name: str
    normalized: str
    kind: str


class TransferIn(Schema):
    to_partner_code: str = Field(max_length=16)
    reason: str = Field(max_length=2000)


class AttributionOut(Schema):
    customer_id: int
    owner_code: str
    since: dt.datetime
    source: str


class ConsentIn(Schema):
    grantee_username: str | None = Field(None, max_length=150)
    grantee_role: str | None = Field(None, max_length=16)
    expires_at: dt.datetime
    note: str = Field("", max_length=200)


class ConsentOut(Schema):
    id: int
    customer_id: int
    grantee_username: str | None
    grantee_role: str
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    note: str


# --- helpers ----------------------------------------------------------------------------------


def _caller(request: HttpRequest) -> User:
    """The authenticated user (BearerToken puts it on the request)."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_active:
        raise Forbidden("无权执行此操作 / Your role may not do this.")
    return user


def _visible_customer(user: Any, customer_id: int) -> Customer:
    customer = Customer.objects.visible_to(user).filter(pk=customer_id).first()
    if customer is None:
        raise NotFound(NOT_FOUND)
    return customer


def _owner_code_for(user: User, customer: Customer) -> str | None:
    """Staff learn the owner; a partner learns only whether it is the owner itself (R-VIS-1)."""
    owner = ownership.owner_of(customer)
    if owner is None:
        return None
    if user.is_staff_user or owner.pk == user.partner_id:
        return owner.code
    return None


def _consent_out(consent: ContactConsent) -> dict[str, Any]:
    return {
        "id": consent.pk,
        "customer_id": consent.customer_id,
        "grantee_username": consent.grantee_user.username if consent.grantee_user else None,
        "grantee_role": consent.grantee_role,
        "expires_at": consent.expires_at,
        "revoked_at": consent.revoked_at,
        "note": consent.note,
    }


def _aware(moment: dt.datetime) -> dt.datetime:
    """A naive date-time in a request is read in the business time zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=clock.local_tz())


# --- endpoints --------------------------------------------------------------------------------


@router.get("/lookup", response=LookupOut, summary="Look a customer up in the registry")
def lookup(request: HttpRequest, name: str = "", uscc: str = "") -> dict[str, Any]:
    """Match a name and optional USCC against the registry (R-ATT-2, R-ATT-5). Staff only.

    `exact` names the customer and its owner's code; `possible` names the candidate an officer
    decides on; `none` means not registered.
    """
    user = require_role(_caller(request), *STAFF)
    if not name.strip() and not uscc.strip():
        raise ValidationFailed({"name": "名称或信用代码必填 / Give a name or a USCC."})
    code = registry.clean_uscc(uscc, "uscc")
    match = matching.match_customer(name, code)
    customer = match.customer
    return {
        "match": match.kind,
        "customer_id": customer.pk if customer else None,
        "owner_code": _owner_code_for(user, customer) if customer else None,
        "score": str(match.score) if match.score is not None else None,
        "reason": match.reason,
        "explanation": [str(step) for step in match.explanation],
    }


@router.post("/inbound", response={201: InboundOut}, summary="Record an inbound contact")
def record_inbound(request: HttpRequest, payload: InboundIn) -> Answer:
    """A customer contacted the company directly (主动寻访, R-ATT-5). Staff only.

    If the customer is attributed the contact is routed back to the owner; otherwise
    `referral_answer` (yes/no, 首问必确认) is required.
    """
    user = require_role(_caller(request), *STAFF)
    inbound, match = inbounds.record_inbound_contact(
        name=payload.name,
        uscc=payload.uscc,
        referral_answer=payload.referral_answer,
        referring_partner_name=payload.referring_partner_name,
        note=payload.note,
        actor=user,
    )
    return Answer(
        201,
        {
            "id": inbound.pk,
            "match": match.kind,
            "customer_id": inbound.customer_id,
            "owner_code": inbound.routed_to.code if inbound.routed_to else None,
            "routed_back": inbound.routed_to_id is not None,
            "referral_answer": inbound.referral_answer,
        },
    )


@router.get("/inbound/report", response=InboundReportOut, summary="Inbound contact report")
def inbound_report(request: HttpRequest, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Inbound contacts between two dates inclusive, and how many were routed back (R-ATT-5)."""
    require_role(_caller(request), *STAFF)
    return {"start": start, "end": end, **inbounds.inbound_report(start, end)}


@router.post(
    "/consents/{int:consent_id}/revoke", response=ConsentOut, summary="Revoke a contact consent"
)
def revoke_consent(request: HttpRequest, consent_id: int) -> dict[str, Any]:
    """Revoke a consent (R-ATT-7): the owning partner's users, officers and admins."""
    user = _caller(request)
    consent = (
        ContactConsent.objects.select_related("grantee_user", "partner")
        .filter(pk=consent_id, customer__in=Customer.objects.visible_to(user))
        .first()
    )
    if consent is None or (user.is_partner_user and consent.partner_id != user.partner_id):
        raise NotFound("授权不存在 / No such consent.")
    return _consent_out(consents.revoke_consent(consent, actor=user))


@router.get("/{int:customer_id}", response=CustomerOut, summary="A customer")
def get_customer(request: HttpRequest, customer_id: int) -> dict[str, Any]:
    """A customer with its names, owner (staff, or the owner itself) and contacts, masked for
    staff on an attributed customer (R-VIS-1, R-VIS-3). 404 when not visible."""
    user = _caller(request)
    customer = _visible_customer(user, customer_id)
    attribution = getattr(customer, "attribution", None)
    owner_code = _owner_code_for(user, customer)
    return {
        "id": customer.pk,
        "legal_name": customer.legal_name,
        "uscc": customer.uscc,
        "region": customer.region,
        "industry": customer.industry,
        "names": [{"name": n.name, "kind": n.kind} for n in customer.names.order_by("id")],
        "owner_code": owner_code,
        "attributed_since": attribution.since if attribution and owner_code else None,
        "contacts": consents.contacts_for(user, customer, limit=200),
    }


@router.get("/{int:customer_id}/contacts", response=ContactPage, summary="A customer's contacts")
def customer_contacts(
    request: HttpRequest,
    customer_id: int,
    params: Query[PageParams],
    reveal: bool = False,
) -> dict[str, Any]:
    """Contacts (R-VIS-3). `reveal=true` shows a staff user with a valid consent the full
    details and writes a `contact.reveal` audit event; without consent they stay masked."""
    user = _caller(request)
    customer = _visible_customer(user, customer_id)
    count = len(consents.contacts_for(user, customer))  # masked or not, never audited
    items = consents.contacts_for(
        user, customer, reveal=reveal, offset=params.offset, limit=params.page_size
    )
    return {"items": items, "count": count}


@router.post("/{int:customer_id}/links", response={201: LinkOut}, summary="Link a related entity")
def link_related(request: HttpRequest, customer_id: int, payload: LinkIn) -> Answer:
    """Link a related entity (parent, subsidiary, renamed-from, affiliate); it inherits the
    owner (R-ATT-1, R-ATT-6). Officers and admins."""
    user = _caller(request)
    customer = _visible_customer(user, customer_id)
    require_role(user, Role.OFFICER)
    related = Customer.objects.filter(pk=payload.related_id).first()
    if related is None:
        raise ValidationFailed({"related_id": "关联客户不存在 / No such customer."})
    link = attributions.link_related(customer, related, payload.kind, actor=user)
    owner = ownership.owner_of(customer)
    return Answer(
        201,
        {
            "id": link.pk,
            "customer_id": customer.pk,
            "related_id": related.pk,
            "kind": link.kind,
            "owner_code": owner.code if owner else None,
        },
    )


@router.post("/{int:customer_id}/aliases", response={201: AliasOut}, summary="Add a name")
def add_alias(request: HttpRequest, customer_id: int, payload: AliasIn) -> Answer:
    """Add a short name (alias) or former name used by matching (R-ATT-1). Officers, admins."""
    user = _caller(request)
    customer = _visible_customer(user, customer_id)
    require_role(user, Role.OFFICER)
    row = registry.add_alias(customer, payload.name, NameKind(payload.kind), actor=user)
    return Answer(
        201,
        {
            "id": row.pk,
            "customer_id": customer.pk,
            "name": row.name,
            "normalized": row.normalized,
            "kind": row.kind,
        },
    )


@router.post("/{int:customer_id}/transfer", response=AttributionOut, summary="Transfer owner")
def transfer(request: HttpRequest, customer_id: int, payload: TransferIn) -> dict[str, Any]:
    """Transfer the customer's attribution to another partner with a reason (R-ATT-4). Admin."""
    user = _caller(request)
    customer = _visible_customer(user, customer_id)
    if not (isinstance(user, User) and user.role == Role.ADMIN):
        raise Forbidden("只有管理员可以转移归属 / Only an admin may transfer an attribution.")
    to_partner = Partner.objects.filter(code=payload.to_partner_code.strip()).first()
    if to_partner is None:
        raise ValidationFailed({"to_partner_code": "伙伴不存在 / No such partner."})
    attribution = attributions.transfer_attribution(
        customer, to_partner, payload.reason, actor=user
    )
    return {
        "customer_id": customer.pk,
        "owner_code": attribution.partner.code,
        "since": attribution.since,
        "source": attribution.source,
    }


@router.post(
    "/{int:customer_id}/consents", response={201: ConsentOut}, summary="Grant contact consent"
)
def grant_consent(request: HttpRequest, customer_id: int, payload: ConsentIn) -> Answer:
    """Grant a named staff user or a role access to the contacts until `expires_at` (R-ATT-7).
    The owning partner's users, officers and admins."""
    user = _caller(request)
    customer = _visible_customer(user, customer_id)
    owner = ownership.owner_of(customer)
    if user.is_partner_user and (owner is None or owner.pk != user.partner_id):
        raise NotFound(NOT_FOUND)
    if not user.is_partner_user:
        require_role(user, Role.OFFICER)
    if owner is None:
        raise ValidationFailed({"customer": "客户尚无归属 / The customer has no owner."})
    grantee_user = None
    if payload.grantee_username:
        grantee_user = consents.staff_grantee(payload.grantee_username)  # one answer for all
    consent = consents.grant_consent(
        customer,
        partner=owner,
        grantee_user=grantee_user,
        grantee_role=payload.grantee_role or "",
        expires_at=_aware(payload.expires_at),
        actor=user,
        note=payload.note,
    )
    return Answer(201, _consent_out(consent))
