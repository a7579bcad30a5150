"""Issue #10 findings 13/16: money integrity of payments (R-LED-10).

Project signed 2026-03-10, contract 300,000.00 (today is frozen at 2026-06-30)."""

from __future__ import annotations

import datetime as dt

import pytest

from huoban.commissions.models import LedgerEntry
from huoban.errors import ValidationFailed
from huoban.projects.models import CustomerPayment, Project

from .helpers import pay, sign

D = dt.date


def _counts() -> tuple[int, int]:
    return CustomerPayment.objects.count(), LedgerEntry.objects.count()


@pytest.fixture
def project(actors, policy_v1):
    return sign(actors.pm, actors.alpha, "300000.00", signed_on=D(2026, 3, 10))


def test_a_payment_received_before_the_signing_is_refused(actors, project):
    before = _counts()
    with pytest.raises(ValidationFailed) as e:
        pay(actors.finance, project, "1000.00", D(2026, 3, 9), "BK-0")
    assert set(e.value.errors) == {"received_on"}
    assert "2026-03-10" in e.value.errors["received_on"]
    with pytest.raises(ValidationFailed) as year_one:
        pay(actors.finance, project, "1000.00", D(1, 1, 1), "BK-1")
    assert "received_on" in year_one.value.errors
    assert _counts() == before


def test_net_above_the_contract_needs_a_confirmation_and_flags_the_project(actors, project):
    pay(actors.finance, project, "200000.00", D(2026, 3, 20), "BK-1")
    before = _counts()
    # 200,000.00 + 150,000.00 = 350,000.00 > 300,000.00 → refused without confirmation.
    with pytest.raises(ValidationFailed) as e:
        pay(actors.finance, project, "150000.00", D(2026, 4, 1), "BK-2")
    assert "amount" in e.value.errors and "350000.00" in e.value.errors["amount"]
    assert _counts() == before
    assert Project.objects.get(pk=project.pk).over_contract_at is None
    payment, created, _ = pay(
        actors.finance, project, "150000.00", D(2026, 4, 1), "BK-2", confirm_over_contract=True
    )
    assert created and payment.amount == 150000
    assert CustomerPayment.objects.count() == before[0] + 1
    assert Project.objects.get(pk=project.pk).over_contract_at is not None


def test_exactly_the_contract_amount_needs_no_confirmation(actors, project):
    pay(actors.finance, project, "200000.00", D(2026, 3, 20), "BK-1")
    pay(actors.finance, project, "100000.00", D(2026, 3, 21), "BK-2")  # net 300,000.00
    assert Project.objects.get(pk=project.pk).over_contract_at is None


def test_an_absurd_single_amount_is_refused_even_when_confirmed(actors, project):
    before = _counts()
    with pytest.raises(ValidationFailed) as e:
        pay(
            actors.finance,
            project,
            "999999999999.99",
            D(2026, 3, 20),
            "BK-9",
            confirm_over_contract=True,
        )
    assert "amount" in e.value.errors
    assert _counts() == before
    assert Project.objects.get(pk=project.pk).over_contract_at is None


def test_the_api_takes_the_confirmation_and_shows_the_flag(actors, project, api_client):
    pay(actors.finance, project, "300000.00", D(2026, 3, 20), "BK-1")
    body = {"amount": "1.00", "received_on": "2026-04-01", "reference": "BK-2"}
    status, answer = api_client.as_(actors.finance).post(
        f"/api/v1/projects/{project.pk}/payments", body
    )
    assert status == 422, answer
    status, answer = api_client.as_(actors.finance).post(
        f"/api/v1/projects/{project.pk}/payments", {**body, "confirm_over_contract": True}
    )
    assert status == 201, answer
    status, shown = api_client.as_(actors.finance).get(f"/api/v1/projects/{project.pk}")
    assert status == 200 and shown["over_contract"] is True
