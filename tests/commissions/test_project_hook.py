"""The ledger answers the projects' hook (issue #11, D-FRAME-11): projects sit below the ledger
and book commission through ``hooks.project_events_changed``; with nobody answering, a payment
fails and changes nothing rather than skipping its commission."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from huoban import clock, hooks
from huoban.commissions import ledger
from huoban.commissions.models import LedgerEntry
from huoban.projects.models import CustomerPayment
from tests.projects.helpers import TODAY, pay, sign


@pytest.fixture(autouse=True)
def _today(db):
    with clock.frozen(TODAY):
        yield


def test_a_payment_books_its_confirmation_through_the_hook(actors):
    project = sign(actors.officer, actors.alpha)  # contract A = 300,000
    _payment, created, outcomes = pay(
        actors.finance, project, "100000.00", dt.date(2026, 1, 15), "H1"
    )
    assert created
    assert [(o.kind, o.entry.amount) for o in outcomes if o.entry] == [
        ("confirmation", 24000)  # C = 8% × A = 8% × 300,000 = 24,000 at the first payment (R-LED-4)
    ]
    assert ledger.earned_on_project(project) == 24000


def test_without_the_ledger_a_payment_fails_and_changes_nothing(actors):
    project = sign(actors.officer, actors.alpha)
    hooks.project_events_changed.disconnect(dispatch_uid="ledger.project_events_changed")
    try:
        with pytest.raises(ImproperlyConfigured):
            pay(actors.finance, project, "100000.00", dt.date(2026, 1, 15), "H1")
    finally:
        ledger.connect_hooks()
    assert not CustomerPayment.objects.filter(project=project).exists()
    assert not LedgerEntry.objects.filter(project=project).exists()
