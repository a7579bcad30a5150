"""Customer operations: the registry, permanent attribution, related entities and inbound
contacts (SPEC §3). Contact consent and masking live in :mod:`.consent`, the owner question in
:mod:`.ownership`; both are re-exported here for the callers that import them from services.

Two kinds of function live here:

* building blocks other apps call inside their own transaction (``get_or_create_customer``,
  ``owner_of``, ``attach_attribution``, ``add_contact``): they write no audit event of their own
  (the caller's action records it) and open savepoints only, never a durable transaction;
* business actions (``add_alias`` … ``revoke_consent``): one transaction each, one audit event.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from huoban import clock
from huoban.access import Forbidden, require_role
from huoban.accounts.models import STAFF_ROLES, Role, User
from huoban.audit.services import record
from huoban.errors import Conflict, ValidationFailed
from huoban.partners.models import Partner
from huoban.uscc import normalize_uscc, uscc_error

from .consent import (
    CONSENT_MAX_DAYS,
    DOCUMENT_MAX_BYTES,
    DOCUMENT_REQUIRED,
    NO_SUCH_STAFF,
    approve_consent,
    consent_snapshot,
    contacts_for,
    grant_consent,
    has_consent,
    mask_email,
    mask_phone,
    mask_wechat,
    revoke_consent,
    staff_grantee,
)
from .matching import Match, match_customer
from .models import (
    Attribution,
    AttributionSource,
    AttributionTransfer,
    Contact,
    Customer,
    CustomerLink,
    CustomerName,
    InboundContact,
    LinkKind,
    NameKind,
    ReferralAnswer,
)
from .normalize import (
    clean_display_name,
    head2,
    legal_form_only,
    normalize_name,
    normalize_name_keep_place,
)
from .ownership import owner_of

__all__ = [
    "CONSENT_MAX_DAYS",
    "DOCUMENT_MAX_BYTES",
    "DOCUMENT_REQUIRED",
    "NO_SUCH_STAFF",
    "AlreadyAttributed",
    "Match",
    "add_alias",
    "add_contact",
    "approve_consent",
    "attach_attribution",
    "consent_snapshot",
    "contacts_for",
    "get_or_create_customer",
    "grant_consent",
    "has_consent",
    "inbound_report",
    "link_related",
    "mask_email",
    "mask_phone",
    "mask_wechat",
    "match_customer",
    "owner_of",
    "record_inbound_contact",
    "revoke_consent",
    "staff_grantee",
    "transfer_attribution",
]

ALREADY_REGISTERED = "该客户已被登记 / This customer is already registered."
MAX_NAME = 200


class AlreadyAttributed(Conflict):
    """Another partner owns the customer. The message never names it (R-VIS-1)."""

    def __init__(self) -> None:
        super().__init__(ALREADY_REGISTERED)


# --- snapshots for the audit log ------------------------------------------------------------


def customer_snapshot(customer: Customer) -> dict[str, Any]:
    return {
        "legal_name": customer.legal_name,
        "normalized_name": customer.normalized_name,
        "uscc": customer.uscc,
        "region": customer.region,
        "industry": customer.industry,
    }


def attribution_snapshot(attribution: Attribution) -> dict[str, Any]:
    return {
        "customer": attribution.customer_id,
        "partner": attribution.partner.code,
        "since": attribution.since,
        "source": attribution.source,
        "lead": attribution.lead_id,
        "via": attribution.via_id,
    }


# --- building blocks (called inside other apps' transactions) ---------------------------------


NAME_SAYS_NOTHING = (
    "名称须含企业字号，不能只有组织形式、地名或不可见字符 / The name must name the company, "
    "not only a legal form, a place or invisible characters."
)


def _clean_name(name: str, field: str) -> tuple[str, str]:
    clean = clean_display_name(name)
    if not clean:
        raise ValidationFailed({field: "名称必填 / The name is required."})
    if legal_form_only(clean):
        raise ValidationFailed({field: NAME_SAYS_NOTHING})
    if len(clean) > MAX_NAME:
        raise ValidationFailed({field: f"名称过长（≤{MAX_NAME}） / The name is too long."})
    normalized = normalize_name(clean)
    if not normalized:
        raise ValidationFailed({field: "名称无有效字符 / The name has no usable characters."})
    return clean, normalized


def clean_uscc(uscc: str | None, field: str = "customer.uscc") -> str | None:
    """Normalise and validate an optional USCC (R-ATT-1); ValidationFailed on a bad code."""
    if uscc is None or not uscc.strip():
        return None
    code = normalize_uscc(uscc)
    error = uscc_error(code)
    if error is not None:
        raise ValidationFailed({field: error})
    return code


def _existing_customer(normalized: str, code: str | None) -> Customer | None:
    if code:
        by_code = Customer.objects.filter(uscc=code).first()
        if by_code is not None:
            return by_code
    by_name = CustomerName.objects.filter(normalized=normalized).select_related("customer").first()
    if by_name is not None and not (code and by_name.customer.uscc not in (None, code)):
        return by_name.customer
    return None


def get_or_create_customer(
    name: str, *, uscc: str | None = None, region: str = "", industry: str = ""
) -> tuple[Customer, bool]:
    """The registry entry for a legal entity, created if new (R-ATT-1, R-ATT-2).

    Found by USCC, then by normalised name (any of its names). Race-safe: the unique indexes on
    normalized_name and uscc make the second of two concurrent inserts fail; it then re-reads.
    """
    legal_name, normalized = _clean_name(name, "customer.name")
    code = clean_uscc(uscc)
    existing = _existing_customer(normalized, code)
    if existing is not None:
        return existing, False
    key = normalized
    if CustomerName.objects.filter(normalized=key).exists():
        # A concurrent submission may have committed the same customer between the two reads
        # (PostgreSQL, READ COMMITTED): that row is the answer, not a conflict.
        existing = _existing_customer(normalized, code)
        if existing is not None:
            return existing, False
        # Same normalised name but a different USCC: another legal entity. Fall back to the
        # name with its place kept (江西铜业 vs 云南铜业); if that is taken too, an officer decides.
        key = normalize_name_keep_place(legal_name)
        if key == normalized or CustomerName.objects.filter(normalized=key).exists():
            raise ValidationFailed(
                {
                    "customer.name": "同名客户已以不同信用代码登记，请联系伙伴关系官 / A customer "
                    "with this name is registered under another USCC; ask an officer."
                }
            )
    try:
        with transaction.atomic():
            customer = Customer.objects.create(
                legal_name=legal_name,
                normalized_name=key,
                uscc=code,
                region=(region or "").strip()[:100],
                industry=(industry or "").strip()[:100],
                created_at=clock.now(),
            )
            CustomerName.objects.create(
                customer=customer,
                name=legal_name,
                normalized=key,
                head2=head2(key),
                kind=NameKind.LEGAL,
            )
    except IntegrityError:
        # A concurrent submission created it first (or took the code): use that row.
        existing = _existing_customer(key, code)
        if existing is None:
            raise
        return existing, False
    return customer, True


def _linked_ids(customer_id: int) -> set[int]:
    pairs = CustomerLink.objects.filter(Q(customer_id=customer_id) | Q(related_id=customer_id))
    ids: set[int] = set()
    for a, b in pairs.values_list("customer_id", "related_id"):
        ids.update((a, b))
    ids.discard(customer_id)
    return ids


def attach_attribution(
    customer: Customer,
    partner: Partner,
    *,
    lead: Any = None,
    source: str = AttributionSource.LEAD,
    via: Customer | None = None,
) -> Attribution:
    """Make `partner` the permanent owner of `customer` (R-ATT-3, R-ATT-4, R-ATT-6).

    Idempotent for the same partner; AlreadyAttributed when another partner owns it. The
    one-to-one column is the arbiter of races: the second concurrent insert fails. A new owner
    also becomes the owner of the customer's linked entities that have none yet (R-ATT-4).
    """
    existing = Attribution.objects.filter(customer_id=customer.pk).first()
    if existing is not None:
        if existing.partner_id == partner.pk:
            return existing
        raise AlreadyAttributed()
    try:
        with transaction.atomic():
            attribution = Attribution.objects.create(
                customer=customer,
                partner=partner,
                since=clock.now(),
                source=source,
                lead=lead,
                via=via,
            )
    except IntegrityError:
        existing = Attribution.objects.filter(customer_id=customer.pk).first()
        if existing is not None and existing.partner_id == partner.pk:
            return existing
        raise AlreadyAttributed() from None
    _inherit_to_linked(customer, partner)
    return attribution


def _inherit_to_linked(customer: Customer, partner: Partner) -> None:
    """Related entities without an owner inherit it, transitively (R-ATT-4, R-ATT-6)."""
    seen = {customer.pk}
    frontier = [customer]
    while frontier:
        current = frontier.pop()
        for other_id in sorted(_linked_ids(current.pk) - seen):
            seen.add(other_id)
            if Attribution.objects.filter(customer_id=other_id).exists():
                continue  # owned already (by this or another partner): left as it is
            other = Customer.objects.get(pk=other_id)
            try:
                with transaction.atomic():
                    Attribution.objects.create(
                        customer=other,
                        partner=partner,
                        since=clock.now(),
                        source=AttributionSource.RELATED,
                        via=current,
                    )
            except IntegrityError:
                continue
            frontier.append(other)


_PHONE_RE = re.compile(r"^[0-9+\-() ]{3,32}$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def add_contact(
    customer: Customer,
    *,
    name: str,
    title: str = "",
    phone: str = "",
    email: str = "",
    wechat: str = "",
    is_decision_maker: bool = False,
) -> Contact:
    """Add a contact person to a customer (R-LEAD-1); its details are masked for staff (R-VIS-3)."""
    errors: dict[str, str] = {}
    name = (name or "").strip()
    phone, email, wechat = (phone or "").strip(), (email or "").strip(), (wechat or "").strip()
    if not name:
        errors["contact.name"] = "联系人姓名必填 / The contact's name is required."
    elif len(name) > 100:
        errors["contact.name"] = "姓名过长 / The name is too long."
    if phone and not _PHONE_RE.match(phone):
        errors["contact.phone"] = "电话格式无效 / Not a phone number."
    if email and (len(email) > 254 or not _EMAIL_RE.match(email)):
        errors["contact.email"] = "邮箱格式无效 / Not an e-mail address."
    if len(wechat) > 64:
        errors["contact.wechat"] = "微信号过长 / The WeChat id is too long."
    if errors:
        raise ValidationFailed(errors)
    return Contact.objects.create(
        customer=customer,
        name=name,
        title=(title or "").strip()[:100],
        phone=phone,
        email=email,
        wechat=wechat,
        is_decision_maker=is_decision_maker,
        created_at=clock.now(),
    )


# --- names and related entities ---------------------------------------------------------------


@transaction.atomic(durable=True)
def add_alias(customer: Customer, name: str, kind: str, *, actor: User) -> CustomerName:
    """Record a short or former name of a customer, used by matching (R-ATT-1, R-ATT-2)."""
    require_role(actor, Role.OFFICER)
    if kind not in (NameKind.ALIAS, NameKind.FORMER):
        raise ValidationFailed({"kind": "类型应为 alias 或 former / kind must be alias or former."})
    clean, normalized = _clean_name(name, "name")
    taken = CustomerName.objects.filter(normalized=normalized).first()
    if taken is not None:
        if taken.customer_id == customer.pk:
            raise ValidationFailed({"name": "该名称已登记 / The customer already has this name."})
        raise Conflict("该名称已属于另一客户 / This name belongs to another customer.")
    try:
        with transaction.atomic():
            row = CustomerName.objects.create(
                customer=customer,
                name=clean,
                normalized=normalized,
                head2=head2(normalized),
                kind=kind,
            )
    except IntegrityError:
        raise Conflict("该名称已登记 / The name was just registered.") from None
    record(actor, "customer.add_alias", customer, after={"name": clean, "kind": kind})
    return row


@transaction.atomic(durable=True)
def link_related(customer: Customer, related: Customer, kind: str, *, actor: User) -> CustomerLink:
    """Link a related entity found later; it inherits the owner (R-ATT-1, R-ATT-6)."""
    require_role(actor, Role.OFFICER)
    if kind not in LinkKind.values:
        raise ValidationFailed(
            {"kind": "关系应为 parent、subsidiary、renamed_from 或 affiliate / unknown link kind."}
        )
    if customer.pk == related.pk:
        raise ValidationFailed({"related_id": "不能关联自身 / A customer cannot link to itself."})
    if CustomerLink.objects.filter(
        Q(customer=customer, related=related) | Q(customer=related, related=customer)
    ).exists():
        raise Conflict("两个主体已关联 / The two entities are already linked.")
    # Lock both attributions (in id order, so two officers linking crosswise cannot deadlock).
    owned = {
        a.customer_id: a
        for a in Attribution.objects.select_for_update()
        .filter(customer_id__in=sorted([customer.pk, related.pk]))
        .order_by("customer_id")
        .select_related("partner")
    }
    mine, theirs = owned.get(customer.pk), owned.get(related.pk)
    if mine and theirs and mine.partner_id != theirs.partner_id:
        raise Conflict(
            "两个主体已分属不同伙伴，需管理员转移归属 / The two entities have different owners; "
            "an admin must transfer one first."
        )
    link = CustomerLink.objects.create(
        customer=customer, related=related, kind=kind, created_at=clock.now(), created_by=actor
    )
    inherited = None
    if mine and not theirs:
        attach_attribution(related, mine.partner, source=AttributionSource.RELATED, via=customer)
        inherited = {"customer": related.pk, "partner": mine.partner.code}
    elif theirs and not mine:
        attach_attribution(customer, theirs.partner, source=AttributionSource.RELATED, via=related)
        inherited = {"customer": customer.pk, "partner": theirs.partner.code}
    record(
        actor,
        "customer.link",
        customer,
        after={"related": related.pk, "kind": kind, "inherited": inherited},
    )
    return link


# --- transfer (admin only) --------------------------------------------------------------------


@transaction.atomic(durable=True)
def transfer_attribution(
    customer: Customer, to_partner: Partner, reason: str, *, actor: User
) -> Attribution:
    """Move a customer's attribution to another partner, with a written reason (R-ATT-4)."""
    if not isinstance(actor, User) or not actor.is_active or actor.role != Role.ADMIN:
        raise Forbidden("只有管理员可以转移归属 / Only an admin may transfer an attribution.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": "转移原因必填 / A written reason is required."})
    attribution = (
        Attribution.objects.select_for_update()
        .select_related("partner")
        .filter(customer_id=customer.pk)
        .first()
    )
    if attribution is None:
        raise Conflict("客户尚无归属 / The customer has no owner to transfer.")
    if attribution.partner_id == to_partner.pk:
        raise ValidationFailed({"to_partner": "该伙伴已是归属方 / That partner already owns it."})
    before = attribution_snapshot(attribution)
    from_partner = attribution.partner
    now = clock.now()
    # The transfer row first: the database moves an attribution only when the transfer that
    # moves it is recorded (huoban.audit.guards).
    AttributionTransfer.objects.create(
        attribution=attribution,
        from_partner=from_partner,
        to_partner=to_partner,
        reason=reason,
        at=now,
        by=actor,
    )
    attribution.partner = to_partner
    attribution.since = now
    attribution.source = AttributionSource.TRANSFER
    attribution.lead = None
    attribution.via = None
    attribution.save(update_fields=["partner", "since", "source", "lead", "via"])
    record(
        actor,
        "attribution.transfer",
        attribution,
        before=before,
        after=attribution_snapshot(attribution) | {"reason": reason},
    )
    return attribution


