"""The scorecard rule (SPEC §10.7, R-KPI-2/3; issue #16): seed 002's monthly report → 129.7
`excellent`, weighted 3, 1, 1, 1, 1, 1 → 126.3; the bands at their bounds; properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huoban.performance.rules import CAP, Kpi, band_of, kpi_score, score_card

D = Decimal

SEED_002 = [
    Kpi("签约量", "higher", D(500), D(580)),  # 116.0
    Kpi("转化率", "higher", D(18), D("19.2")),  # 106.7
    Kpi("NPS", "higher", D(70), D(74)),  # 105.7
    Kpi("投诉率", "lower", D(5), D("3.2")),  # 156.25 → 150.0
    Kpi("报价时效", "lower", D(24), D(16)),  # 150.0
    Kpi("故障率", "lower", D(1), D("0.3")),  # 333.3 → 150.0
]


def test_seed_002_monthly_report():
    card = score_card(SEED_002)
    assert [i.shown for i in card.items] == [
        D("116.0"), D("106.7"), D("105.7"), D("150.0"), D("150.0"), D("150.0"),
    ]  # fmt: skip
    # (116 + 106.667 + 105.714 + 150 × 3) ÷ 6 = 129.73 → 129.7
    assert (card.total, card.band) == (D("129.7"), "excellent")
    assert "3.2" in str(card.items[3].step) and "156.3 封顶 150" in str(card.items[3].step)


def test_seed_002_weighted():
    weights = [3, 1, 1, 1, 1, 1]
    kpis = [
        Kpi(k.name, k.direction, k.target, k.actual, D(w))
        for k, w in zip(SEED_002, weights, strict=True)
    ]
    # (348 + 106.67 + 105.71 + 450) ÷ 8 = 126.3
    card = score_card(kpis)
    assert card.total == D("126.3")
    assert "÷ 8 = 126.3" in str(card.explanation[-2])


def test_an_actual_of_zero_on_a_lower_kpi_is_the_cap():
    assert kpi_score(Kpi("投诉率", "lower", D(5), D(0))).score == CAP


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (D("120.0"), "excellent"), (D("119.9"), "good"), (D("100.0"), "good"),
        (D("99.9"), "qualified"), (D("80.0"), "qualified"), (D("79.9"), "unqualified"),
    ],
)  # fmt: skip
def test_the_bands_at_their_bounds(total, band):
    assert band_of(total) == band


def test_the_band_follows_the_displayed_total():
    # 119.96 shows as 120.0 → excellent
    card = score_card([Kpi("a", "higher", D(100), D("119.96"))])
    assert (card.total, card.band) == (D("120.0"), "excellent")


amounts = st.decimals(min_value="0.01", max_value="100000", places=2)
kpis = st.builds(
    Kpi,
    name=st.just("k"),
    direction=st.sampled_from(["higher", "lower"]),
    target=amounts,
    actual=st.decimals(min_value="0", max_value="100000", places=2),
    weight=st.decimals(min_value="0.1", max_value="10", places=1),
)


@given(st.lists(kpis, min_size=1, max_size=8))
def test_the_total_lies_between_the_lowest_and_highest_score(card_kpis):
    card = score_card(card_kpis)
    scores = [i.score for i in card.items]
    assert all(D(0) <= s <= CAP for s in scores)
    assert min(scores).quantize(D("0.1")) - D("0.1") <= card.total
    assert card.total <= max(scores).quantize(D("0.1")) + D("0.1")


@given(kpis, st.decimals(min_value="0.01", max_value="1000", places=2))
def test_doing_better_never_lowers_a_score(kpi, gain):
    better = Kpi(
        kpi.name, kpi.direction, kpi.target,
        kpi.actual + gain if kpi.direction == "higher" else max(D(0), kpi.actual - gain),
        kpi.weight,
    )  # fmt: skip
    assert kpi_score(better).score >= kpi_score(kpi).score
