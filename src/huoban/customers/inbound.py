"""Inbound contacts (主动寻访, R-ATT-5): a customer who contacts the company directly is routed
back to its owner, or asked whether a partner referred it (首问)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from huoban import clock
from huoban.access import require_role
from huoban.accounts.models import STAFF_ROLES, User
from huoban.audit.services import record
from huoban.errors import ValidationFailed

from . import notices
from .matching import Match, match_customer
from .models import InboundContact, ReferralAnswer
from .ownership import owner_of
from .registry import MAX_NAME, clean_uscc


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
    notices.inbound_routed(inbound, actor=actor)
    return inbound, match


def inbound_report(start: dt.date, end: dt.date) -> dict[str, int]:
    """Count inbound contacts from `start` to `end` inclusive, local dates (R-ATT-5)."""
    out_of_range = clock.day_errors(start=start, end=end)
    if out_of_range:
        raise ValidationFailed(out_of_range)
    if end < start:
        raise ValidationFailed({"end": "结束日期不能早于开始日期 / end must not be before start."})
    return InboundContact.objects.filter(
        at__gte=clock.local_midnight(start), at__lt=clock.local_midnight(end + dt.timedelta(days=1))
    ).aggregate(**_inbound_counts())


def _inbound_counts() -> dict[str, Any]:
    return {
        "total": Count("id"),
        "routed_back": Count("id", filter=Q(routed_to__isnull=False)),
        "answered_yes": Count("id", filter=Q(referral_answer=ReferralAnswer.YES)),
        "answered_no": Count("id", filter=Q(referral_answer=ReferralAnswer.NO)),
    }


def inbound_by_month(start: dt.date, end: dt.date) -> dict[str, dict[str, int]]:
    """:func:`inbound_report` of every local month from ``start`` to ``end`` inclusive that has
    contacts, keyed "YYYY-MM", in one grouped query (the dashboard's twelve months)."""
    rows = (
        InboundContact.objects.filter(
            at__gte=clock.local_midnight(start),
            at__lt=clock.local_midnight(end + dt.timedelta(days=1)),
        )
        .annotate(m=TruncMonth("at", tzinfo=clock.local_tz()))
        .values("m")
        .annotate(**_inbound_counts())
        .order_by()
    )
    return {f"{r['m'].year}-{r['m'].month:02d}": {k: r[k] for k in _inbound_counts()} for r in rows}
