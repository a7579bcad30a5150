"""Billing plans and overdue receivables (SPEC §10.12, R-CRED-1/3): finance sets the plan; a
receivable is overdue from the first instalment the cash does not cover; more than 90 days
forces the customer to medium until paid; bad input changes nothing."""

from __future__ import annotations

import pytest

from huoban.audit.models import AuditEvent
from huoban.credit.models import Instalment
from tests.projects.helpers import ensure_policy_v1, make_customer

pytestmark = pytest.mark.django_db

# today is 2026-06-30 (conftest)


@pytest.fixture
def project(actors, api_client):
    ensure_policy_v1()
    customer = make_customer(actors.alpha)
    status, body = api_client.as_(actors.officer).post(
        "/api/v1/projects",
        {"customer_id": customer.pk, "title": "生产数据平台", "kind": "new",
         "contract_amount": "200000.00", "signed_on": "2026-02-01"},
    )  # fmt: skip
    assert status == 201, body
    return body["id"], customer.pk


def _plan(api_client, user, project_id, *instalments):
    body = {"instalments": [{"amount": a, "due_on": d} for a, d in instalments]}
    return api_client.as_(user).put(f"/api/v1/projects/{project_id}/billing-plan", body)


def test_overdue_from_the_first_uncovered_instalment_forces_medium(actors, api_client, project):
    project_id, customer_id = project
    status, plan = _plan(api_client, actors.finance, project_id,
                         ("100000.00", "2026-03-01"), ("100000.00", "2026-04-01"))  # fmt: skip
    assert status == 200, plan
    # nothing received: overdue since 03-01 → 121 days on 06-30 (more than 90: medium)
    assert [i["overdue_days"] for i in plan["instalments"]] == [121, 90]
    assert plan["overdue_days"] == 121
    credit = api_client.as_(actors.officer).get(f"/api/v1/customers/{customer_id}/credit")[1]
    assert (credit["risk"], credit["overdue_days"], credit["exposure"]) == (
        "medium", 121, "200000.00",
    )  # fmt: skip
    assert "121" in credit["explanation"]
    # medium without a limit: a new project on credit is refused, cash-only is not
    new = {"customer_id": customer_id, "title": "二期", "kind": "increment",
           "contract_amount": "50000.00", "signed_on": "2026-06-29"}  # fmt: skip
    assert api_client.as_(actors.officer).post("/api/v1/projects", new)[0] == 409
    # 150,000.00 received covers the first: the second's due date counts, 90 days: not forced
    api_client.as_(actors.finance).post(
        f"/api/v1/projects/{project_id}/payments",
        {"amount": "150000.00", "received_on": "2026-06-15", "reference": "HX-1"},
    )
    plan = api_client.as_(actors.pm).get(f"/api/v1/projects/{project_id}/billing-plan")[1]
    assert [(i["covered"], i["overdue_days"]) for i in plan["instalments"]] == [
        (True, 0), (False, 90),
    ]  # fmt: skip
    credit = api_client.as_(actors.officer).get(f"/api/v1/customers/{customer_id}/credit")[1]
    assert (credit["risk"], credit["overdue_days"], credit["exposure"]) == ("low", 90, "50000.00")
    assert api_client.as_(actors.officer).post("/api/v1/projects", new)[0] == 201


def test_a_review_records_the_payment_history(actors, api_client, project):
    project_id, customer_id = project
    _plan(api_client, actors.finance, project_id, ("100000.00", "2026-03-01"),
          ("100000.00", "2026-04-01"))  # fmt: skip
    api_client.as_(actors.finance).post(
        f"/api/v1/projects/{project_id}/payments",
        {"amount": "100000.00", "received_on": "2026-03-11", "reference": "HX-1"},
    )
    status, review = api_client.as_(actors.finance).post(
        f"/api/v1/customers/{customer_id}/credit-reviews", {"rating": "B", "risk": "low"}
    )
    assert status == 201
    # the first paid 10 days late, the second open for 90 days: (10 + 90) ÷ 2 = 50.0
    assert review["payment_history"] == {
        "projects": 1, "instalments_due": 2, "instalments_overdue": 1,
        "average_days_late": "50.0", "max_days_overdue": 90,
    }  # fmt: skip


def test_a_new_plan_replaces_the_old_and_bad_plans_change_nothing(actors, api_client, project):
    project_id, _ = project
    assert _plan(api_client, actors.finance, project_id, ("200000.00", "2026-05-01"))[0] == 200
    for who in (actors.officer, actors.alice, actors.bob):  # a token's first use is audited
        api_client.as_(who).get("/api/v1/leads")
    before = (AuditEvent.objects.count(), list(Instalment.objects.values_list("amount", "due_on")))
    for instalments, field in (
        ((("100000.00", "2026-05-01"),), "instalments"),  # does not make up the contract
        ((("-1", "2026-05-01"), ("200001.00", "2026-06-01")), "instalments[0].amount"),
        ((("100000.00", "2026-05-01"), ("100000.00", "2026-04-01")), "instalments[1].due_on"),
        ((("200000.00", "五月"),), "instalments[0].due_on"),
        ((), "instalments"),
    ):
        status, body = _plan(api_client, actors.finance, project_id, *instalments)
        assert status == 422 and field in body["detail"], (instalments, body)
    assert _plan(api_client, actors.officer, project_id, ("200000.00", "2026-05-01"))[0] == 403
    assert _plan(api_client, actors.alice, project_id, ("200000.00", "2026-05-01"))[0] == 403
    assert _plan(api_client, actors.bob, project_id, ("200000.00", "2026-05-01"))[0] == 404
    after = (AuditEvent.objects.count(), list(Instalment.objects.values_list("amount", "due_on")))
    assert after == before
    status, plan = _plan(api_client, actors.finance, project_id, ("50000.00", "2026-07-01"),
                         ("150000.00", "2026-08-01"))  # fmt: skip
    assert status == 200 and [i["position"] for i in plan["instalments"]] == [1, 2]
    assert Instalment.objects.count() == 2
    event = AuditEvent.objects.filter(action="credit.billing_plan").order_by("-id").first()
    assert event.before["instalments"] == [{"amount": "200000.00", "due_on": "2026-05-01"}]
