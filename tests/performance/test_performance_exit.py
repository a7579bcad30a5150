"""Performance exit (SPEC §10.8 R-CRIS-5 with R-AGR-4; issue #16): the primary KPI below 50% of
its target in two consecutive quarters opens a `performance_exit` case — a notice that either
side may end the agreement without compensation — once per quarter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huoban import clock
from huoban.agreements.services import approve_agreement, draft_agreement, review_agreement
from huoban.notifications.models import OutboxEvent
from huoban.performance.models import Case, Scorecard
from huoban.performance.rules import EXIT_SCORE, performance_exit, quarter_score
from huoban.performance.services import record_scorecard, revise_scorecard
from tests.portal.helpers import client_for

D = Decimal
DECEMBER = dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)


def kpis(signed):
    return [
        {"name": "签约量", "direction": "higher", "target": 500, "actual": signed,
         "primary": True},
        {"name": "投诉率", "direction": "lower", "target": 5, "actual": 3, "unit": "%",
         "complaint_rate": True},
    ]  # fmt: skip


def test_two_quarters_below_half_by_hand():
    # Q2: 200, 250, 260 of 500 → 40, 50, 52 → 47.33…; Q3: 240, 245, 250 → 48, 49, 50 → 49.
    q2 = quarter_score([D(40), D(50), D(52)])
    q3 = quarter_score([D(48), D(49), D(50)])
    assert (q2.quantize(D("0.01")), q3) == (D("47.33"), D(49))
    found = performance_exit("签约量", [("2026Q2", q2), ("2026Q3", q3)])
    assert found is not None and found.trigger == "performance_exit"
    assert "47.3" in found.reason.zh and "49.0" in found.reason.zh and "无补偿" in found.reason.zh
    # At exactly 50% nothing opens; a quarter with two months scored decides nothing.
    assert performance_exit("签约量", [("2026Q2", q2), ("2026Q3", D(50))]) is None
    assert quarter_score([D(10), D(10)]) is None
    assert performance_exit("签约量", [("2026Q2", q2), ("2026Q3", None)]) is None


scores = st.decimals(min_value="0", max_value="150", places=2)


@given(st.lists(scores, min_size=3, max_size=3), st.lists(scores, min_size=3, max_size=3))
def test_the_notice_opens_exactly_when_both_quarters_are_below_half(before, now):
    a, b = quarter_score(before), quarter_score(now)
    assert a is not None and min(before) <= a <= max(before)
    found = performance_exit("签约量", [("Q1", a), ("Q2", b)])
    assert (found is not None) == (a < EXIT_SCORE and b < EXIT_SCORE)


@given(st.lists(scores, max_size=6).filter(lambda xs: len(xs) != 3))
def test_an_incomplete_quarter_has_no_score(monthly):
    assert quarter_score(monthly) is None


@pytest.mark.django_db
def test_the_last_month_of_the_second_quarter_opens_the_case_once(actors):
    with clock.frozen(DECEMBER):
        for month, signed in zip(range(4, 10), (200, 250, 260, 240, 245, 250), strict=True):
            record_scorecard(actors.alpha.code, period=f"2026-{month:02d}", kpis=kpis(signed),
                             actor=actors.officer)  # fmt: skip
            opened = Case.objects.filter(trigger="performance_exit")
            assert opened.count() == (1 if month == 9 else 0), month
        case = Case.objects.get(trigger="performance_exit")
        assert case.key == f"performance_exit:{actors.alpha.pk}:2026Q3"
        assert "2026Q2 47.3" in case.reason and "2026Q3 49.0" in case.reason
        assert [s["due_on"] for s in case.steps] == ["2026-12-14", "2027-01-06"]
        # The gm is told with the officers (the agreement is theirs to end).
        event = OutboxEvent.objects.filter(event="case.opened", message__data__trigger=(
            "performance_exit")).get()  # fmt: skip
        assert actors.gm.pk in event.recipients
        # A revision of September evaluates again and opens nothing new.
        september = Scorecard.objects.get(partner=actors.alpha, year=2026, month=9)
        revise_scorecard(september.pk, kpis=kpis(240), note="更正", actor=actors.officer)
        assert Case.objects.filter(trigger="performance_exit").count() == 1


@pytest.mark.django_db
def test_a_quarter_at_half_opens_nothing(actors):
    with clock.frozen(DECEMBER):
        for month, signed in zip(range(4, 10), (200, 250, 260, 250, 250, 250), strict=True):
            record_scorecard(actors.alpha.code, period=f"2026-{month:02d}", kpis=kpis(signed),
                             actor=actors.officer)  # fmt: skip
    assert not Case.objects.filter(trigger="performance_exit").exists()


@pytest.mark.django_db
def test_the_agreement_page_says_either_side_may_end_it_without_compensation(actors):
    agreement = draft_agreement(
        actors.alpha.code, kind="co_delivery", starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2027, 12, 31), actor=actors.officer,
    )  # fmt: skip
    review_agreement(agreement.pk, note="无异议", actor=actors.legal)
    approve_agreement(agreement.pk, actor=actors.gm)
    page = f"/console/agreements/{agreement.pk}/"
    with clock.frozen(DECEMBER):
        assert 'id="performance-exit"' not in client_for(actors.finance).get(page).content.decode()
        for month, signed in zip(range(4, 10), (200, 250, 260, 240, 245, 250), strict=True):
            record_scorecard(actors.alpha.code, period=f"2026-{month:02d}", kpis=kpis(signed),
                             actor=actors.officer)  # fmt: skip
        html = client_for(actors.finance).get(page).content.decode()
    assert 'id="performance-exit"' in html and "无需补偿" in html
