"""Customer operations: the registry, permanent attribution, related entities, inbound contacts,
contact consent and business avoidance (SPEC §3, R-VIS-3).

Two kinds of function live here:

* building blocks other apps call inside their own transaction (``get_or_create_customer``,
  ``owner_of``, ``attach_attribution``, ``add_contact``): they write no audit event of their own
  (the caller's action records it) and open savepoints only, never a durable transaction;
* business actions (``add_alias`` … ``revoke_consent``): one transaction each, one audit event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from huoban import clock
from huoban.access import Forbidden, require_role
from huoban.accounts.models import STAFF_ROLES, Role, User
from huoban.audit.services import record
from huoban.errors import Conflict, NotFound, ValidationFailed
from huoban.partners.guards import require_active_partner
from huoban.partners.models import Partner
from huoban.policy import may_manage_consents
from huoban.uscc import normalize_uscc, uscc_error

from .matching import Match, match_customer
from .models import (
    Attribution,
    AttributionSource,
    AttributionTransfer,
    Contact,
    ContactConsent,
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

__all__ = [
    "AlreadyAttributed",
    "Match",
    "add_alias",
    "add_contact",
    "approve_consent",
    "attach_attribution",
    "contacts_for",
    "get_or_create_customer",
    "grant_consent",
    "has_consent",
    "inbound_report",
    "link_related",
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


def consent_snapshot(consent: ContactConsent) -> dict[str, Any]:
    return {
        "customer": consent.customer_id,
        "partner": consent.partner.code,
        "grantee_user": consent.grantee_user.username if consent.grantee_user else None,
        "grantee_role": consent.grantee_role,
        "expires_at": consent.expires_at,
        "revoked_at": consent.revoked_at,
        "approved_at": consent.approved_at,
        "approved_by": consent.approved_by.username if consent.approved_by else None,
        "document_sha256": consent.document_sha256,
        "note": consent.note,
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


def owner_of(customer: Customer) -> Partner | None:
    """The partner that owns the customer (R-ATT-4), or None."""
    attribution = (
        Attribution.objects.filter(customer_id=customer.pk).select_related("partner").first()
    )
    return attribution.partner if attribution is not None else None


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


@transaction.atomic
def add_alias(customer: Customer, name: str, kind: str, actor: Any) -> CustomerName:
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


@transaction.atomic
def link_related(customer: Customer, related: Customer, kind: str, actor: Any) -> CustomerLink:
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


@transaction.atomic
def transfer_attribution(
    customer: Customer, to_partner: Partner, reason: str, actor: Any
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


@transaction.atomic
def record_inbound_contact(
    *,
    name: str,
    uscc: str | None = None,
    referral_answer: str = "",
    referring_partner_name: str = "",
    note: str = "",
    actor: Any,
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


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=clock.local_tz())


def inbound_report(start: dt.date, end: dt.date) -> dict[str, int]:
    """Count inbound contacts from `start` to `end` inclusive, local dates (R-ATT-5)."""
    out_of_range = clock.day_errors(start=start, end=end)
    if out_of_range:
        raise ValidationFailed(out_of_range)
    if end < start:
        raise ValidationFailed({"end": "结束日期不能早于开始日期 / end must not be before start."})
    rows = InboundContact.objects.filter(
        at__gte=_local_midnight(start), at__lt=_local_midnight(end + dt.timedelta(days=1))
    )
    return {
        "total": rows.count(),
        "routed_back": rows.filter(routed_to__isnull=False).count(),
        "answered_yes": rows.filter(referral_answer=ReferralAnswer.YES).count(),
        "answered_no": rows.filter(referral_answer=ReferralAnswer.NO).count(),
    }


# --- consent and business avoidance (商务回避) ---------------------------------------------------


# One answer for every username that is not an active staff user (unknown, partner user,
# disabled): the grant form must not tell which usernames exist (no enumeration).
NO_SUCH_STAFF = "没有该员工用户 / No such staff user."


def staff_grantee(username: str) -> User:
    """The active staff user named `username`, or ValidationFailed with the one answer used for
    every other case (unknown, partner user, disabled): no username enumeration."""
    user = User.objects.filter(username=(username or "").strip()).first()
    if user is None or not user.is_active or not user.is_staff_user:
        raise ValidationFailed({"grantee_username": NO_SUCH_STAFF})
    return user


# R-ATT-7 bounds, in one place: a consent runs out at most this many days after it is granted,
# and a staff grant's written document is a PDF, JPEG or PNG of at most this many bytes.
CONSENT_MAX_DAYS = 365
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
_DOCUMENT_KINDS = {  # extension → the bytes such a file starts with
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
DOCUMENT_REQUIRED = (
    "员工授权须上传书面同意文件（PDF/JPG/PNG） / A staff grant needs the written consent "
    "uploaded (PDF, JPG or PNG)."
)


def _document_bytes(document: Any) -> tuple[str, bytes] | str:
    """(extension, content) of an uploaded consent document, or the error message."""
    name = str(getattr(document, "name", "") or "")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    size = getattr(document, "size", None)
    if size is not None and size > DOCUMENT_MAX_BYTES:
        return f"文件过大（≤{DOCUMENT_MAX_BYTES // 1048576} MB） / The file is too large."
    if ext not in _DOCUMENT_KINDS:
        return "文件须为 PDF、JPG 或 PNG / The file must be a PDF, JPG or PNG."
    if hasattr(document, "seek"):
        document.seek(0)
    content = document.read(DOCUMENT_MAX_BYTES + 1)
    if len(content) > DOCUMENT_MAX_BYTES:
        return f"文件过大（≤{DOCUMENT_MAX_BYTES // 1048576} MB） / The file is too large."
    if not content or not content.startswith(_DOCUMENT_KINDS[ext]):
        return "文件内容与类型不符 / The file's content does not match its type."
    return ext, content


@transaction.atomic
def grant_consent(
    customer: Customer,
    *,
    partner: Partner,
    grantee_user: User | None = None,
    grantee_role: str = "",
    expires_at: dt.datetime,
    actor: Any,
    document: Any = None,
    note: str = "",
) -> ContactConsent:
    """Grant a staff user or role access to an attributed customer's contacts (R-ATT-7)."""
    require_active_partner(actor)  # R-EXIT-1
    owner = owner_of(customer)
    if owner is None:
        raise Conflict("客户尚无归属，联系人不受保护 / The customer has no owner to consent.")
    if owner.pk != partner.pk:
        raise ValidationFailed({"partner": "只有归属伙伴可以授权 / Only the owner can consent."})
    if not may_manage_consents(actor, owner.pk):
        raise Forbidden("无权授权 / Your role may not grant this consent.")
    errors: dict[str, str] = {}
    grantee_role = (grantee_role or "").strip()
    if (grantee_user is None) == (not grantee_role):
        errors["grantee"] = (
            "须指定一名员工或一个角色（二选一） / Name exactly one staff user or one role."
        )
    elif grantee_user is not None and not (grantee_user.is_active and grantee_user.is_staff_user):
        errors["grantee_username"] = NO_SUCH_STAFF
    elif grantee_role and grantee_role not in STAFF_ROLES:
        errors["grantee_role"] = "角色须为员工角色 / The role must be a staff role."
    now = clock.now()
    if expires_at is None or expires_at.tzinfo is None:
        errors["expires_at"] = "到期时间须含时区 / The expiry needs a time zone."
    elif expires_at <= now:
        errors["expires_at"] = "到期时间须在未来 / The expiry must be in the future."
    elif expires_at > now + dt.timedelta(days=CONSENT_MAX_DAYS):
        errors["expires_at"] = (
            f"授权期限最长 {CONSENT_MAX_DAYS} 天 / A consent may run at most "
            f"{CONSENT_MAX_DAYS} days."
        )
    if len(note or "") > 200:
        errors["note"] = "备注过长 / The note is too long."
    by_staff = not actor.is_partner_user
    upload: tuple[str, bytes] | None = None
    if by_staff:  # the officer path: the written consent itself is uploaded (R-ATT-7)
        checked = _document_bytes(document) if document is not None else DOCUMENT_REQUIRED
        if isinstance(checked, str):
            errors["document"] = checked
        else:
            upload = checked
    if errors:
        raise ValidationFailed(errors)
    # A staff grant to oneself or to a whole role waits for a second person (approve_consent).
    needs_second = by_staff and (bool(grantee_role) or grantee_user == actor)
    consent = ContactConsent(
        customer=customer,
        partner=owner,
        grantee_user=grantee_user,
        grantee_role=grantee_role,
        expires_at=expires_at,
        granted_at=now,
        granted_by=actor,
        approved_at=None if needs_second else now,
        note=(note or "").strip(),
    )
    if upload is not None:
        from django.core.files.base import ContentFile

        ext, content = upload
        consent.document_sha256 = hashlib.sha256(content).hexdigest()
        consent.document.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(content), save=False)
    consent.save()
    record(actor, "consent.grant", consent, after=consent_snapshot(consent))
    return consent


