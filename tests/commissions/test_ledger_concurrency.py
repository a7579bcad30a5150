"""R-PROJ-4 / R-LED-2 on PostgreSQL: the same payment posted from two connections at once is
recorded once and earns one set of entries (the project row lock serialises them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from huoban import clock
from huoban.commissions import ledger
from huoban.commissions.models import LedgerEntry, Payout
from huoban.projects import services
from huoban.projects.models import CustomerPayment
from tests.concurrency import run_together
from tests.projects.helpers import TODAY, sign


@pytest.mark.django_db(transaction=True)
def test_the_same_payment_posted_twice_at_once_is_recorded_once(actors):
    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections to a PostgreSQL server")
    gamma_recruiter = actors.alpha
    with clock.frozen(TODAY):
        from tests.factories import make_partner

        gamma = make_partner("伽马信息技术有限公司", referrer_code=gamma_recruiter.code)
        project = sign(actors.officer, gamma)

    def post() -> Any:
        return services.record_payment(
            project.pk,
            actor=actors.finance,
            amount=Decimal("100000.00"),
            received_on=dt.date(2026, 1, 15),
            reference="HK-001",
        )

    results = run_together(post, post, at=TODAY)
    assert all(isinstance(r, tuple) for r in results), results
    assert sorted(created for _p, created, _o in results) == [False, True]
    assert CustomerPayment.objects.filter(project=project).count() == 1
    # One confirmation 8% × 300,000 = 24,000.00 for gamma, one override 1% × 100,000 = 1,000.00
    # for its recruiter alpha.
    assert sorted(str(e.amount) for e in LedgerEntry.objects.all()) == ["1000.00", "24000.00"]
    assert all(v.result.ok for v in ledger.verify_ledger())


def _approved_entry(actors: Any, partner: Any, name: str) -> Any:
    with clock.frozen(TODAY):
        project = sign(actors.officer, partner, name=name)
        services.record_payment(
            project.pk,
            actor=actors.finance,
            amount=Decimal("100000.00"),
            received_on=dt.date(2026, 1, 15),
            reference=f"HK-{name}",
        )
        entry = LedgerEntry.objects.get(project=project, partner=partner)
        ledger.approve_entry(entry.pk, actor=actors.finance)
    return entry


@pytest.mark.django_db(transaction=True)
def test_two_identical_payouts_at_once_answer_the_same_payout(actors):
    """Issue #10 finding 12: the second answered 422 ("not approved or paid")."""
    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections to a PostgreSQL server")
    entry = _approved_entry(actors, actors.alpha, "甲方一有限公司")

    def pay_out() -> Any:
        return ledger.create_payout(
            actors.alpha,
            actor=actors.finance,
            bank_reference="BANK-SAME",
            paid_on=TODAY,
            entry_ids=[entry.pk],
        )

    results = run_together(pay_out, pay_out, at=TODAY)
    assert all(isinstance(r, tuple) for r in results), results
    assert sorted(created for _p, created in results) == [False, True]
    assert len({p.pk for p, _c in results}) == 1
    assert all(v.result.ok for v in ledger.verify_ledger())


@pytest.mark.django_db(transaction=True)
def test_one_bank_reference_for_two_partners_at_once_is_a_conflict_not_a_500(actors):
    """Issue #10 finding 12: the second raised a UniqueViolation (500)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections to a PostgreSQL server")
    from huoban.errors import Conflict

    alpha_entry = _approved_entry(actors, actors.alpha, "甲方一有限公司")
    beta_entry = _approved_entry(actors, actors.beta, "乙方二有限公司")

    def pay(partner: Any, entry: Any) -> Any:
        return lambda: ledger.create_payout(
            partner,
            actor=actors.finance,
            bank_reference="BANK-SHARED",
            paid_on=TODAY,
            entry_ids=[entry.pk],
        )

    results = run_together(pay(actors.alpha, alpha_entry), pay(actors.beta, beta_entry), at=TODAY)
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "tuple"], results
    assert sum(isinstance(r, Conflict) for r in results) == 1
    assert Payout.objects.count() == 1
    assert all(v.result.ok for v in ledger.verify_ledger())
