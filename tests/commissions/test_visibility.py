"""Ledger entries and payouts have ``visible_to`` like every other model (issue #11): finance and
admin see all, a partner user its own partner's, other staff nothing (R-VIS-2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from huoban import clock
from huoban.commissions import ledger
from huoban.commissions.models import LedgerEntry, Payout
from tests.projects.helpers import TODAY, full_example, pay, sign


@pytest.fixture(autouse=True)
def _today(db):
    with clock.frozen(TODAY):
        yield


def _world(actors):
    full_example(actors)  # alpha: 24,000 + 31,000 + 11,000
    beta = sign(actors.officer, actors.beta, name="云岭茶业股份有限公司")
    pay(actors.finance, beta, "100000.00", dt.date(2026, 2, 2), "B-1")  # beta: 24,000
    entry = LedgerEntry.objects.filter(partner=actors.alpha).order_by("pk").first()
    ledger.approve_entry(entry.pk, actor=actors.finance)
    ledger.create_payout(
        actors.alpha,
        actor=actors.finance,
        bank_reference="BANK-1",
        paid_on=dt.date(2026, 5, 20),
        entry_ids=[entry.pk],
    )


def test_each_role_sees_the_commission_figures_it_may(actors):
    _world(actors)
    alpha_entries = LedgerEntry.objects.filter(partner=actors.alpha).count()
    beta_entries = LedgerEntry.objects.filter(partner=actors.beta).count()
    assert (alpha_entries, beta_entries) == (3, 1)
    seen = {
        who: (
            LedgerEntry.objects.visible_to(getattr(actors, who)).count(),
            Payout.objects.visible_to(getattr(actors, who)).count(),
        )
        for who in ("alice", "bob", "officer", "presales", "pm", "finance", "admin")
    }
    assert seen == {
        "alice": (3, 1),  # alpha's own three entries and its payout
        "bob": (1, 0),
        "officer": (0, 0),
        "presales": (0, 0),
        "pm": (0, 0),
        "finance": (4, 1),
        "admin": (4, 1),
    }
    assert LedgerEntry.objects.visible_to(AnonymousUser()).count() == 0
    actors.finance.is_active = False
    assert LedgerEntry.objects.visible_to(actors.finance).count() == 0
