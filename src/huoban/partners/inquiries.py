"""Public applications to become a partner (seed 000's 咨询对接回执, R-UI-1).

Anyone sends one without signing in (the page and ``POST /api/v1/applications`` throttle and
screen bots before calling :func:`submit_inquiry`); it waits in the officers' queue, due to be
contacted within 2 business days (R-CAL-3); an officer records the contact, declines with a
reason, or turns it into a partner through the registration service.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction

from huoban import calendar, clock
from huoban.accounts import throttle
from huoban.accounts.models import User
from huoban.audit.services import record
from huoban.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed
from huoban.policy import may_manage_partners

from .models import OPEN_INQUIRY_STATUSES, InquiryStatus, Partner, PartnerInquiry, Tier
from .services import register_partner

#: Applications one address may send per hour (the page and the API together).
PER_ADDRESS_PER_HOUR = 5

#: Business days within which an officer contacts an applicant.
CONTACT_WITHIN_BUSINESS_DAYS = 2
PHONE = re.compile(r"\+?[0-9][0-9 ()-]{5,30}")
LONG_TEXT = 2000


class TooManyInquiries(DomainError):
    status = 429


def admit_from(ip: str) -> None:
    """Count one application from ``ip``; refuse (429) past the hourly limit, so a script
    cannot fill the officers' queue."""
    if not throttle.allow(f"inquiry:{ip}", PER_ADDRESS_PER_HOUR, seconds=3600):
        raise TooManyInquiries(
            "提交过于频繁，请一小时后再试，或直接致电伙伴关系官 / "
            "too many applications from this address; try again in an hour, or call us"
        )


def _snapshot(inquiry: PartnerInquiry) -> dict[str, Any]:
    return {
        "name": inquiry.name,
        "intended_tier": inquiry.intended_tier,
        "status": inquiry.status,
        "contact_due_on": inquiry.contact_due_on.isoformat(),
    }


def inquiry_errors(
    *, name: str, contact: str, phone: str, intended_tier: str, resources: str, note: str
) -> dict[str, str]:
    """Field-level, bilingual errors of an application (empty when it is acceptable)."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "请填写公司或个人名称 / the company or person is required"
    elif len(name.strip()) > 200:
        errors["name"] = "名称不超过200字 / at most 200 characters"
    if not contact.strip():
        errors["contact"] = "请填写联系人 / the contact person is required"
    elif len(contact.strip()) > 100:
        errors["contact"] = "联系人不超过100字 / at most 100 characters"
    digits = re.sub(r"\D", "", phone)
    if not phone.strip():
        errors["phone"] = "请填写联系电话 / a phone number is required"
    elif not PHONE.fullmatch(phone.strip()) or not 7 <= len(digits) <= 20:
        errors["phone"] = "电话号码格式不正确 / not a phone number"
    if intended_tier not in Tier.values:
        errors["intended_tier"] = (
            "请选择轻协同、深度协同或战略伙伴 / choose light, deep or strategic"
        )
    for field, text in (("resources", resources), ("note", note)):
        if len(text) > LONG_TEXT:
            errors[field] = f"不超过{LONG_TEXT}字 / at most {LONG_TEXT} characters"
    return errors


@transaction.atomic(durable=True)
def submit_inquiry(
    *,
    name: str,
    contact: str,
    phone: str,
    intended_tier: str,
    resources: str = "",
    note: str = "",
) -> PartnerInquiry:
    """Record an application from the public page or the API (no signed-in actor)."""
    errors = inquiry_errors(
        name=name,
        contact=contact,
        phone=phone,
        intended_tier=intended_tier,
        resources=resources,
        note=note,
    )
    if errors:
        raise ValidationFailed(errors)
    now = clock.now()
    due = calendar.add_business_days(clock.today(), CONTACT_WITHIN_BUSINESS_DAYS)
    inquiry = PartnerInquiry.objects.create(
        name=name.strip(),
        contact=contact.strip(),
        phone=phone.strip(),
        intended_tier=intended_tier,
        resources=resources.strip(),
        note=note.strip(),
        submitted_at=now,
        contact_due_on=due.date,
        contact_due_estimated=due.estimated,
    )
    record(None, "partner.inquiry.submit", inquiry, after=_snapshot(inquiry))
    return inquiry


def _open_inquiry(inquiry_id: int, actor: User) -> PartnerInquiry:
    if not may_manage_partners(actor):
        raise Forbidden("合作申请由伙伴关系官处理 / applications are handled by partner officers")
    inquiry = PartnerInquiry.objects.select_for_update().filter(pk=inquiry_id).first()
    if inquiry is None:
        raise NotFound("没有这份申请 / no such application")
    if inquiry.status not in OPEN_INQUIRY_STATUSES:
        raise Conflict("该申请已处理 / this application has been handled")
    return inquiry


def _handled(inquiry: PartnerInquiry, status: str, actor: User, note: str) -> None:
    now = clock.now()
    inquiry.status = status
    inquiry.handled_by = actor
    inquiry.handled_at = now
    inquiry.handling_note = note.strip()
    if status == InquiryStatus.CONTACTED:
        inquiry.contacted_at = now


@transaction.atomic(durable=True)
def mark_inquiry_contacted(inquiry_id: int, *, actor: User, note: str = "") -> PartnerInquiry:
    """The officer has talked to the applicant (the SLA is met); the application stays open."""
    inquiry = _open_inquiry(inquiry_id, actor)
    if inquiry.status != InquiryStatus.NEW:
        raise Conflict("已记录过联系 / the contact is already recorded")
    before = _snapshot(inquiry)
    _handled(inquiry, InquiryStatus.CONTACTED, actor, note)
    inquiry.save()
    record(actor, "partner.inquiry.contact", inquiry, before=before, after=_snapshot(inquiry))
    return inquiry


@transaction.atomic(durable=True)
def decline_inquiry(inquiry_id: int, *, actor: User, reason: str) -> PartnerInquiry:
    """Decline an application with a written reason."""
    if not reason.strip():
        raise ValidationFailed({"reason": "必须说明原因 / a reason is required"})
    inquiry = _open_inquiry(inquiry_id, actor)
    before = _snapshot(inquiry)
    _handled(inquiry, InquiryStatus.REJECTED, actor, reason)
    inquiry.save()
    record(actor, "partner.inquiry.decline", inquiry, before=before, after=_snapshot(inquiry))
    return inquiry


@transaction.atomic(durable=True)
def convert_inquiry(inquiry_id: int, *, actor: User, **partner: Any) -> Partner:
    """Register the applicant as a partner (``partner`` are :func:`register_partner`'s fields)
    and close the application with a link to it."""
    inquiry = _open_inquiry(inquiry_id, actor)
    before = _snapshot(inquiry)
    created = register_partner(actor=actor, **partner)
    _handled(inquiry, InquiryStatus.CONVERTED, actor, "")
    inquiry.partner = created
    if inquiry.contacted_at is None:
        inquiry.contacted_at = inquiry.handled_at
    inquiry.save()
    record(
        actor,
        "partner.inquiry.convert",
        inquiry,
        before=before,
        after={**_snapshot(inquiry), "partner": created.code},
    )
    return created
