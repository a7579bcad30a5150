"""What the commission events tell the partner (R-NOTE-1): ``payout.paid`` when finance pays
approved entries. One function per event, called by the service inside its transaction."""

from __future__ import annotations

from huoban.accounts.models import User
from huoban.explain import yuan
from huoban.notifications.services import Message, notify, partner_users, portal_link

from .models import Payout


def payout_paid(payout: Payout, entries: int, *, actor: User) -> None:
    """payout.paid → the partner's users: how much, when, under which bank reference."""
    day = payout.paid_on.isoformat()
    message = Message(
        "payout.paid",
        f"佣金已支付 ¥{yuan(payout.total)}（{day}）",
        f"Commission paid: ¥{yuan(payout.total)} ({day})",
        f"共 {entries} 条台账记录，银行流水号 {payout.bank_reference}。",
        f"{entries} ledger entries, bank reference {payout.bank_reference}.",
        portal_link("ledger"),
        data={
            "payout_id": payout.pk,
            "partner_code": payout.partner.code,
            "total": str(payout.total),
            "paid_on": day,
        },
    )
    notify(message, partner_users(payout.partner_id), actor=actor)
