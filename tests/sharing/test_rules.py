"""The revenue-share rule (SPEC §10.5, R-RS-2; issue #15): figures by hand, properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huoban.explain import explanation_text
from huoban.sharing import rules
from huoban.terms.rules import Acceptance, Payment, Refund

DAY = dt.date(2026, 9, 24)


def test_the_seed_figures():
    # R-RS-3: s = 40%; a payment of 300,000.00 → 120,000.00; a refund of 50,000.00 → −20,000.00.
    entries = rules.share_entries(
        Decimal("0.40"),
        [
            Payment(key="payment:1", date=DAY, amount=Decimal("300000.00")),
            Acceptance(key="acceptance", date=DAY),
            Refund(key="refund:2", date=DAY, amount=Decimal("50000.00")),
        ],
    )
    assert [(e.event_key, e.amount) for e in entries] == [
        ("payment:1", Decimal("120000.00")),
        ("refund:2", Decimal("-20000.00")),
    ]
    assert "300,000.00 × share 40% = 120,000.00" in explanation_text(entries[0].explanation)


def test_each_entry_is_rounded_half_up():
    # 0.3333 × 100.05 = 33.346665 → 33.35; 0.125 × 0.20 = 0.025 → 0.03 (half-up, not to even)
    [a] = rules.share_entries(Decimal("0.3333"), [Payment("payment:1", DAY, Decimal("100.05"))])
    [b] = rules.share_entries(Decimal("0.125"), [Payment("payment:1", DAY, Decimal("0.20"))])
    assert (a.amount, b.amount) == (Decimal("33.35"), Decimal("0.03"))


@pytest.mark.parametrize("share", ["0", "1", "-0.1", "1.5"])
def test_a_share_outside_0_and_1_is_refused(share):
    with pytest.raises(ValueError):
        rules.share_entries(Decimal(share), [])


cash = st.decimals(Decimal("0.01"), Decimal("10000000"), places=2)


@given(
    st.decimals(Decimal("0.0001"), Decimal("0.9999"), places=4),
    st.lists(st.tuples(st.booleans(), cash), max_size=12),
)
def test_the_entries_sum_to_the_share_of_the_net_cash(share, moves):
    events = [
        (Payment if is_payment else Refund)(f"e:{i}", DAY, amount)
        for i, (is_payment, amount) in enumerate(moves)
    ]
    entries = rules.share_entries(share, events)
    net = sum((a if p else -a for p, a in moves), Decimal(0))
    total = sum((e.amount for e in entries), Decimal(0))
    # one entry per cash movement, each off by at most half a fen
    assert len(entries) == len(moves)
    assert abs(total - share * net) <= Decimal("0.005") * len(moves)
    # a payment never gives a negative entry, a refund never a positive one
    assert all(
        (e.amount >= 0) if p else (e.amount <= 0) for e, (p, _a) in zip(entries, moves, strict=True)
    )
