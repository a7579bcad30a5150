"""R-LED-6 / R-LED-2 on PostgreSQL: two annual settlements of the same year at once write each
bonus once (the partner's chain lock and the (partner, event_key) constraint)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from huoban import clock
from huoban.commissions import ledger
from huoban.commissions.models import LedgerEntry
from huoban.commissions.settlement import settle_year
from tests.concurrency import run_together
from tests.projects.helpers import ensure_policy_v1, sign

from .test_settlement import SETTLING_DAY, SIGNING_DAY, D


@pytest.mark.django_db(transaction=True)
def test_two_settlements_at_once_write_each_bonus_once(actors):
    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections to a PostgreSQL server")
    ensure_policy_v1()
    with clock.frozen(SIGNING_DAY):
        sign(
            actors.officer, actors.alpha, "3000000.00", name="阿尔法客户一", signed_on=D(2026, 2, 1)
        )
        sign(actors.officer, actors.beta, "1000000.00", name="贝塔客户一", signed_on=D(2026, 3, 1))

    def settle() -> Any:
        return settle_year(2026, actor=actors.finance)

    results = run_together(settle, settle, at=SETTLING_DAY)
    assert all(isinstance(r, list) for r in results), results
    created = [r.created for run in results for r in run if r.entry is not None]
    assert sorted(created) == [False, False, True, True]
    # alpha 4% × 3,000,000.00 = 120,000.00; beta 3% × 1,000,000.00 = 30,000.00.
    assert sorted(e.amount for e in LedgerEntry.objects.filter(kind="annual_bonus")) == [
        Decimal("30000.00"),
        Decimal("120000.00"),
    ]
    assert all(v.result.ok for v in ledger.verify_ledger())
