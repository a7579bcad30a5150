"""R-CRED's rules as pure functions (SPEC §10.12): the figures of the SPEC's example computed by
hand, and properties that hold for any figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from huoban.credit import rules

D = Decimal
amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)
risks = st.sampled_from(rules.RISKS)


def test_the_spec_example_medium_limit_200000():
    # a project of 150,000.00 is signed (0 + 150,000.00 ≤ 200,000.00)
    first = rules.signing_decision("medium", credit_limit=D("200000.00"), exposure=D("0.00"),
                                   amount=D("150000.00"), cash_only=False)  # fmt: skip
    assert first.allowed and first.exposure_after == D("150000.00")
    # a second of 100,000.00 is refused: exposure 250,000.00
    second = rules.signing_decision("medium", credit_limit=D("200000.00"),
                                    exposure=D("150000.00"), amount=D("100000.00"),
                                    cash_only=False)  # fmt: skip
    assert (second.allowed, second.refusal, second.exposure_after) == (
        False, "limit", D("250000.00"),
    )  # fmt: skip
    assert "250,000.00" in str(second.steps[0]) and "200,000.00" in str(second.steps[-1])
    # after a payment of 100,000.00 on the first: 50,000.00 + 100,000.00 = 150,000.00
    third = rules.signing_decision("medium", credit_limit=D("200000.00"),
                                   exposure=D("50000.00"), amount=D("100000.00"),
                                   cash_only=False)  # fmt: skip
    assert third.allowed and third.exposure_after == D("150000.00")
    # finance's approval lets the refused one through
    approved = rules.signing_decision("medium", credit_limit=D("200000.00"),
                                      exposure=D("150000.00"), amount=D("100000.00"),
                                      cash_only=False, excess_approved=True)  # fmt: skip
    assert approved.allowed


def test_high_risk_is_cash_only_and_low_is_normal():
    high = rules.signing_decision("high", credit_limit=D("5000000.00"), exposure=D("0.00"),
                                  amount=D("1.00"), cash_only=False)  # fmt: skip
    assert (high.allowed, high.refusal) == (False, "cash_only")
    cash = rules.signing_decision("high", credit_limit=None, exposure=D("0.00"),
                                  amount=D("900000.00"), cash_only=True)  # fmt: skip
    assert cash.allowed and cash.exposure_after == D("0.00")
    low = rules.signing_decision("low", credit_limit=D("10.00"), exposure=D("900000.00"),
                                 amount=D("900000.00"), cash_only=False)  # fmt: skip
    assert low.allowed
    # medium without a limit grants no credit at all
    none = rules.signing_decision("medium", credit_limit=None, exposure=D("0.00"),
                                  amount=D("0.01"), cash_only=False)  # fmt: skip
    assert (none.allowed, none.refusal) == (False, "limit")


def test_forced_levels():
    assert rules.effective_risk("low", dishonest_debtor=True, max_overdue_days=0).level == "high"
    assert rules.effective_risk("low", dishonest_debtor=False, max_overdue_days=91).level == (
        "medium"
    )
    # exactly 90 days does not force (more than 90)
    assert rules.effective_risk("low", dishonest_debtor=False, max_overdue_days=90).level == "low"
    assert rules.effective_risk("high", dishonest_debtor=False, max_overdue_days=200).level == (
        "high"
    )
    assert rules.effective_risk(None, dishonest_debtor=False, max_overdue_days=120).level == (
        "medium"
    )
    assert rules.effective_risk(None, dishonest_debtor=False, max_overdue_days=0).level == "low"


def test_overdue_days_from_the_first_uncovered_instalment():
    plan = [(D("100000.00"), dt.date(2026, 3, 1)), (D("100000.00"), dt.date(2026, 4, 1))]
    # 150,000.00 covers the first (100,000.00), not the cumulative 200,000.00 of the second
    assert rules.overdue_days(plan, D("150000.00"), dt.date(2026, 5, 1)) == 30
    # 50,000.00 does not cover the first: overdue since 03-01 → 61 days on 05-01
    assert rules.overdue_days(plan, D("50000.00"), dt.date(2026, 5, 1)) == 61
    assert rules.overdue_days(plan, D("200000.00"), dt.date(2026, 5, 1)) == 0
    # not yet due is not overdue
    assert rules.overdue_days(plan, D("0.00"), dt.date(2026, 2, 1)) == 0


def test_days_late_per_instalment():
    plan = [(D("100.00"), dt.date(2026, 3, 1)), (D("100.00"), dt.date(2026, 4, 1)),
            (D("100.00"), dt.date(2026, 9, 1))]  # fmt: skip
    payments = [(dt.date(2026, 3, 11), D("100.00")), (dt.date(2026, 3, 20), D("50.00"))]
    # the first paid 10 days late; the second still open on 06-30 (90 days); the third not due
    assert rules.days_late(plan, payments, dt.date(2026, 6, 30)) == [10, 90, None]


def test_valid_until_is_twelve_months_less_a_day():
    assert rules.valid_until(dt.date(2026, 6, 30)) == dt.date(2027, 6, 29)
    assert rules.valid_until(dt.date(2024, 2, 29)) == dt.date(2025, 2, 27)
    assert rules.valid_until(dt.date(2026, 12, 31)) == dt.date(2027, 12, 30)


@given(risks, amounts, amounts, amounts, amounts)
def test_a_smaller_project_is_never_refused_where_a_larger_one_passes(
    risk, limit, exposure, small, extra
):
    large = small + extra
    big = rules.signing_decision(risk, credit_limit=limit, exposure=exposure, amount=large,
                                 cash_only=False)  # fmt: skip
    little = rules.signing_decision(risk, credit_limit=limit, exposure=exposure, amount=small,
                                    cash_only=False)  # fmt: skip
    assert little.allowed or not big.allowed
    assert big.exposure_after == exposure + large


@given(risks, st.one_of(st.none(), amounts), amounts, amounts)
def test_cash_only_is_always_signed_and_grants_no_credit(risk, limit, exposure, amount):
    decision = rules.signing_decision(risk, credit_limit=limit, exposure=exposure,
                                      amount=amount, cash_only=True)  # fmt: skip
    assert decision.allowed and decision.exposure_after == exposure


@given(st.one_of(st.none(), risks), st.booleans(), st.integers(min_value=0, max_value=3000))
def test_forcing_never_lowers_the_risk(assessed, dishonest, overdue):
    order = {"low": 0, "medium": 1, "high": 2}
    level = rules.effective_risk(assessed, dishonest_debtor=dishonest,
                                 max_overdue_days=overdue).level  # fmt: skip
    assert order[level] >= order[assessed or "low"]
    if dishonest:
        assert level == "high"
    if overdue > 90:
        assert order[level] >= 1
