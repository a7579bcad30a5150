"""Customer credit over the API (SPEC §10.12, R-CRED-2/3; ARCHITECTURE §6): finance's reviews,
the risk matrix refusing projects with 409 — the SPEC's example in figures —, cash-only
signing, finance's approval to exceed a limit, the gm's approval of a large limit; bad input
and refused signings change nothing."""

from __future__ import annotations

import pytest

from huoban.audit.models import AuditEvent
from huoban.credit.models import CreditExcess, CreditReview
from huoban.projects.models import Project
from tests.projects.helpers import ensure_policy_v1, make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(actors):
    ensure_policy_v1()
    return make_customer(actors.alpha)


def _review(api_client, user, customer_id, **body):
    return api_client.as_(user).post(f"/api/v1/customers/{customer_id}/credit-reviews", body)


def _sign(api_client, user, customer_id, amount, **extra):
    body = {"customer_id": customer_id, "title": "生产数据平台", "kind": "new",
            "contract_amount": amount, "signed_on": "2026-06-01", **extra}  # fmt: skip
    return api_client.as_(user).post("/api/v1/projects", body)


def test_the_spec_example_medium_with_a_limit_of_200000(actors, api_client, customer):
    status, review = _review(api_client, actors.finance, customer.pk, rating="B",
                             risk="medium", credit_limit="200000.00",
                             sources=["国家企业信用信息公示系统"])  # fmt: skip
    assert status == 201
    assert (review["risk"], review["credit_limit"], review["status"]) == (
        "medium", "200000.00", "in_force",
    )  # fmt: skip
    assert (review["valid_from"], review["valid_until"]) == ("2026-06-30", "2027-06-29")
    status, first = _sign(api_client, actors.officer, customer.pk, "150000.00")
    assert status == 201
    # the second of 100,000.00 is refused: exposure 250,000.00 over 200,000.00
    projects, events = Project.objects.count(), AuditEvent.objects.count()
    status, body = _sign(api_client, actors.officer, customer.pk, "100000.00")
    assert status == 409, body
    assert "250,000.00" in body["detail"] and "200,000.00" in body["detail"]
    assert (Project.objects.count(), AuditEvent.objects.count()) == (projects, events)
    credit = api_client.as_(actors.officer).get(f"/api/v1/customers/{customer.pk}/credit")[1]
    assert (credit["risk"], credit["exposure"]) == ("medium", "150000.00")
    # a payment of 100,000.00 on the first: exposure 50,000.00 + 100,000.00 = 150,000.00
    status, _ = api_client.as_(actors.finance).post(
        f"/api/v1/projects/{first['id']}/payments",
        {"amount": "100000.00", "received_on": "2026-06-20", "reference": "HX-001"},
    )
    assert status in (200, 201)
    assert _sign(api_client, actors.officer, customer.pk, "100000.00")[0] == 201
    event = AuditEvent.objects.filter(action="project.create").order_by("-id").first()
    assert "150,000.00" in event.after["credit"]
    credit = api_client.as_(actors.gm).get(f"/api/v1/customers/{customer.pk}/credit")[1]
    assert credit["exposure"] == "150000.00"


def test_high_risk_signs_only_cash_only_and_a_dishonest_debtor_is_high(
    actors, api_client, customer
):
    status, review = _review(api_client, actors.finance, customer.pk, rating="A", risk="low",
                             credit_limit="5000000.00", dishonest_debtor=True)  # fmt: skip
    assert status == 201
    # the finding forces high; the limit over 1,000,000 waits for the gm: nothing in force yet
    assert (review["assessed_risk"], review["risk"], review["status"]) == (
        "low", "high", "pending",
    )  # fmt: skip
    assert _sign(api_client, actors.officer, customer.pk, "90000.00")[0] == 201
    status, decided = api_client.as_(actors.gm).post(
        f"/api/v1/credit-reviews/{review['id']}/decide", {"approve": True, "note": "同意"}
    )
    assert (status, decided["status"]) == (200, "in_force")
    status, body = _sign(api_client, actors.officer, customer.pk, "90000.00")
    assert status == 409 and "cash_only" in body["detail"]
    status, cash = _sign(api_client, actors.officer, customer.pk, "90000.00", cash_only=True)
    assert status == 201
    assert Project.objects.get(pk=cash["id"]).cash_only


