"""The pure commission rules, with figures computed by hand (SPEC §6, R-LED-4…7)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from huoban.calendar import add_business_days_with, explain
from huoban.explain import explanation_text
from huoban.terms.rules import (
    POLICY_V1,
    Acceptance,
    Cancellation,
    PartnerExit,
    Payment,
    ProjectEvent,
    Refund,
    annual_bonus,
    annual_bonus_due,
    commission_total,
    confirmation_fee,
    due_date,
    due_step,
    liquidated_damages,
    override_entries,
    project_entries,
    project_outcomes,
    project_rate,
    tail_allows,
    tail_last_day,
)

D = Decimal
day = dt.date
R22 = D("0.22")


def summary(entries):
    return [(e.kind, e.amount, e.event_key) for e in entries]


# --- policy v1 -------------------------------------------------------------------------------


def test_policy_v1_is_the_spec_table():
    p = POLICY_V1
    assert p.version == 1
    assert [(b, r) for b, r in p.ladder] == [
        (D("100000"), D("0.15")),
        (D("300000"), D("0.22")),
        (D("500000"), D("0.28")),
        (None, D("0.30")),
    ]
    assert (p.renewal_bonus, p.high_margin_bonus, p.cap) == (D("0.02"), D("0.05"), D("0.30"))
    assert p.renewal_kinds == {"renewal", "increment", "iteration"}
    assert dict(p.tier_uplift) == {"light": 0, "deep": 0, "strategic": 0}
    assert (p.confirmation_rate, p.payout_business_days) == (D("0.08"), 3)
    assert list(p.annual_ladder) == [
        (D("500000"), D("0.02")),
        (D("1000000"), D("0.03")),
        (D("3000000"), D("0.04")),
        (D("5000000"), D("0.05")),
    ]
    assert (p.override_rate, p.tail_years, p.liquidated_damages_rate) == (
        D("0.01"),
        3,
        D("0.30"),
    )
    assert p.clawback is False and p.demote_after_grace is False


# --- project rate ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "rate", "total"),
    [
        # 15% × 100,000.00 = 15,000.00
        ("100000.00", "0.15", "15000.00"),
        # 22% × 100,000.01 = 22,000.0022 → 22,000.00
        ("100000.01", "0.22", "22000.00"),
        # 22% × 300,000.00 = 66,000.00
        ("300000.00", "0.22", "66000.00"),
        # 28% × 300,000.01 = 84,000.0028 → 84,000.00
        ("300000.01", "0.28", "84000.00"),
        # 28% × 500,000.00 = 140,000.00
        ("500000.00", "0.28", "140000.00"),
        # 30% × 500,000.01 = 150,000.003 → 150,000.00
        ("500000.01", "0.30", "150000.00"),
    ],
)
def test_the_ladder_bounds_are_inclusive(amount, rate, total):
    result = project_rate(POLICY_V1, D(amount), "new", False, "light")
    assert result.rate == D(rate)
    assert commission_total(result.rate, D(amount)).amount == D(total)


def test_the_ladder_step_shows_the_bound():
    result = project_rate(POLICY_V1, D("300000.00"), "new", False, "light")
    assert str(result.explanation[0]) == (
        "合同额 300,000.00 ≤ 300,000.00 → 阶梯费率 22% / "
        "contract 300,000.00 ≤ 300,000.00 → ladder rate 22%"
    )
    above = project_rate(POLICY_V1, D("600000.00"), "new", False, "light")
    assert above.explanation[0].en == "contract 600,000.00 > 500,000.00 → ladder rate 30%"


def test_renewal_and_high_margin_add_to_the_ladder():
    # 100,000 increment, high-margin: 15 + 2 + 5 + 0 = 22% (under the cap).
    result = project_rate(POLICY_V1, D("100000.00"), "increment", True, "strategic")
    assert result.rate == D("0.22")
    assert result.explanation[-2].en == "sum 15% + 2% + 5% + 0% = 22%"
    assert result.explanation[-1].en == "22% ≤ cap 30% → rate 22%"
    # 300,000 iteration: 22 + 2 = 24%.
    assert project_rate(POLICY_V1, D("300000.00"), "iteration", False, "deep").rate == D("0.24")


def test_the_cap_limits_the_sum():
    # 600,000 renewal, high-margin: 30 + 2 + 5 = 37% → capped at 30%;
    # T = 30% × 600,000 = 180,000.00.
    result = project_rate(POLICY_V1, D("600000.00"), "renewal", True, "light")
    assert result.rate == D("0.30")
    assert result.explanation[-1].en == "37% > cap 30% → capped, rate 30%"
    assert result.explanation[-1].zh == "37% > 上限 30% → 封顶，费率 30%"
    assert commission_total(result.rate, D("600000.00")).amount == D("180000.00")


def test_it_refuses_nonsense_inputs():
    with pytest.raises(ValueError):
        project_rate(POLICY_V1, D("0"), "new", False, "light")
    with pytest.raises(ValueError):
        project_rate(POLICY_V1, D("1000"), "gift", False, "light")
    with pytest.raises(ValueError):
        project_rate(POLICY_V1, D("1000"), "new", False, "platinum")
    with pytest.raises(TypeError):
        project_rate(POLICY_V1, 1000.0, "new", False, "light")  # type: ignore[arg-type]


# --- rounding --------------------------------------------------------------------------------


def test_amounts_with_fen_round_half_up():
    # 22% × 123,456.78 = 27,160.4916 → 27,160.49; 8% × 123,456.78 = 9,876.5424 → 9,876.54.
    total = commission_total(R22, D("123456.78"))
    assert total.amount == D("27160.49")
    assert total.explanation[0].en == (
        "commission total T = 22% × 123,456.78 = 27,160.4916 → 27,160.49"
    )
    assert confirmation_fee(POLICY_V1, D("123456.78")).amount == D("9876.54")
    # 22% × 100,000.75 = 22,000.165 → half-up 22,000.17 (banker's rounding would give .16).
    assert commission_total(R22, D("100000.75")).amount == D("22000.17")
    # 8% × 100,000.75 = 8,000.06 exactly.
    assert confirmation_fee(POLICY_V1, D("100000.75")).amount == D("8000.06")


# --- project commission (R-LED-4) --------------------------------------------------------------


def test_the_worked_example_of_the_spec():
    # 300,000 new, light: r = 22%, T = 66,000.00, C = 8% × 300,000 = 24,000.00 at the first
    # payment, 66,000.00 − 24,000.00 = 42,000.00 more at acceptance with full payment.
    rate = project_rate(POLICY_V1, D("300000.00"), "new", False, "light").rate
    assert rate == R22
    events = [
        Payment("pay:1", day(2026, 3, 2), D("300000.00")),
        Acceptance("acc", day(2026, 6, 1)),
    ]
    entries = project_entries(POLICY_V1, rate=rate, amount=D("300000.00"), events=events)
    assert summary(entries) == [
        ("confirmation", D("24000.00"), "pay:1"),
        ("settlement", D("42000.00"), "acc"),
    ]
    assert [e.earned_on for e in entries] == [day(2026, 3, 2), day(2026, 6, 1)]
    assert sum(e.amount for e in entries) == D("66000.00")
    text = explanation_text(entries[1].explanation)
    assert "commission total T = 22% × 300,000.00 = 66,000.00" in text
    assert "confirmation fee C = 8% × 300,000.00 = 24,000.00" in text
    assert "应得 66,000.00 − 已计 24,000.00 = 本次入账 42,000.00" in text


def test_payments_before_and_after_acceptance():
    # A = 300,000, r = 22%, T = 66,000.00, C = 24,000.00.
    events = [
        # R = 50,000 → C = 24,000.00 (confirmation).
        Payment("p1", day(2026, 3, 2), D("50000.00")),
        # Accepted, R = 50,000: r × R = 11,000.00 < C → earned 24,000.00, already credited.
        Acceptance("acc", day(2026, 4, 1)),
        # R = 150,000: 22% × 150,000 = 33,000.00 → 33,000 − 24,000 = 9,000.00.
        Payment("p2", day(2026, 5, 6), D("100000.00")),
        # R = 300,000: 66,000.00 → 66,000 − 33,000 = 33,000.00.
        Payment("p3", day(2026, 6, 1), D("150000.00")),
        # R = 310,000 (over-payment): min(T, 68,200.00) = 66,000.00 → nothing.
        Payment("p4", day(2026, 6, 2), D("10000.00")),
    ]
    outcomes = project_outcomes(POLICY_V1, rate=R22, amount=D("300000.00"), events=events)
    assert [(o.event_key, o.entry.amount if o.entry else None) for o in outcomes] == [
        ("p1", D("24000.00")),
        ("acc", None),
        ("p2", D("9000.00")),
        ("p3", D("33000.00")),
        ("p4", None),
    ]
    assert [o.entry.kind for o in outcomes if o.entry] == [
        "confirmation",
        "settlement",
        "settlement",
    ]
    no_entry = outcomes[1].explanation[-1]
    assert no_entry.en == (
        "earned 24,000.00 − already credited 24,000.00 = 0.00 ≤ 0 → no entry (no clawback)"
    )
    p2 = outcomes[2].entry
    assert p2 is not None and (p2.basis, p2.rate) == (D("150000.00"), R22)
    assert (p2.earned_total, p2.credited_total) == (D("33000.00"), D("33000.00"))


def test_a_second_payment_before_acceptance_earns_nothing_more():
    events = [
        Payment("p1", day(2026, 3, 2), D("100000.00")),
        Payment("p2", day(2026, 3, 9), D("100000.00")),
    ]
    entries = project_entries(POLICY_V1, rate=R22, amount=D("300000.00"), events=events)
    assert summary(entries) == [("confirmation", D("24000.00"), "p1")]


def test_a_refund_creates_no_negative_entry_and_a_later_payment_only_the_excess():
    # A = 300,000, r = 22%.
    events = [
        Payment("p1", day(2026, 3, 2), D("200000.00")),  # C = 24,000.00
        Acceptance("acc", day(2026, 4, 1)),  # R = 200,000 → 44,000.00 → +20,000.00
        Refund("r1", day(2026, 4, 10), D("100000.00"), refund_of="p1"),  # R = 100,000 → 24,000
        Payment("p2", day(2026, 5, 6), D("100000.00")),  # R = 200,000 → 44,000 − 44,000 = 0
        Payment("p3", day(2026, 6, 1), D("100000.00")),  # R = 300,000 → 66,000 − 44,000
    ]
    outcomes = project_outcomes(POLICY_V1, rate=R22, amount=D("300000.00"), events=events)
    assert [(o.event_key, o.entry.amount if o.entry else None) for o in outcomes] == [
        ("p1", D("24000.00")),
        ("acc", D("20000.00")),
        ("r1", None),
        ("p2", None),
        ("p3", D("22000.00")),
    ]
    assert outcomes[2].explanation[-1].zh == (
        "应得 24,000.00 − 已计 44,000.00 = -20,000.00 ≤ 0 → 不入账（不追回）"
    )
    assert sum(o.entry.amount for o in outcomes if o.entry) == D("66000.00")


def test_a_full_refund_before_acceptance_keeps_the_confirmation_fee():
    events = [
        Payment("p1", day(2026, 3, 2), D("100000.00")),
        Refund("r1", day(2026, 3, 3), D("100000.00")),
    ]
    entries = project_entries(POLICY_V1, rate=R22, amount=D("300000.00"), events=events)
    assert summary(entries) == [("confirmation", D("24000.00"), "p1")]


def test_an_acceptance_before_any_payment_earns_nothing_until_the_payment():
    # Nothing before the first payment; then, accepted, R = 100,000: 22,000.00 < C, so
    # max(C, r × R) = 24,000.00 — a settlement, since the project is already accepted.
    events = [
        Acceptance("acc", day(2026, 3, 2)),
        Payment("p1", day(2026, 3, 9), D("100000.00")),
    ]
    entries = project_entries(POLICY_V1, rate=R22, amount=D("300000.00"), events=events)
    assert summary(entries) == [("settlement", D("24000.00"), "p1")]
    assert (entries[0].basis, entries[0].rate) == (D("300000.00"), D("0.08"))


def test_a_cancelled_project_keeps_what_it_was_credited():
    events = [
        Payment("p1", day(2026, 3, 2), D("100000.00")),
        Cancellation("cancel", day(2026, 3, 20)),
        Acceptance("acc", day(2026, 4, 1)),
        Payment("p2", day(2026, 4, 2), D("200000.00")),
    ]
    outcomes = project_outcomes(POLICY_V1, rate=R22, amount=D("300000.00"), events=events)
    assert [o.entry.amount if o.entry else None for o in outcomes] == [
        D("24000.00"),
        None,
        None,
        None,
    ]
    assert outcomes[1].explanation[-1].en == (
        "24,000.00 already credited is kept; nothing more is earned"
    )
    assert outcomes[3].explanation[0].en == (
        "project cancelled on 2026-03-20: later events earn nothing"
    )


def test_replaying_a_recorded_event_adds_nothing_and_a_clash_is_refused():
    p1 = Payment("p1", day(2026, 3, 2), D("100000.00"))
    entries = project_entries(POLICY_V1, rate=R22, amount=D("300000.00"), events=[p1, p1])
    assert summary(entries) == [("confirmation", D("24000.00"), "p1")]
    clash = Payment("p1", day(2026, 3, 2), D("100000.01"))
    with pytest.raises(ValueError):
        project_entries(POLICY_V1, rate=R22, amount=D("300000.00"), events=[p1, clash])


def test_events_refuse_floats_and_non_positive_amounts():
    with pytest.raises(TypeError):
        Payment("p", day(2026, 1, 5), 100.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Payment("p", day(2026, 1, 5), D("0"))
    with pytest.raises(ValueError):
        Refund("r", day(2026, 1, 5), D("-5"))
    assert Payment("p", day(2026, 1, 5), "12.30").amount == D("12.30")  # type: ignore[arg-type]


# --- override (R-LED-5) ----------------------------------------------------------------------


def test_the_recruiter_earns_one_percent_of_received_up_to_the_contract():
    # A = 300,000: cap of the override 1% × 300,000 = 3,000.00.
    events = [
        Payment("p1", day(2026, 3, 2), D("100000.00")),  # 1% × 100,000 = 1,000.00
        Acceptance("acc", day(2026, 3, 5)),  # acceptance does not matter
        Refund("r1", day(2026, 3, 6), D("50000.00")),  # R = 50,000: no entry
        Payment("p2", day(2026, 3, 9), D("50000.00")),  # R = 100,000: 1,000 − 1,000 = 0
        Payment("p3", day(2026, 4, 1), D("250000.00")),  # min(350,000, A) → 3,000 − 1,000
    ]
    entries = override_entries(POLICY_V1, amount=D("300000.00"), events=events)
    assert summary(entries) == [
        ("override", D("1000.00"), "p1"),
        ("override", D("2000.00"), "p3"),
    ]
    assert entries[1].explanation[1].en == (
        "override = 1% × min(R 350,000.00, A 300,000.00) = 1% × 300,000.00 = 3,000.00"
    )


def test_the_override_rounds_half_up_before_acceptance():
    # 1% × 123,456.78 = 1,234.5678 → 1,234.57, with no acceptance at all.
    events = [Payment("p1", day(2026, 3, 2), D("123456.78"))]
    entries = override_entries(POLICY_V1, amount=D("123456.78"), events=events)
    assert summary(entries) == [("override", D("1234.57"), "p1")]


def test_the_override_stops_at_cancellation_and_keeps_what_was_credited():
    events = [
        Payment("p1", day(2026, 3, 2), D("100000.00")),  # 1% × 100,000 = 1,000.00
        Cancellation("cancel", day(2026, 3, 3)),
        Payment("p2", day(2026, 3, 4), D("100000.00")),  # after cancellation: nothing
    ]
    entries = override_entries(POLICY_V1, amount=D("300000.00"), events=events)
    assert summary(entries) == [("override", D("1000.00"), "p1")]


def test_an_unknown_event_is_refused():
    with pytest.raises(TypeError):
        project_entries(
            POLICY_V1,
            rate=R22,
            amount=D("300000.00"),
            events=[ProjectEvent("x", day(2026, 3, 2))],
        )


# --- annual bonus (R-LED-6) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("performance", "rate", "bonus"),
    [
        ("0.00", "0", "0.00"),
        ("499999.99", "0", "0.00"),
        ("500000.00", "0.02", "10000.00"),  # 2% × 500,000
        ("999999.99", "0.02", "20000.00"),  # 2% × 999,999.99 = 19,999.9998 → 20,000.00
        ("1000000.00", "0.03", "30000.00"),  # 3% × 1,000,000
        ("3000000.00", "0.04", "120000.00"),  # 4% × 3,000,000 (the SPEC's example)
        ("5000000.00", "0.05", "250000.00"),  # 5% × 5,000,000
    ],
)
def test_the_annual_bonus_applies_one_rate_to_the_whole_performance(performance, rate, bonus):
    result = annual_bonus(POLICY_V1, D(performance))
    assert (result.rate, result.amount) == (D(rate), D(bonus))


def test_the_annual_bonus_explains_itself():
    below = annual_bonus(POLICY_V1, D("499999.99"))
    assert below.explanation[0].en == (
        "signed performance P = 499,999.99 < 500,000.00 → no annual bonus, 0.00"
    )
    above = annual_bonus(POLICY_V1, D("3000000.00"))
    assert explanation_text(above.explanation) == (
        "年度签约业绩 P = 3,000,000.00 ≥ 3,000,000.00 → 费率 4% / "
        "signed performance P = 3,000,000.00 ≥ 3,000,000.00 → rate 4%\n"
        "年度奖励 = 4% × 3,000,000.00 = 120,000.00（按全部业绩计） / "
        "annual bonus = 4% × 3,000,000.00 = 120,000.00 (on the whole P)"
    )


def test_the_annual_bonus_is_due_on_31_january_next_year():
    assert annual_bonus_due(2026) == day(2027, 1, 31)


def test_liquidated_damages_are_30_percent_of_the_contract():
    # 30% × 300,000.00 = 90,000.00
    assert liquidated_damages(POLICY_V1, D("300000.00")).amount == D("90000.00")


# --- due dates -------------------------------------------------------------------------------


def test_an_entry_is_due_three_business_days_after_its_event():
    # Fri 2026-02-13 → Sat 02-14 (make-up day), Tue 02-24, Wed 02-25 (R-CAL-3).
    assert due_date(day(2026, 2, 13), add_business_days_with) == (day(2026, 2, 25), False)
    step = due_step(day(2026, 2, 13), day(2026, 2, 25), days=3)
    assert str(step) == (
        "到期日 = 2026-02-13 后第 3 个工作日 = 2026-02-25 / "
        "due = 3 business days after 2026-02-13 = 2026-02-25"
    )


def test_a_due_date_in_an_unpublished_year_is_estimated():
    # Fri 2027-02-05 → Mon 08, Tue 09, Wed 10 on weekends only.
    assert due_date(day(2027, 2, 5), add_business_days_with) == (day(2027, 2, 10), True)
    note = explain(add_business_days_with(day(2027, 2, 5), 3))
    step = due_step(day(2027, 2, 5), day(2027, 2, 10), days=3, estimated_note=note)
    assert step.zh.endswith("（2027 年节假日尚未公布，按周末估算）")
    assert step.en.endswith("(2027 holidays not yet published: estimated on weekends only)")


# --- tail (R-LED-7) --------------------------------------------------------------------------


def test_the_tail_ends_on_the_same_date_three_years_later():
    # E = 2026-03-01 → last earning day 2029-03-01.
    assert tail_last_day(day(2026, 3, 1), 3) == day(2029, 3, 1)
    assert tail_allows(day(2026, 3, 1), "partner_initiated", day(2029, 3, 1), 3)[0] is True
    allowed, steps = tail_allows(day(2026, 3, 1), "mutual", day(2029, 3, 2), 3)
    assert allowed is False
    assert steps[0].en == (
        "partner exited on 2026-03-01 (mutual); tail of 3 years ends 2029-03-01; "
        "2029-03-02 > 2029-03-01 → earns nothing"
    )


def test_an_exit_on_29_february_ends_the_tail_on_28_february():
    # 2031 has no 29 February: the period ends on the last day of that month.
    assert tail_last_day(day(2028, 2, 29), 3) == day(2031, 2, 28)
    assert tail_allows(day(2028, 2, 29), "mutual", day(2031, 2, 28), 3)[0] is True
    assert tail_allows(day(2028, 2, 29), "mutual", day(2031, 3, 1), 3)[0] is False
    # 2032 is a leap year again: four years after 2028-02-29 is 2032-02-29.
    assert tail_last_day(day(2028, 2, 29), 4) == day(2032, 2, 29)


def test_a_company_violation_has_no_tail_limit():
    allowed, steps = tail_allows(day(2026, 3, 1), "company_violation", day(2040, 1, 1), 3)
    assert allowed is True
    assert "no tail limit" in steps[0].en
    assert tail_allows(None, None, day(2040, 1, 1), 3)[0] is True
    with pytest.raises(ValueError):
        tail_allows(day(2026, 3, 1), "vanished", day(2026, 3, 2), 3)


def test_payments_after_the_tail_earn_the_exited_partner_nothing():
    # Partner exited 2026-03-01; the project's payment on 2029-03-02 is one day too late.
    events = [
        Payment("p1", day(2026, 2, 2), D("100000.00")),  # C = 24,000.00
        Acceptance("acc", day(2029, 2, 1)),  # R = 100,000: 22,000 < C → nothing more
        Payment("p2", day(2029, 3, 2), D("200000.00")),  # after the tail: nothing
    ]
    exit_ = PartnerExit(day(2026, 3, 1), "partner_initiated")
    outcomes = project_outcomes(
        POLICY_V1, rate=R22, amount=D("300000.00"), events=events, partner_exit=exit_
    )
    assert [o.entry.amount if o.entry else None for o in outcomes] == [D("24000.00"), None, None]
    assert outcomes[2].explanation[0].en.endswith("2029-03-02 > 2029-03-01 → earns nothing")
    violation = PartnerExit(day(2026, 3, 1), "company_violation")
    entries = project_entries(
        POLICY_V1, rate=R22, amount=D("300000.00"), events=events, partner_exit=violation
    )
    # No limit: R = 300,000 → 66,000.00 − 24,000.00 = 42,000.00 at p2.
    assert summary(entries) == [
        ("confirmation", D("24000.00"), "p1"),
        ("settlement", D("42000.00"), "p2"),
    ]
