"""Per-unit commission (SPEC §10.6, R-UNIT-2/3/4; issue #15): seed 002's three months by hand,
and the properties: once the base target is reached the year's total is the ladder price;
deductions never touch the true-up."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from huoban.agreements import rules
from huoban.explain import explanation_text

from .test_rules import SEED_002

SCHEME = rules.UnitScheme.of(SEED_002)


def test_seed_002_january_to_march():
    # January: 3,000 × 200 = 600,000.00; complaints 9% → −10% → 540,000.00; no true-up.
    jan = rules.price_month(SCHEME, 0, 3000, complaint_rate=Decimal("0.09"), nps=Decimal("70"))
    assert (jan.gross, jan.amount, jan.true_up) == (
        Decimal("600000"),
        Decimal("540000.00"),
        Decimal("0"),
    )
    # February: 2,500 units → cumulative 5,500: 2,000 × 200 + 500 × 280 = 540,000.00; NPS 60 →
    # −15% → 459,000.00; the count reaches 5,000: true-up 5,000 × 50 = 250,000.00.
    feb = rules.price_month(SCHEME, 3000, 2500, complaint_rate=Decimal("0.04"), nps=Decimal("60"))
    assert (feb.gross, feb.amount, feb.true_up) == (
        Decimal("540000"),
        Decimal("459000.00"),
        Decimal("250000.00"),
    )
    # March: 3,000 units → cumulative 8,500: 2,500 × 280 + 500 × 320 = 860,000.00.
    mar = rules.price_month(SCHEME, 5500, 3000, complaint_rate=Decimal("0.03"), nps=Decimal("72"))
    assert (mar.amount, mar.true_up, mar.cumulative) == (Decimal("860000.00"), Decimal("0"), 8500)
    # Year to date 2,109,000.00.
    assert jan.amount + feb.amount + feb.true_up + mar.amount == Decimal("2109000.00")
    assert "2,000 × 200 + 500 × 280 = 540,000.00" in explanation_text(feb.explanation)
    assert "5,000 × 50 = 250,000.00" in explanation_text(feb.true_up_explanation)
    assert "× (1 − 15%) = 459,000.00" in explanation_text(feb.explanation)


def test_both_deductions_take_a_quarter():
    month = rules.price_month(SCHEME, 0, 100, complaint_rate=Decimal("0.081"), nps=Decimal("64.9"))
    assert (month.deduction_rate, month.amount) == (Decimal("0.25"), Decimal("15000.00"))
    # exactly at the limits: no deduction (above 8%, below 65)
    edge = rules.price_month(SCHEME, 0, 100, complaint_rate=Decimal("0.08"), nps=Decimal("65"))
    assert edge.deduction_rate == 0


@given(st.lists(st.integers(0, 4000), min_size=1, max_size=12))
def test_once_the_target_is_reached_the_year_totals_the_ladder_price(months):
    cumulative, total = 0, Decimal(0)
    for units in months:
        month = rules.price_month(SCHEME, cumulative, units)
        total += month.amount + month.true_up
        cumulative = month.cumulative
    if cumulative >= SCHEME.base_target:
        assert total == rules.ladder_price(SCHEME, cumulative)
    else:
        assert total == cumulative * SCHEME.below_target_rate  # below target: r0 for all


@given(
    st.integers(0, 20000),
    st.integers(0, 5000),
    st.decimals(0, 1, places=3),
    st.decimals(0, 100, places=1),
)
def test_deductions_never_touch_the_true_up_and_never_raise_the_amount(before, units, c, n):
    clean = rules.price_month(SCHEME, before, units)
    month = rules.price_month(SCHEME, before, units, complaint_rate=c, nps=n)
    assert month.true_up == clean.true_up
    assert month.amount <= clean.amount
    assert month.amount >= (clean.gross * Decimal("0.75")).quantize(Decimal("0.01")) - Decimal(
        "0.01"
    )
