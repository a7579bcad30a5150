"""Exit terms and the per-unit scheme's shape (SPEC §10.4 R-AGR-4, §10.6 R-UNIT-1; issue #15):
the seed's worked example by hand, the rule's properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huoban.agreements import rules
from huoban.explain import explanation_text

SEED_002 = {
    "kind": "per_unit",
    "direction": "receivable",
    "year": 2026,
    "base_target": 5000,
    "below_target_rate": "200",
    "brackets": [
        {"up_to": 5000, "rate": "250"},
        {"up_to": 8000, "rate": "280"},
        {"up_to": 12000, "rate": "320"},
        {"up_to": None, "rate": "350"},
    ],
}


def test_the_seed_example():
    # R-AGR-4: notice 2026-07-01 + 6 months → 2027-01-01; 1,850,000.00 × 20% = 370,000.00.
    terms = rules.early_exit(dt.date(2026, 7, 1), Decimal("1850000.00"))
    assert terms.earliest_end == dt.date(2027, 1, 1)
    assert terms.penalty == Decimal("370000.00")
    text = explanation_text(terms.explanation)
    assert "2027-01-01" in text and "1,850,000.00 × penalty rate 20% = 370,000.00" in text


def test_a_month_end_notice_ends_on_the_last_day_of_a_shorter_month():
    assert rules.add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert rules.add_months(dt.date(2027, 8, 31), 6) == dt.date(2028, 2, 29)


def test_the_penalty_is_rounded_half_up_to_the_fen():
    # 0.125 × 20% = 0.025 → 0.03 (half-up), where half-to-even would give 0.02.
    assert rules.early_exit(dt.date(2026, 1, 1), Decimal("0.125")).penalty == Decimal("0.03")


@pytest.mark.parametrize(
    ("start", "on", "anniversary"),
    [
        (dt.date(2025, 3, 1), dt.date(2026, 5, 31), dt.date(2026, 3, 1)),
        (dt.date(2025, 3, 1), dt.date(2026, 2, 28), dt.date(2025, 3, 1)),
        (dt.date(2025, 3, 1), dt.date(2026, 3, 1), dt.date(2026, 3, 1)),
        (dt.date(2025, 3, 1), dt.date(2025, 1, 1), dt.date(2025, 3, 1)),  # before the start
        (dt.date(2024, 2, 29), dt.date(2025, 3, 1), dt.date(2025, 2, 28)),
    ],
)
def test_the_last_anniversary(start, on, anniversary):
    assert rules.last_anniversary(start, on) == anniversary


@given(
    st.dates(dt.date(2000, 1, 1), dt.date(2090, 12, 31)),
    st.integers(0, 36),
    st.decimals(0, 10**9, places=2),
)
def test_the_end_is_never_before_the_notice_and_the_penalty_is_a_fifth(notice, months, ytd):
    terms = rules.early_exit(notice, ytd, notice_months=months)
    assert terms.earliest_end >= notice
    assert (
        terms.earliest_end.year - notice.year
    ) * 12 + terms.earliest_end.month - notice.month == months
    assert abs(terms.penalty - ytd / 5) <= Decimal("0.005")


@given(st.dates(dt.date(2000, 1, 1), dt.date(2080, 12, 31)), st.integers(0, 3650))
def test_the_agreement_year_begins_within_a_year_before(start, days):
    on = start + dt.timedelta(days=days)
    year_start = rules.last_anniversary(start, on)
    assert start <= year_start <= on
    assert on < rules.add_months(year_start, 12)


def test_the_seed_scheme_is_sound():
    assert rules.unit_scheme_errors(SEED_002) == {}


@pytest.mark.parametrize(
    ("brackets", "field"),
    [
        ([{"up_to": 5000, "rate": "250"}, {"up_to": 4000, "rate": "280"},
          {"up_to": None, "rate": "3"}],
         "scheme.brackets[1]"),  # overlap: 4000 is not above 5000
        ([{"up_to": 5000, "rate": "250"}, {"from": 5101, "up_to": None, "rate": "280"}],
         "scheme.brackets[1]"),  # a gap of 5001–5100
        ([{"up_to": 5000, "rate": "250"}, {"from": 4001, "up_to": None, "rate": "280"}],
         "scheme.brackets[1]"),  # overlap stated with `from`
        ([{"up_to": None, "rate": "250"}, {"up_to": None, "rate": "280"}], "scheme.brackets[0]"),
        ([{"up_to": 5000, "rate": "250"}], "scheme.brackets[0]"),  # the last must be open
        ([{"up_to": None, "rate": "-1"}], "scheme.brackets[0]"),
        ([], "scheme.brackets"),
    ],
)  # fmt: skip
def test_brackets_that_overlap_or_leave_a_gap_are_refused_on_their_field(brackets, field):
    errors = rules.unit_scheme_errors({**SEED_002, "brackets": brackets})
    assert list(errors) == [field]
    assert " / " in errors[field]  # Chinese, then English


def test_every_bad_scheme_field_is_named():
    errors = rules.unit_scheme_errors(
        {"kind": "x", "direction": "both", "year": 26, "base_target": 0,
         "below_target_rate": "abc", "brackets": SEED_002["brackets"]}
    )  # fmt: skip
    assert set(errors) == {
        "scheme.kind",
        "scheme.direction",
        "scheme.year",
        "scheme.base_target",
        "scheme.below_target_rate",
    }
