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
