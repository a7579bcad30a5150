"""R-LED-4 / R-CAL: each entry is due 3 business days after the event that earned it, across
the 2026 Spring Festival, and marked estimated in a year the calendar does not know yet."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from huoban import clock
from huoban.commissions.models import LedgerEntry

from .helpers import pay, sign

pytestmark = pytest.mark.django_db


def test_a_payment_before_the_spring_festival_is_due_after_it(actors):
    project = sign(actors.officer, actors.alpha, "300000.00", signed_on=dt.date(2026, 1, 5))
    with clock.frozen(dt.date(2026, 2, 13)):
        pay(actors.finance, project, "100000.00", dt.date(2026, 2, 13), "SF-1")  # Friday
    entry = LedgerEntry.objects.get(project=project)
    # 02-14 (Sat) is a make-up working day (1); 02-15…02-23 Spring Festival; 02-24 (2), 02-25 (3)
    assert (entry.amount, entry.due_on, entry.due_estimated) == (
        Decimal("24000.00"),
        dt.date(2026, 2, 25),
        False,
    )
    assert "2026-02-25" in entry.explanation


def test_a_payment_in_2027_is_due_on_an_estimated_date(actors):
    project = sign(actors.officer, actors.alpha, "300000.00", signed_on=dt.date(2026, 1, 5))
    with clock.frozen(dt.date(2027, 2, 5)):
        pay(actors.finance, project, "100000.00", dt.date(2027, 2, 5), "Y27-1")  # Friday
    entry = LedgerEntry.objects.get(project=project)
    # 2027 is not published: weekends only → Mon 02-08, Tue 02-09, Wed 02-10, marked estimated
    assert (entry.due_on, entry.due_estimated) == (dt.date(2027, 2, 10), True)
    assert "estimated on weekends only" in entry.explanation
