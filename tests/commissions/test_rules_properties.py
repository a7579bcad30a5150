"""Properties of the commission rules over generated event histories (R-LED-4, R-LED-5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from huoban.money import cny
from huoban.terms.rules import (
    POLICY_V1,
    PROJECT_KINDS,
    TIERS,
    Acceptance,
    Payment,
    ProjectEvent,
    Refund,
    annual_bonus,
    override_entries,
    project_entries,
    project_rate,
)

FAST = settings(max_examples=200, deadline=None)
START = dt.date(2026, 1, 5)


def fen(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


amounts = st.integers(min_value=1, max_value=2_000_000_000).map(fen)  # 0.01 … 20,000,000.00
# Every v1 rate often, any rate from 0% to 30% (in basis points) too.
rates = st.one_of(
    st.sampled_from(["0.15", "0.17", "0.20", "0.22", "0.24", "0.27", "0.28", "0.30"]).map(Decimal),
    st.integers(min_value=0, max_value=3000).map(lambda bp: Decimal(bp).scaleb(-4)),
)
# A payment of a share of the contract amount, or a refund of a share of what is held, both
# in per mille, so that histories cross C, T and R = A often.
moves = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), st.integers(min_value=1, max_value=1200)),
        st.tuples(st.just("refund"), st.integers(min_value=1, max_value=1000)),
    ),
    max_size=12,
)


def build(amount: Decimal, moves_, accept_at: int | None) -> list[ProjectEvent]:
    """Events from moves, acceptance inserted before move ``accept_at`` (None: never)."""
    contract = int(amount * 100)
    events: list[ProjectEvent] = []
    held = 0
    for i, (kind, share) in enumerate(moves_):
        when = START + dt.timedelta(days=i)
        if accept_at == i:
            events.append(Acceptance("acc", when))
        if kind == "pay":
            cents = max(1, contract * share // 1000)
            held += cents
            events.append(Payment(f"e{i}", when, fen(cents)))
        elif held > 0:
            cents = max(1, held * share // 1000)
            held -= cents
            events.append(Refund(f"e{i}", when, fen(cents)))
    if accept_at is not None and accept_at >= len(moves_):
        events.append(Acceptance("acc", START + dt.timedelta(days=len(moves_))))
    return events


def net_received(events: list[ProjectEvent]) -> Decimal:
    total = Decimal("0")
    for event in events:
        if isinstance(event, Payment):
            total += event.amount
        elif isinstance(event, Refund):
            total -= event.amount
    return total


histories = st.tuples(moves, st.one_of(st.none(), st.integers(min_value=0, max_value=12)))


@FAST
@given(amount=amounts, rate=rates, history=histories)
def test_entries_are_positive_never_exceed_t_and_confirm_once(amount, rate, history):
    events = build(amount, *history)
    entries = project_entries(POLICY_V1, rate=rate, amount=amount, events=events)
    total = cny(rate * amount)
    assert all(e.amount > 0 for e in entries)
    assert sum((e.amount for e in entries), Decimal("0")) <= total
    assert [e.kind for e in entries].count("confirmation") <= 1
    # A confirmation, if any, comes first, and only before the acceptance.
    kinds = [e.kind for e in entries]
    assert "confirmation" not in kinds[1:]
    accepted_keys = [e.key for e in events if isinstance(e, Acceptance)]
    if kinds and kinds[0] == "confirmation" and accepted_keys:
        keys = [e.key for e in events]
        assert keys.index(entries[0].event_key) < keys.index("acc")
    # Running totals are consistent.
    running = Decimal("0")
    for entry in entries:
        running += entry.amount
        assert entry.credited_total == running
        assert entry.earned_total == running


@FAST
@given(amount=amounts, rate=rates, history=histories)
def test_accepted_and_fully_paid_totals_exactly_t(amount, rate, history):
    moves_, accept_at = history
    events = build(amount, moves_, accept_at if accept_at is not None else len(moves_))
    shortfall = amount - net_received(events)
    if shortfall > 0:
        events.append(Payment("top-up", START + dt.timedelta(days=40), shortfall))
    entries = project_entries(POLICY_V1, rate=rate, amount=amount, events=events)
    assert sum((e.amount for e in entries), Decimal("0")) == cny(rate * amount)


@FAST
@given(amount=amounts, rate=rates, history=histories)
def test_replaying_and_recording_one_by_one_give_the_same_entries(amount, rate, history):
    events = build(amount, *history)
    full = project_entries(POLICY_V1, rate=rate, amount=amount, events=events)
    assert project_entries(POLICY_V1, rate=rate, amount=amount, events=list(events)) == full
    # Recording the events one at a time, the ledger keeps the new entries each time:
    # they must add up to the same list (earlier entries never change).
    seen: list = []
    for i in range(1, len(events) + 1):
        prefix = project_entries(POLICY_V1, rate=rate, amount=amount, events=events[:i])
        assert prefix[: len(seen)] == seen
        seen = prefix
    assert seen == full


def splits(total_cents: int):
    """A strategy for a split of ``total_cents`` into positive instalments."""
    return st.lists(
        st.integers(min_value=1, max_value=total_cents - 1), unique=True, max_size=6
    ).map(
        lambda cuts: [
            b - a for a, b in zip([0, *sorted(cuts)], [*sorted(cuts), total_cents], strict=True)
        ]
    )


@st.composite
def two_splits(draw):
    """A contract amount, total payments of a share of it, and two splits of that total."""
    amount = draw(st.integers(min_value=2, max_value=2_000_000_000))
    total = max(2, amount * draw(st.integers(min_value=1, max_value=1500)) // 1000)
    return fen(amount), total, draw(splits(total)), draw(splits(total))


def paid_in(parts: list[int], accept_at: int | None) -> list[ProjectEvent]:
    """Payments of ``parts`` cents, acceptance before payment ``accept_at`` (None: never)."""
    events: list[ProjectEvent] = []
    for i, cents in enumerate(parts):
        when = START + dt.timedelta(days=i)
        if accept_at == i:
            events.append(Acceptance("acc", when))
        events.append(Payment(f"e{i}", when, fen(cents)))
    if accept_at is not None and accept_at >= len(parts):
        events.append(Acceptance("acc", START + dt.timedelta(days=len(parts))))
    return events


@FAST
@given(
    rate=rates,
    split=two_splits(),
    accepted=st.booleans(),
    where=st.tuples(st.integers(0, 7), st.integers(0, 7)),
)
def test_any_split_of_the_same_payments_earns_the_same_total(rate, split, accepted, where):
    amount, total_cents, first, second = split
    finals = []
    for parts, at in ((first, where[0]), (second, where[1])):
        events = paid_in(parts, at if accepted else None)
        entries = project_entries(POLICY_V1, rate=rate, amount=amount, events=events)
        finals.append(sum((e.amount for e in entries), Decimal("0")))
    assert finals[0] == finals[1]
    # And both equal R-LED-4 applied once to the whole: min(T, max(C, r × R)) or C.
    t = cny(rate * amount)
    c = cny(POLICY_V1.confirmation_rate * amount)
    expected = min(t, max(c, cny(rate * fen(total_cents)))) if accepted else min(t, c)
    assert finals[0] == expected


@FAST
@given(amount=amounts, history=histories)
def test_the_override_never_exceeds_one_percent_of_the_contract(amount, history):
    events = build(amount, *history)
    entries = override_entries(POLICY_V1, amount=amount, events=events)
    assert all(e.amount > 0 and e.kind == "override" for e in entries)
    assert sum((e.amount for e in entries), Decimal("0")) <= cny(Decimal("0.01") * amount)
    assert all(isinstance(e.event_key, str) and e.event_key.startswith("e") for e in entries)


@FAST
@given(
    amount=amounts,
    kind=st.sampled_from(sorted(PROJECT_KINDS)),
    high_margin=st.booleans(),
    tier=st.sampled_from(sorted(TIERS)),
)
def test_the_project_rate_stays_within_the_ladder_and_the_cap(amount, kind, high_margin, tier):
    rate = project_rate(POLICY_V1, amount, kind, high_margin, tier).rate
    assert Decimal("0.15") <= rate <= POLICY_V1.cap


@FAST
@given(a=amounts, b=amounts)
def test_the_annual_bonus_grows_with_performance(a, b):
    low, high = sorted((a, b))
    assert annual_bonus(POLICY_V1, low).amount <= annual_bonus(POLICY_V1, high).amount
