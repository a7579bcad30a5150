"""Typed numbers (D-NUM-1): an amount refuses a JSON float, a measurement (a KPI's target or
actual, a selection threshold) takes it as the shortest text that reads back as it; both
refuse booleans, empty input, words, NaN and infinity."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huoban.money import parse_amount, parse_measure


@pytest.mark.parametrize("value", [None, "", "  ", True, False, "abc", "NaN", "inf", "-Infinity"])
def test_neither_takes_what_is_not_a_number(value):
    assert parse_measure(value) is None and parse_amount(value) is None


def test_a_float_is_a_measurement_but_never_an_amount():
    assert parse_measure(19.2) == Decimal("19.2") and str(parse_measure(19.2)) == "19.2"
    assert parse_measure(0.1) == Decimal("0.1")  # not 0.1000000000000000055511151231257827
    assert parse_amount(19.2) is None
    assert parse_amount("19.20") == parse_measure("19.20") == Decimal("19.20")
    assert parse_measure(" 5 ") == 5 and parse_measure(500) == 500


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_float_reads_back_as_itself(x):
    measured = parse_measure(x)
    assert measured is not None and float(measured) == x
    assert parse_amount(x) is None


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_text_is_read_exactly(d):
    assert parse_measure(str(d)) == d and parse_amount(str(d)) == d


def test_infinite_floats_are_refused():
    assert parse_measure(math.inf) is None and parse_measure(-math.inf) is None
