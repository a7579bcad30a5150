"""R-ANL-1's figures as pure functions (SPEC §10.13): the SPEC's example by hand, and properties
of any figures."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from huoban.analytics import rules

D = Decimal


def test_the_spec_example():
    f = rules.figures(rules.Inputs(leads=10, valid_leads=6, projects=3, new_customers=3,
                                   revenue=D("900000.00"), earned=D("180000.00"),
                                   recorded_costs=D("20000.00")))  # fmt: skip
    assert f.cost == D("200000.00")
    assert f.cac == D("66666.67")  # 200,000.00 ÷ 3
    assert f.roi == D("3.5000")  # (900,000.00 − 200,000.00) ÷ 200,000.00
    assert rules.percent(f.roi) == "350.0%"
    assert f.valid_rate == D("0.6000")
    assert "66,666.67" in str(f.steps[2]) and "350.0%" in str(f.steps[3])
    assert f.clv is None and f.retention is None and f.achievement is None


def test_clv_retention_and_achievement():
    f = rules.figures(
        rules.Inputs(leads=0, valid_leads=0, projects=0, new_customers=0, revenue=D("0"),
                     earned=D("0"), recorded_costs=D("0"), lifetime_cash=D("1150000.00"),
                     lifetime_customers=5, previous_year_customers=2, retained_customers=1,
                     kpi_actual=D("450"), kpi_target=D("500")),
        gross_margin=D("0.30"),
    )  # fmt: skip
    assert f.clv == D("69000.00")  # 1,150,000.00 ÷ 5 × 30%
    assert (f.retention, f.achievement) == (D("0.5000"), D("0.9000"))
    # nothing spent: no CAC, no ROI, no valid rate
    assert (f.cac, f.roi, f.valid_rate) == (None, None, None)


counts = st.integers(min_value=0, max_value=10_000)
money = st.decimals(min_value=0, max_value=10**10, places=2, allow_nan=False)


@given(counts, counts, counts, money, money, money)
def test_cost_is_what_was_earned_and_spent_and_roi_recomputes(
    leads, extra, new, revenue, earned, spent
):
    f = rules.figures(rules.Inputs(leads=leads + extra, valid_leads=leads, projects=new,
                                   new_customers=new, revenue=revenue, earned=earned,
                                   recorded_costs=spent))  # fmt: skip
    assert f.cost == earned + spent
    if f.roi is not None:
        assert abs(f.roi * f.cost - (revenue - f.cost)) <= f.cost * D("0.00005") + D("0.01")
    if f.valid_rate is not None:
        assert D(0) <= f.valid_rate <= D(1)
    if new:
        assert abs(f.cac * new - f.cost) <= D("0.005") * new


@given(st.lists(st.tuples(counts, counts, money), max_size=5))
def test_a_group_adds_its_channels(parts):
    inputs = [
        rules.Inputs(leads=a + b, valid_leads=a, projects=0, new_customers=0, revenue=m,
                     earned=D(0), recorded_costs=D(0))
        for a, b, m in parts
    ]  # fmt: skip
    total = rules.combine(inputs)
    assert total.leads == sum(a + b for a, b, _ in parts)
    assert total.revenue == sum((m for _, _, m in parts), D(0))
