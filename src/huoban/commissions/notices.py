"""What the commission events tell (R-NOTE-1): ``payout.paid`` tells the partner's users when
finance pays approved entries; ``ledger.entry`` tells no person (the payment and acceptance
notices already say commission was booked) but reaches the robots and webhooks that chose it —
a finance system mirroring the ledger (D-NOTE-8). Called by the service inside its
transaction."""

from __future__ import annotations

from huoban.accounts.models import User
from huoban.explain import yuan
from huoban.notifications.services import (
    Message,
    console_link,
    in_both,
    notify,
    partner_users,
    portal_link,
)

from .models import EntryKind, LedgerEntry, Payout


def entry_booked(entry: LedgerEntry) -> None:
    """ledger.entry → the robots and webhooks that chose it: one entry appended to a partner's
    chain, with its amount, dates and hash."""
    kind, kind_en = in_both(EntryKind(entry.kind).label)
    code = entry.partner.code
    message = Message(
        "ledger.entry",
        f"佣金台账新增：{code} {kind} ¥{yuan(entry.amount)}",
        f"Ledger entry: {code} {kind_en} ¥{yuan(entry.amount)}",
        entry.explanation.split("\n", 1)[0][:300],
        "",
        console_link("finance"),
        data={
            "entry_id": entry.pk,
            "partner_code": code,
            "kind": entry.kind,
            "amount": str(entry.amount),
            "earned_on": entry.earned_on.isoformat(),
            "due_on": entry.due_on.isoformat(),
            "project_id": entry.project_id,
            "event_key": entry.event_key,
            "hash": entry.hash,
        },
    )
    notify(message, [])


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
