"""The explanation kernel: how every computed figure explains itself (可验算).

A computation returns its result with a list of :class:`Step` — one line each in Chinese and
English, carrying the numbers — so that a partner can recompute it with a pocket calculator.
The commission rules (:mod:`huoban.terms.rules`), the tier rules (:mod:`huoban.standing.tiers`)
and the ledger's own lines all write their steps with these; new scoring rules (SPEC §10) do
the same. No Django here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from huoban.money import FEN, cny

__all__ = ["Step", "explanation_text", "pct", "yuan"]


@dataclass(frozen=True)
class Step:
    """One step of a computation, in Chinese and English, with its numbers."""

    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


def explanation_text(steps: Sequence[Step]) -> str:
    """The steps as the ledger stores and shows them: one bilingual line each."""
    return "\n".join(str(step) for step in steps)


_YUAN: dict[Decimal, str] = {}


def yuan(value: Decimal) -> str:
    """An amount for an explanation: thousands separators, two decimals ('300,000.00')."""
    # Hot in replays (dozens of amounts per project, mostly the same few): memoised by value.
    # Zero is not memoised: 0 and -0 are equal keys but print differently.
    if type(value) is Decimal and value:
        text = _YUAN.get(value)
        if text is None:
            if len(_YUAN) >= 100_000:
                _YUAN.clear()
            text = _YUAN[value] = format(value.quantize(FEN, rounding=ROUND_HALF_UP), ",")
        return text
    return f"{cny(value):,}"


def pct(rate: Decimal) -> str:
    """A rate as a percentage without trailing zeros ('22%', '2.5%')."""
    return f"{(rate * 100).normalize():f}%"
