"""Permanent attribution (永久归属, SPEC §3): the first valid lead makes the customer the
partner's for ever, related entities inherit the owner, and only an admin transfers it with a
written reason (R-ATT-3, R-ATT-4, R-ATT-6).

``attach_attribution`` is a building block other apps call inside their own transaction;
``link_related`` and ``transfer_attribution`` are business actions.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from huoban import clock
from huoban.access import Forbidden, require_role
from huoban.accounts.models import Role, User
from huoban.audit.services import record
from huoban.errors import Conflict, ValidationFailed
from huoban.partners.models import Partner

from .models import (
    Attribution,
    AttributionSource,
    AttributionTransfer,
    Customer,
    CustomerLink,
    LinkKind,
)

ALREADY_REGISTERED = "该客户已被登记 / This customer is already registered."


class AlreadyAttributed(Conflict):
    """Another partner owns the customer. The message never names it (R-VIS-1)."""

    def __init__(self) -> None:
        super().__init__(ALREADY_REGISTERED)


def attribution_snapshot(attribution: Attribution) -> dict[str, Any]:
    return {
        "customer": attribution.customer_id,
        "partner": attribution.partner.code,
        "since": attribution.since,
        "source": attribution.source,
        "lead": attribution.lead_id,
        "via": attribution.via_id,
    }


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


# --- related entities -----------------------------------------------------------------------------


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
