"""Issue #10 finding 16, R-LED-10: a month's statement never changes once the month has ended.
An entry belongs to the month it was booked in, whatever its event date (shown on the line); an
adjustment to the month it became effective."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from huoban import clock
from huoban.audit.chain import GENESIS
from huoban.commissions import ledger
from huoban.commissions.models import LedgerEntry
from huoban.commissions.statements import build_statement, render_json
from tests.projects.helpers import ensure_policy_v1, pay, sign

pytestmark = pytest.mark.django_db
D = dt.date


def _figures(s):
    return (s.opening_outstanding, s.earned, s.paid, s.closing_outstanding, s.chain_head)


@pytest.fixture
def signed(actors):
    ensure_policy_v1()
    with clock.frozen(D(2026, 10, 5)):
        return sign(actors.officer, actors.alpha, signed_on=D(2026, 10, 5))


def test_a_back_dated_payment_leaves_the_closed_month_alone(actors, signed):
    # given November's statement as issued on 1 December: nothing earned, closing 0.00
    with clock.frozen(D(2026, 12, 1)):
        issued = _figures(build_statement(actors.alpha, 2026, 11))
    assert issued == (Decimal("0.00"),) * 4 + (GENESIS,)
    # when on 3 December finance records a payment received on 20 November
    with clock.frozen(D(2026, 12, 3)):
        pay(actors.finance, signed, "100000.00", D(2026, 11, 20), "HK-LATE")
        november = build_statement(actors.alpha, 2026, 11)
        december = build_statement(actors.alpha, 2026, 12)
    # then November reads as it was issued, head included
    assert _figures(november) == issued
    # and December carries the confirmation 8% × 300,000.00 = 24,000.00 with its event date
    assert (december.opening_outstanding, december.earned, december.closing_outstanding) == (
        Decimal("0.00"),
        Decimal("24000.00"),
        Decimal("24000.00"),
    )
    [line] = render_json(december)["entries"]
    assert (line["earned_on"], line["booked_on"]) == (D(2026, 11, 20), D(2026, 12, 3))


def test_an_adjustment_counts_in_the_month_it_became_effective(actors, signed):
    with clock.frozen(D(2026, 11, 10)):
        pay(actors.finance, signed, "100000.00", D(2026, 11, 10), "HK-1")
        adjustment = ledger.propose_adjustment(
            actors.alpha, actor=actors.finance, reason="更正", amount=Decimal("-100.00")
        )
    with clock.frozen(D(2026, 12, 1)):
        issued = _figures(build_statement(actors.alpha, 2026, 11))
    assert issued[:4] == (
        Decimal("0.00"),
        Decimal("24000.00"),
        Decimal("0.00"),
        Decimal("24000.00"),
    )
    with clock.frozen(D(2026, 12, 2)):
        ledger.approve_entry(adjustment.pk, actor=actors.finance)
        ledger.approve_entry(adjustment.pk, actor=actors.admin)
        assert _figures(build_statement(actors.alpha, 2026, 11)) == issued
        december = build_statement(actors.alpha, 2026, 12)
    # 24,000.00 − 100.00 = 23,900.00
    assert (december.opening_outstanding, december.earned, december.closing_outstanding) == (
        Decimal("24000.00"),
        Decimal("-100.00"),
        Decimal("23900.00"),
    )
    assert all(v.result.ok for v in ledger.verify_ledger())


def test_a_back_dated_payout_belongs_to_the_month_it_was_recorded(actors, signed):
    with clock.frozen(D(2026, 11, 10)):
        pay(actors.finance, signed, "100000.00", D(2026, 11, 10), "HK-1")
    entry = LedgerEntry.objects.get(project=signed)
    with clock.frozen(D(2026, 12, 1)):
        issued = _figures(build_statement(actors.alpha, 2026, 11))
    with clock.frozen(D(2026, 12, 4)):
        ledger.approve_entry(entry.pk, actor=actors.finance)
        ledger.create_payout(
            actors.alpha,
            actor=actors.finance,
            bank_reference="BANK-LATE",
            paid_on=D(2026, 11, 28),
            entry_ids=[entry.pk],
        )
        assert _figures(build_statement(actors.alpha, 2026, 11)) == issued
        december = build_statement(actors.alpha, 2026, 12)
    assert december.paid == Decimal("24000.00")
    assert [(p.bank_reference, p.paid_on) for p in december.payouts] == [
        ("BANK-LATE", D(2026, 11, 28))
    ]