# --- inbound contact (主动寻访) ----------------------------------------------------------------


@transaction.atomic(durable=True)
def record_inbound_contact(
    *,
    name: str,
    uscc: str | None = None,
    referral_answer: str = "",
    referring_partner_name: str = "",
    note: str = "",
    actor: User,
) -> tuple[InboundContact, Match]:
    """Record a customer's direct contact; route it back to the owner or ask 首问 (R-ATT-5)."""
    require_role(actor, *STAFF_ROLES)
    errors: dict[str, str] = {}
    clean = (name or "").strip()
    if not clean:
        errors["name"] = "客户名称必填 / The customer's name is required."
    elif len(clean) > MAX_NAME:
        errors["name"] = "名称过长 / The name is too long."
    try:
        code = clean_uscc(uscc, "uscc")
    except ValidationFailed as exc:
        errors.update(exc.errors)
        code = None
    if referral_answer and referral_answer not in ReferralAnswer.values:
        errors["referral_answer"] = "取值应为 yes 或 no / Must be yes or no."
    if len(referring_partner_name or "") > 200:
        errors["referring_partner_name"] = "过长 / Too long."
    if errors:
        raise ValidationFailed(errors)
    match = match_customer(clean, code)
    customer = match.customer if match.kind == "exact" else None
    owner = owner_of(customer) if customer is not None else None
    if owner is None and not referral_answer:
        raise ValidationFailed(
            {
                "referral_answer": "首问必确认：请询问客户是否有引荐伙伴（yes/no） / "
                "Ask whether a partner referred them (yes/no)."
            }
        )
    inbound = InboundContact.objects.create(
        customer=customer,
        name_given=clean,
        uscc_given=code or "",
        at=clock.now(),
        recorded_by=actor,
        routed_to=owner,
        referral_answer=referral_answer,
        referring_partner_name=(referring_partner_name or "").strip(),
        note=(note or "").strip(),
    )
    record(
        actor,
        "inbound.record",
        inbound,
        after={
            "name": clean,
            "match": match.kind,
            "customer": customer.pk if customer else None,
            "routed_to": owner.code if owner else None,
            "referral_answer": referral_answer,
        },
    )
    return inbound, match


def inbound_report(start: dt.date, end: dt.date) -> dict[str, int]:
    """Count inbound contacts from `start` to `end` inclusive, local dates (R-ATT-5)."""
    out_of_range = clock.day_errors(start=start, end=end)
    if out_of_range:
        raise ValidationFailed(out_of_range)
    if end < start:
        raise ValidationFailed({"end": "结束日期不能早于开始日期 / end must not be before start."})
    rows = InboundContact.objects.filter(
        at__gte=clock.local_midnight(start), at__lt=clock.local_midnight(end + dt.timedelta(days=1))
    )
    return {
        "total": rows.count(),
        "routed_back": rows.filter(routed_to__isnull=False).count(),
        "answered_yes": rows.filter(referral_answer=ReferralAnswer.YES).count(),
        "answered_no": rows.filter(referral_answer=ReferralAnswer.NO).count(),
    }
