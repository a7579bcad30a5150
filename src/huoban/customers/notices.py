"""What the customer events tell people (R-NOTE-1), in Chinese and English: contact consents
(R-ATT-7) and inbound contacts routed to their owner (R-ATT-5).

consent.granted tells the staff it grants access (one user, or every active user of a role) once
it is in force, or the officers when a second person must approve it first; when staff recorded
it from the partner's written consent, the partner's users are told too. consent.revoked tells
the staff who lose the access. Nobody else hears of another partner's customer (R-VIS).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from huoban.accounts.models import Role, User
from huoban.notifications.services import (
    Message,
    console_link,
    notify,
    partner_users,
    portal_link,
    staff_with,
)

from .models import ContactConsent, InboundContact


def _grantees(consent: ContactConsent) -> QuerySet[User]:
    if consent.grantee_user_id is not None:
        return User.objects.filter(pk=consent.grantee_user_id, is_active=True)
    return staff_with(consent.grantee_role)


def _data(consent: ContactConsent) -> dict[str, object]:
    return {
        "consent_id": consent.pk,
        "customer_id": consent.customer_id,
        "partner_code": consent.partner.code,
    }


def granted(consent: ContactConsent, *, actor: User) -> None:
    """consent.granted → the grantees (or the officers, to approve it); the partner's users."""
    name = consent.customer.legal_name
    until = timezone.localtime(consent.expires_at).strftime("%Y-%m-%d")
    link = console_link("customer", customer_id=consent.customer_id)
    if consent.approved_at is None:
        message = Message(
            "consent.granted",
            f"联系人授权待批准：{name}",
            f"Contact consent to approve: {name}",
            f"须另一位伙伴关系官或管理员批准后生效，有效至 {until}。",
            f"Another officer or admin must approve it; it runs until {until}.",
            link,
            data=_data(consent),
        )
        notify(message, staff_with(Role.OFFICER, Role.ADMIN), actor=actor)
    else:
        in_force(consent, actor=actor)
    if not actor.is_partner_user:
        recorded = Message(
            "consent.granted",
            f"已登记贵方对 {name} 联系人的书面授权，至 {until}",
            f"Your written consent for the contacts of {name} was recorded, until {until}",
            "如有异议，可在客户页撤销。",
            "If this is not right, revoke it on the customer's page.",
            portal_link("consents"),
            data=_data(consent),
        )
        notify(recorded, partner_users(consent.partner_id), actor=actor)


def in_force(consent: ContactConsent, *, actor: User) -> None:
    """consent.granted, in force (at once, or on the second person's approval) → the grantees."""
    name = consent.customer.legal_name
    until = timezone.localtime(consent.expires_at).strftime("%Y-%m-%d")
    message = Message(
        "consent.granted",
        f"已获授权查看 {name} 的联系人，至 {until}",
        f"You may see the contacts of {name} until {until}",
        "伙伴书面授权（R-ATT-7）；每次查看都会记录。",
        "The partner's written consent (R-ATT-7); every view is recorded.",
        console_link("customer", customer_id=consent.customer_id),
        data=_data(consent),
    )
    notify(message, _grantees(consent), actor=actor)


def revoked(consent: ContactConsent, *, actor: User) -> None:
    """consent.revoked → the staff who lose the access."""
    name = consent.customer.legal_name
    message = Message(
        "consent.revoked",
        f"{name} 的联系人授权已撤销",
        f"The contact consent for {name} was revoked",
        "联系人重新遮蔽显示。",
        "Its contacts are masked again.",
        console_link("customer", customer_id=consent.customer_id),
        data=_data(consent),
    )
    notify(message, _grantees(consent), actor=actor)


def inbound_routed(inbound: InboundContact, *, actor: User) -> None:
    """customer.inbound_routed → the owning partner's users: their customer contacted the
    company directly and was routed back to them (R-ATT-5)."""
    if inbound.routed_to_id is None or inbound.customer_id is None:
        return
    name = inbound.customer.legal_name if inbound.customer else inbound.name_given
    at = timezone.localtime(inbound.at).strftime("%Y-%m-%d %H:%M")
    message = Message(
        "customer.inbound_routed",
        f"贵方客户 {name} 主动联系了我方，已转交贵方跟进",
        f"Your customer {name} contacted us directly and was routed to you",
        f"时间 {at}。客户归属不变（永久归属）。",
        f"At {at}. The customer stays yours (permanent attribution).",
        portal_link("customer", customer_id=inbound.customer_id),
        data={"inbound_id": inbound.pk, "customer_id": inbound.customer_id},
    )
    notify(message, partner_users(inbound.routed_to_id), actor=actor)
