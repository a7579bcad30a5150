"""Contact consent and business avoidance (商务回避, R-ATT-7, R-VIS-3): the owner's written
consent, who it covers, and contacts masked for every staff user it does not cover; each
unmasked view is audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

from django.db import transaction
from django.db.models import Q

from huoban import clock
from huoban.access import Forbidden, require_role
from huoban.accounts.models import STAFF_ROLES, Role, User
from huoban.audit.services import record
from huoban.core.files import PDF_OR_IMAGE, read_upload
from huoban.errors import Conflict, NotFound, ValidationFailed
from huoban.partners.guards import require_active_partner
from huoban.partners.models import Partner
from huoban.policy import may_manage_consents

from . import notices
from .models import Contact, ContactConsent, Customer
from .ownership import owner_of


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
DOCUMENT_REQUIRED = (
    "员工授权须上传书面同意文件（PDF/JPG/PNG） / A staff grant needs the written consent "
    "uploaded (PDF, JPG or PNG)."
)


def _document_bytes(document: Any) -> tuple[str, bytes] | str:
    """(extension, content) of an uploaded consent document, or the error message."""
    return read_upload(
        document, PDF_OR_IMAGE, "PDF、JPG 或 PNG / a PDF, JPG or PNG", DOCUMENT_MAX_BYTES
    )


@transaction.atomic(durable=True)
def grant_consent(
    customer: Customer,
    *,
    partner: Partner,
    grantee_user: User | None = None,
    grantee_role: str = "",
    expires_at: dt.datetime,
    actor: User,
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
    notices.granted(consent, actor=actor)
    return consent


@transaction.atomic(durable=True)
def approve_consent(consent: ContactConsent, *, actor: User) -> ContactConsent:
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
    notices.in_force(consent, actor=actor)
    return consent


@transaction.atomic(durable=True)
def revoke_consent(consent: ContactConsent, *, actor: User) -> ContactConsent:
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
    notices.revoked(consent, actor=actor)
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
