"""The pure tier rules (SPEC §8): thresholds, lead months, violations, retention, inactivity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from huoban.standing import tiers

D = dt.date
DAY = D(2026, 7, 15)  # complete months before: April, May, June 2026
TWO_EACH = {(2026, 4): 2, (2026, 5): 2, (2026, 6): 2}


def qualify(ytd: str, leads=TWO_EACH, violation=None, approved=False) -> str:
    return tiers.qualifying_tier(
        day=DAY,
        ytd_signed=Decimal(ytd),
        valid_leads_by_month=leads,
        last_violation_on=violation,
        strategic_approved=approved,
    ).tier


def test_it_counts_the_three_complete_months_before_the_date():
    assert tiers.complete_months_before(D(2026, 7, 15)) == [(2026, 4), (2026, 5), (2026, 6)]
    assert tiers.complete_months_before(D(2026, 7, 1)) == [(2026, 4), (2026, 5), (2026, 6)]
    assert tiers.complete_months_before(D(2027, 2, 28)) == [(2026, 11), (2026, 12), (2027, 1)]


def test_it_enters_deep_at_exactly_500000_with_two_leads_each_month():
    assert qualify("500000.00") == "deep"
    assert qualify("499999.99") == "light"


def test_it_needs_two_valid_leads_in_each_month_not_six_in_total():
    assert qualify("500000.00", {(2026, 4): 4, (2026, 5): 1, (2026, 6): 2}) == "light"
    assert qualify("500000.00", {(2026, 4): 2, (2026, 5): 2}) == "light"
    # Leads of the current, incomplete month do not count.
    assert qualify("500000.00", {(2026, 5): 2, (2026, 6): 2, (2026, 7): 9}) == "light"


def test_a_violation_in_the_last_12_months_blocks_deep():
    assert qualify("500000.00", violation=D(2025, 8, 15)) == "light"  # 11 months ago
    assert qualify("500000.00", violation=D(2025, 7, 16)) == "light"
    assert qualify("500000.00", violation=D(2025, 7, 15)) == "deep"  # exactly 12 months


def test_strategic_is_immediate_at_3000000_or_on_an_approved_application():
    assert qualify("3000000.00", leads={}, violation=D(2026, 7, 1)) == "strategic"
    assert qualify("2999999.99", leads={}) == "light"
    assert qualify("2999999.99") == "deep"
    assert qualify("0.00", leads={}, approved=True) == "strategic"


def test_the_explanation_is_bilingual_with_the_figures():
    result = tiers.qualifying_tier(
        day=DAY,
        ytd_signed=Decimal("500000.00"),
        valid_leads_by_month={(2026, 4): 2, (2026, 5): 1, (2026, 6): 2},
        last_violation_on=None,
    )
    text = "\n".join(str(s) for s in result.explanation)
    assert "500,000.00" in text
    assert "2026-05: 1" in text
    assert "不满足" in text and "not met" in text


def test_progress_to_the_next_tier():
    assert tiers.progress("light", Decimal("0")) == ("deep", Decimal("500000.00"))
    assert tiers.progress("light", Decimal("120000.50")) == ("deep", Decimal("379999.50"))
    assert tiers.progress("light", Decimal("800000.00")) == ("deep", Decimal("0.00"))
    assert tiers.progress("deep", Decimal("800000.00")) == ("strategic", Decimal("2200000.00"))
    assert tiers.progress("strategic", Decimal("1.00")) == (None, Decimal("0.00"))


def test_promotion_is_only_upward():
    assert tiers.is_upward("light", "deep")
    assert not tiers.is_upward("strategic", "deep")
    assert not tiers.is_upward("deep", "deep")


def test_retention_grace_starts_when_last_year_was_below_the_threshold():
    start = tiers.retention_start("deep", Decimal("300000.00"), 2027)
    assert start.enters_grace and start.grace_until == D(2027, 3, 31)
    assert not tiers.retention_start("deep", Decimal("500000.00"), 2027).enters_grace
    assert tiers.retention_start("strategic", Decimal("2999999.99"), 2027).enters_grace
    assert not tiers.retention_start("light", Decimal("0"), 2027).enters_grace


def grace(ytd: str, day: dt.date, demote=False, qualifying="light", tier="deep"):
    return tiers.grace_outcome(
        tier=tier,
        ytd_signed=Decimal(ytd),
        day=day,
        grace_until=D(2027, 3, 31),
        demote_after_grace=demote,
        qualifying=qualifying,
    )


def test_grace_outcomes():
    assert grace("499999.99", D(2027, 3, 31)).state == "grace"
    assert grace("500000.00", D(2027, 2, 10)).state == "retained"
    lapsed = grace("499999.99", D(2027, 4, 1))
    assert (lapsed.state, lapsed.tier) == ("retention_lapsed", "deep")
    demoted = grace("499999.99", D(2027, 4, 1), demote=True)
    assert (demoted.state, demoted.tier) == ("demoted", "light")
    down_one = grace("600000.00", D(2027, 4, 1), demote=True, qualifying="deep", tier="strategic")
    assert (down_one.state, down_one.tier) == ("demoted", "deep")


def test_inactivity_notice_30_days_before_12_months_then_light():
    last = D(2025, 6, 15)  # light on 2026-06-15, notice from 2026-05-16
    assert (
        tiers.inactivity(tier="deep", last_activity=last, day=D(2026, 5, 15), notice_on=None).action
        is None
    )
    notice = tiers.inactivity(tier="deep", last_activity=last, day=D(2026, 5, 16), notice_on=None)
    assert (notice.action, notice.light_on) == ("notice", D(2026, 6, 15))
    sent = D(2026, 5, 16)
    assert (
        tiers.inactivity(tier="deep", last_activity=last, day=D(2026, 6, 14), notice_on=sent).action
        is None
    )
    assert (
        tiers.inactivity(tier="deep", last_activity=last, day=D(2026, 6, 15), notice_on=sent).action
        == "light"
    )
    # A notice older than the last activity is void.
    assert (
        tiers.inactivity(
            tier="deep", last_activity=D(2026, 6, 1), day=D(2026, 6, 15), notice_on=sent
        ).action
        is None
    )
    # A notice sent late still gives the full 30 days.
    late = tiers.inactivity(tier="deep", last_activity=last, day=D(2026, 7, 1), notice_on=None)
    assert (late.action, late.light_on) == ("notice", D(2026, 7, 31))
    assert (
        tiers.inactivity(tier="light", last_activity=last, day=D(2027, 1, 1), notice_on=None).action
        is None
    )
