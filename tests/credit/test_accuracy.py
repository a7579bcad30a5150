"""Rating accuracy (SPEC §10.12, R-CRED-4): of the reviews whose validity has ended, the share
borne out — `low` with no instalment more than 30 days late during its validity, `medium` /
`high` with at least one. Three ended reviews, two borne out: 2 ÷ 3 = 66.7%."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from huoban import clock
from huoban.credit import rules
from huoban.credit.services import rating_accuracy, record_review, set_billing_plan
from huoban.projects import services as projects
from tests.projects.helpers import ensure_policy_v1, make_customer

pytestmark = pytest.mark.django_db


def test_borne_out():
    assert rules.borne_out("low", [0, 30, None]) is True  # 30 days is not more than 30
    assert rules.borne_out("low", [31]) is False
    assert rules.borne_out("medium", [31]) is True
    assert rules.borne_out("high", [0, 12]) is False
    assert rules.accuracy([True, True, False]).ratio == Decimal("0.6667")
    assert rules.accuracy([]).ratio is None


def _customer_with(actors, name, due_on, paid_on):
    customer = make_customer(actors.alpha, name)
    project = projects.create_project(
        actor=actors.officer, customer_id=customer.pk, title="平台", kind="new",
        high_margin=False, contract_amount=Decimal("100000.00"), signed_on=dt.date(2025, 1, 5),
    )  # fmt: skip
    set_billing_plan(project.pk, actor=actors.finance,
                     instalments=[{"amount": "100000.00", "due_on": due_on}])  # fmt: skip
    if paid_on:
        projects.record_payment(
            project.pk, actor=actors.finance, amount=Decimal("100000.00"),
            received_on=dt.date.fromisoformat(paid_on), reference=name,
        )  # fmt: skip
    return customer


def test_two_of_three_ended_reviews_borne_out(actors):
    ensure_policy_v1()
    on_time = _customer_with(actors, "山西焦煤集团有限责任公司", "2025-06-01", "2025-06-15")
    slow = _customer_with(actors, "潞安化工集团有限公司", "2025-03-01", "2025-05-01")
    # paid 130 days late, after the review had ended: late during its validity all the same
    surprise = _customer_with(actors, "阳泉煤业集团有限公司", "2025-09-01", "2026-05-11")
    with clock.frozen(dt.datetime(2025, 1, 10, 10, tzinfo=dt.UTC)):
        record_review(on_time.pk, rating="A", risk="low", actor=actors.finance)  # borne out
        record_review(slow.pk, rating="C", risk="medium", actor=actors.finance)  # borne out
        record_review(surprise.pk, rating="A", risk="low", actor=actors.finance)  # not
    # still valid on 2026-06-30: not counted
    record_review(on_time.pk, rating="A", risk="low", actor=actors.finance)
    # the three ended on 2026-01-09
    accuracy = rating_accuracy(dt.date(2026, 6, 30))
    assert (accuracy.borne_out, accuracy.reviews, accuracy.ratio) == (2, 3, Decimal("0.6667"))
    assert "2 ÷ 3" in str(accuracy.steps[0]) or "2 borne out ÷ 3" in str(accuracy.steps[0])
