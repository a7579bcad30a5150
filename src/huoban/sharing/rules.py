"""The revenue-share rule (SPEC §10.5, R-RS-2) as a pure function over a project's events.

No ORM: the service books what it returns, the property tests check it. Each entry carries its
explanation in Chinese and English, like the commission entries; the due-date step is added by
the service, which knows the business-day calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from huoban.explain import Step, pct, yuan
from huoban.money import FEN
from huoban.terms.rules import Payment, ProjectEvent, Refund

#: R-RS-1: settle days d by default.
DEFAULT_SETTLE_DAYS = 5


@dataclass(frozen=True)
class ShareEntry:
    """One `revenue_share` entry: the event it answers, the cash it shares, the signed amount."""

    event_key: str
    earned_on: dt.date
    basis: Decimal  # the payment or refund, positive
    amount: Decimal  # round(s × P), or −round(s × F) for a refund
    explanation: tuple[Step, ...]


def share_entries(share: Decimal, events: Sequence[ProjectEvent]) -> list[ShareEntry]:
    """R-RS-2: for each payment P one entry of round(s × P); for each refund F one of
    −round(s × F) — co-delivery partners share the cash both ways. Rounded half-up to 0.01.
    Acceptance and cancellation share nothing. Seed 001: s = 40%, P = 300,000.00 → 120,000.00."""
    if not Decimal(0) < share < 1:
        raise ValueError("a share is between 0 and 1")
    out: list[ShareEntry] = []
    for event in events:
        if isinstance(event, Payment):
            amount = (event.amount * share).quantize(FEN, rounding=ROUND_HALF_UP)
            step = Step(
                f"客户回款 {yuan(event.amount)} × 分成比例 {pct(share)} = {yuan(amount)}",
                f"customer payment {yuan(event.amount)} × share {pct(share)} = {yuan(amount)}",
            )
            out.append(ShareEntry(event.key, event.date, event.amount, amount, (step,)))
        elif isinstance(event, Refund):
            amount = -(event.amount * share).quantize(FEN, rounding=ROUND_HALF_UP)
            step = Step(
                f"客户退款 {yuan(event.amount)} × 分成比例 {pct(share)} = {yuan(amount)}"
                "（合作方与我方同向分担现金）",
                f"customer refund {yuan(event.amount)} × share {pct(share)} = {yuan(amount)} "
                "(co-delivery partners share the cash both ways)",
            )
            out.append(ShareEntry(event.key, event.date, event.amount, amount, (step,)))
    return out


@dataclass(frozen=True)
class SchemeAmounts:
    """A revenue-share scheme's amounts on the contract (R-RS-1), before any cash arrives."""

    theirs: Decimal  # round(s × contract)
    ours: Decimal  # what stays with us after this scheme and the shares already locked
    explanation: tuple[Step, ...]


def scheme_amounts(
    contract: Decimal, share: Decimal, locked: Decimal = Decimal(0)
) -> SchemeAmounts:
    """R-RS-1: a proposed scheme's amounts on the contract, to compare schemes side by side.
    The partner's part is round(s × contract); ours is the contract less that part and less the
    parts of the co-delivery shares already locked on the project (their sum ``locked``).
    Seed 001 on a 1,000,000.00 contract: scheme A 40% → 400,000.00 / 600,000.00; scheme B 30% →
    300,000.00 / 700,000.00. Rounded half-up to 0.01."""
    if not Decimal(0) < share < 1 or not Decimal(0) <= locked < 1:
        raise ValueError("shares are between 0 and 1")
    theirs = (contract * share).quantize(FEN, rounding=ROUND_HALF_UP)
    others = (contract * locked).quantize(FEN, rounding=ROUND_HALF_UP)
    ours = contract - theirs - others
    steps = [
        Step(
            f"合同额 {yuan(contract)} × 分成比例 {pct(share)} = 合作方 {yuan(theirs)}",
            f"contract {yuan(contract)} × share {pct(share)} = partner {yuan(theirs)}",
        )
    ]
    if others:
        steps.append(
            Step(
                f"已锁定的其他合作方 {pct(locked)} = {yuan(others)}",
                f"other co-delivery shares already locked {pct(locked)} = {yuan(others)}",
            )
        )
    steps.append(
        Step(
            f"我方 = {yuan(contract)} − {yuan(theirs + others)} = {yuan(ours)}",
            f"ours = {yuan(contract)} − {yuan(theirs + others)} = {yuan(ours)}",
        )
    )
    return SchemeAmounts(theirs, ours, tuple(steps))