@transaction.atomic
def approve_consent(consent: ContactConsent, actor: Any) -> ContactConsent:
    """A second officer or admin approves a staff grant to oneself or to a role (R-ATT-7)."""
    require_role(actor, Role.OFFICER)
    consent = (
        ContactConsent.objects.select_for_update().select_related("partner").get(pk=consent.pk)
    )
    if consent.granted_by_id == actor.pk or consent.grantee_user_id == actor.pk:
        raise Forbidden(
            "须由另一位伙伴关系官或管理员批准 / Another officer or admin must approve this."
        )
    if consent.approved_at is not None:
        raise Conflict("授权已生效 / The consent is already in force.")
    if consent.revoked_at is not None:
        raise Conflict("授权已撤销 / The consent is revoked.")
    if consent.expires_at <= clock.now():
        raise Conflict("授权已过期 / The consent has expired.")
    before = consent_snapshot(consent)
    consent.approved_at = clock.now()
    consent.approved_by = actor
    consent.save(update_fields=["approved_at", "approved_by"])
    record(actor, "consent.approve", consent, before=before, after=consent_snapshot(consent))
    return consent


@transaction.atomic
def revoke_consent(consent: ContactConsent, actor: Any) -> ContactConsent:
    """Revoke a contact consent before its expiry (R-ATT-7)."""
    require_active_partner(actor)  # R-EXIT-1
    consent = (
        ContactConsent.objects.select_for_update().select_related("partner").get(pk=consent.pk)
    )
    if not may_manage_consents(actor, consent.partner_id):
        raise Forbidden("无权撤销 / Your role may not revoke this consent.")
    if consent.revoked_at is not None:
        raise Conflict("授权已撤销 / The consent is already revoked.")
    before = consent_snapshot(consent)
    consent.revoked_at = clock.now()
    consent.revoked_by = actor
    consent.save(update_fields=["revoked_at", "revoked_by"])
    record(actor, "consent.revoke", consent, before=before, after=consent_snapshot(consent))
    return consent


