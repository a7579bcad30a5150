"""`credit.review_due` (R-NOTE-1, R-CRED-2/3): the gm is told when a limit above 1,000,000.00
waits; finance once when a review in force ends within 30 days and no newer one was recorded."""

from __future__ import annotations

import datetime as dt

import pytest

from huoban import clock
from huoban.credit.reminders import remind_credit
from huoban.credit.services import record_review
from huoban.notifications.models import Notification
from tests.notifications.helpers import fanned
from tests.projects.helpers import make_customer

pytestmark = pytest.mark.django_db


def _told(user, event="credit.review_due"):
    return Notification.objects.filter(recipient=user, event=event).count()


def test_the_gm_hears_of_a_large_limit(actors):
    record_review(make_customer(actors.alpha).pk, rating="A", risk="low",
                  credit_limit="2000000.00", actor=actors.finance)  # fmt: skip
    fanned()
    assert (_told(actors.gm), _told(actors.finance), _told(actors.alice)) == (1, 0, 0)


def test_finance_hears_once_of_a_review_ending(actors):
    customer = make_customer(actors.alpha)
    with clock.frozen(dt.datetime(2025, 7, 20, 10, tzinfo=dt.UTC)):
        record_review(customer.pk, rating="B", risk="low", actor=actors.finance)
    # valid until 2026-07-19: 19 days after today (2026-06-30)
    line = remind_credit(dt.date(2026, 6, 30))
    assert line.startswith("credit: 1 credit reviews ending within 30 days")
    assert remind_credit(dt.date(2026, 7, 1)).startswith("credit: 0")
    fanned()
    assert (_told(actors.finance), _told(actors.officer)) == (1, 0)
    # 40 days ahead: not yet
    other = make_customer(actors.alpha, "潞安化工集团有限公司")
    with clock.frozen(dt.datetime(2025, 8, 10, 10, tzinfo=dt.UTC)):
        record_review(other.pk, rating="B", risk="low", actor=actors.finance)
    assert remind_credit(dt.date(2026, 6, 30)).startswith("credit: 0")
    # reviewed again since: nobody is told
    third = make_customer(actors.alpha, "阳泉煤业集团有限公司")
    with clock.frozen(dt.datetime(2025, 7, 25, 10, tzinfo=dt.UTC)):
        record_review(third.pk, rating="B", risk="low", actor=actors.finance)
    record_review(third.pk, rating="A", risk="low", actor=actors.finance)
    assert remind_credit(dt.date(2026, 6, 30)).startswith("credit: 0")