def test_finance_approves_one_project_over_the_limit(actors, api_client, customer):
    _review(api_client, actors.finance, customer.pk, rating="C", risk="medium",
            credit_limit="100000.00")  # fmt: skip
    assert _sign(api_client, actors.officer, customer.pk, "80000.00")[0] == 201
    assert _sign(api_client, actors.officer, customer.pk, "50000.00")[0] == 409
    # an officer may not approve it; finance may, for a project of up to 60,000.00
    path = f"/api/v1/customers/{customer.pk}/credit-excesses"
    assert api_client.as_(actors.officer).post(path, {"amount": "60000", "note": "x"})[0] == 403
    status, excess = api_client.as_(actors.finance).post(
        path, {"amount": "60000.00", "note": "老客户，回款记录良好"}
    )
    assert (status, excess["used_by_project"]) == (201, None)
    # a larger project is not covered by it
    assert _sign(api_client, actors.officer, customer.pk, "70000.00")[0] == 409
    status, project = _sign(api_client, actors.officer, customer.pk, "50000.00")
    assert status == 201
    # used once: the next is refused again
    assert _sign(api_client, actors.officer, customer.pk, "50000.00")[0] == 409
    assert CreditExcess.objects.get().project_id == project["id"]


def test_the_gm_decides_large_limits_and_the_earlier_review_holds_meanwhile(
    actors, api_client, customer
):
    first = _review(api_client, actors.finance, customer.pk, rating="B", risk="medium",
                    credit_limit="100000.00")[1]  # fmt: skip
    pending = _review(api_client, actors.finance, customer.pk, rating="A", risk="low",
                      credit_limit="2000000.00")[1]  # fmt: skip
    assert pending["status"] == "pending"
    credit = api_client.as_(actors.officer).get(f"/api/v1/customers/{customer.pk}/credit")[1]
    assert (credit["review"]["id"], credit["risk"]) == (first["id"], "medium")
    path = f"/api/v1/credit-reviews/{pending['id']}/decide"
    assert api_client.as_(actors.finance).post(path, {"approve": True})[0] == 403
    assert api_client.as_(actors.alice).post(path, {"approve": True})[0] == 404
    status, body = api_client.as_(actors.gm).post(path, {"approve": False})
    assert status == 422 and "note" in body["detail"]
    status, declined = api_client.as_(actors.gm).post(path, {"approve": False, "note": "额度过高"})
    assert (status, declined["status"]) == (200, "declined")
    assert api_client.as_(actors.gm).post(path, {"approve": True})[0] == 409
    credit = api_client.as_(actors.officer).get(f"/api/v1/customers/{customer.pk}/credit")[1]
    assert credit["review"]["id"] == first["id"]


def test_who_may_record_and_read(actors, api_client, customer):
    assert _review(api_client, actors.officer, customer.pk, rating="B", risk="low")[0] == 403
    assert _review(api_client, actors.gm, customer.pk, rating="B", risk="low")[0] == 403
    assert _review(api_client, actors.admin, customer.pk, rating="B", risk="low")[0] == 201
    path = f"/api/v1/customers/{customer.pk}/credit-reviews"
    assert api_client.as_(actors.pm).get(path)[0] == 200
    # the owning partner's users see the customer, not the company's judgement of it
    assert api_client.as_(actors.alice).get(path)[0] == 403
    assert _review(api_client, actors.alice, customer.pk, rating="B", risk="low")[0] == 403
    # a partner that cannot see the customer is told it does not exist
    assert api_client.as_(actors.bob).get(path)[0] == 404


def test_bad_input_changes_nothing(actors, api_client, customer):
    api_client.as_(actors.finance).get(f"/api/v1/customers/{customer.pk}/credit-reviews")
    before = (AuditEvent.objects.count(), CreditReview.objects.count())
    for body, field in (
        ({"rating": "E", "risk": "low"}, "rating"),
        ({"rating": "A", "risk": "none"}, "risk"),
        ({"rating": "A", "risk": "low", "credit_limit": "-1"}, "credit_limit"),
        ({"rating": "A", "risk": "low", "credit_limit": "12.345"}, "credit_limit"),
        ({"rating": "A", "risk": "low", "credit_limit": "abc"}, "credit_limit"),
        ({"rating": "A", "risk": "low", "years_in_operation": "ten"}, "years_in_operation"),
        ({"rating": "A", "risk": "low", "registered_capital": "-5"}, "registered_capital"),
    ):
        status, answer = _review(api_client, actors.finance, customer.pk, **body)
        assert status == 422 and field in answer["detail"], (body, answer)
    path = f"/api/v1/customers/{customer.pk}/credit-excesses"
    status, answer = api_client.as_(actors.finance).post(path, {"amount": "0", "note": ""})
    assert status == 422 and {"amount", "note"} <= set(answer["detail"])
    assert (AuditEvent.objects.count(), CreditReview.objects.count()) == before
    assert _review(api_client, actors.finance, 999999, rating="A", risk="low")[0] == 404
