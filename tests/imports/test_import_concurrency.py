"""An import racing a hand entry of the same payment (R-IMP-2/3, issue #21; PostgreSQL): the
project row lock serialises them, so the payment is recorded once with one set of entries —
whichever comes second finds it, and the import counts it as unchanged or the hand entry
answers the existing payment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from huoban.commissions import ledger
from huoban.commissions.models import LedgerEntry
from huoban.imports.services import run_import
from huoban.projects import services
from huoban.projects.models import CustomerPayment
from tests.concurrency import run_together
from tests.projects.helpers import TODAY, sign


@pytest.mark.django_db(transaction=True)
def test_an_import_and_a_hand_entry_of_the_same_payment_record_it_once(actors):
    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections to a PostgreSQL server")
    project = sign(actors.officer, actors.alpha)
    data = (f"项目编号,金额,到账日,流水号\n{project.pk},100000.00,2026-01-15,HK-001\n").encode()

    def by_hand() -> Any:
        return services.record_payment(
            project.pk,
            actor=actors.finance,
            amount=Decimal("100000.00"),
            received_on=dt.date(2026, 1, 15),
            reference="HK-001",
        )

    def by_import() -> Any:
        return run_import(
            "payments", file_name="回款.csv", data=data, actor=actors.finance, dry_run=False
        )

    hand, imported = run_together(by_hand, by_import, at=TODAY)
    assert isinstance(hand, tuple) and not isinstance(imported, Exception), (hand, imported)
    assert imported.errors == [] and imported.created + imported.unchanged == 1
    assert [hand[1], imported.created] in ([True, 0], [False, 1])  # exactly one created it
    assert CustomerPayment.objects.filter(project=project).count() == 1
    # one confirmation entry, 8% × 300,000 = 24,000.00
    assert [str(e.amount) for e in LedgerEntry.objects.all()] == ["24000.00"]
    assert all(v.result.ok for v in ledger.verify_ledger())