def has_consent(user: Any, customer: Customer) -> bool:
    """Whether a valid consent of the current owner covers `user` (R-ATT-7, R-VIS-3)."""
    if not isinstance(user, User) or not user.is_active:
        return False
    owner = owner_of(customer)
    if owner is None:
        return False
    return (
        ContactConsent.objects.filter(
            customer_id=customer.pk,
            partner_id=owner.pk,
            revoked_at__isnull=True,
            approved_at__isnull=False,
            expires_at__gt=clock.now(),
        )
        .filter(Q(grantee_user_id=user.pk) | Q(grantee_role=user.role))
        .exists()
    )


def mask_phone(phone: str) -> str:
    """138****5678: the first three and last four digits of a long number, else only the ends."""
    if not phone:
        return ""
    if len(phone) >= 8:
        return phone[:3] + "****" + phone[-4:]
    return phone[:1] + "****" + phone[-1:] if len(phone) > 2 else "****"


def mask_email(email: str) -> str:
    if not email:
        return ""
    local, _, domain = email.partition("@")
    return f"{local[:1]}****@{domain}" if domain else "****"


def mask_wechat(wechat: str) -> str:
    if not wechat:
        return ""
    return wechat[:1] + "****" + wechat[-1:] if len(wechat) > 2 else "****"


def _contact_dict(contact: Contact, *, masked: bool) -> dict[str, Any]:
    return {
        "id": contact.pk,
        "name": contact.name,
        "title": contact.title,
        "phone": mask_phone(contact.phone) if masked else contact.phone,
        "email": mask_email(contact.email) if masked else contact.email,
        "wechat": mask_wechat(contact.wechat) if masked else contact.wechat,
        "is_decision_maker": contact.is_decision_maker,
        "masked": masked,
    }


def contacts_for(
    user: Any,
    customer: Customer,
    *,
    reveal: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """A customer's contacts as `user` may see them; unmasked staff views are audited (R-VIS-3).

    The owning partner's users see them in full. Other partner users see none (a partner whose
    lead is pending on an unowned customer sees its own contact on its lead). Staff see the
    contacts of an unowned customer in full; of an owned one masked, unless they ask to
    `reveal` and a valid consent covers them — then in full, and the view is audited.
    """
    if not isinstance(user, User) or not user.is_active:
        raise NotFound("客户不存在 / No such customer.")
    rows = Contact.objects.filter(customer_id=customer.pk).order_by("id")
    contacts = list(rows[offset : offset + limit] if limit is not None else rows[offset:])
    owner = owner_of(customer)
    if user.is_partner_user:
        if owner is not None and owner.pk == user.partner_id:
            return [_contact_dict(c, masked=False) for c in contacts]
        return []
    if not user.is_staff_user:
        return []
    if owner is None:
        return [_contact_dict(c, masked=False) for c in contacts]
    if not (reveal and has_consent(user, customer)):
        return [_contact_dict(c, masked=True) for c in contacts]
    if contacts:
        with transaction.atomic():
            record(
                user,
                "contact.reveal",
                customer,
                after={"contacts": [c.pk for c in contacts], "owner": owner.code},
            )
    return [_contact_dict(c, masked=False) for c in contacts]
