"""The lead endpoints: contract shapes, field-level errors that change nothing, R-VIS-4."""

from __future__ import annotations

import pytest

from huoban.audit.models import AuditEvent
from huoban.customers.models import Contact, Customer
from huoban.leads.models import Lead

from .helpers import api_lead_body

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int, int]:
    return (
        Lead.objects.count(),
        Customer.objects.count(),
        Contact.objects.count(),
        AuditEvent.objects.count(),
    )


def test_it_submits_a_lead_and_answers_the_contract(actors, api_client):
    status, body = api_client.as_(actors.alice).post("leads", api_lead_body())
    assert status == 201, body
    assert set(body) >= {"id", "status", "sla_due_at", "customer_id"}
    assert body["status"] == "pending"
    status, lead = api_client.get(f"leads/{body['id']}")
    assert status == 200 and lead["budget_max"] == "500000.00" and lead["quote_min"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"customer": {"name": ""}}, "customer.name"),
        ({"customer": {"name": "某公司", "uscc": "91110000710926094Q"}}, "customer.uscc"),
        ({"contact": {"name": "", "is_decision_maker": False}}, "contact.name"),
        ({"category": "mining"}, "category"),
        ({"item": "vi_design"}, "item"),  # a brand item under the AI category
        ({"need": ""}, "need"),
        ({"budget_min": "abc"}, "budget_min"),
        ({"budget_min": "500", "budget_max": "100"}, "budget_max"),
        ({"expected_start": "2026-13-01"}, "expected_start"),
    ],
)
def test_bad_input_gets_a_field_message_and_changes_nothing(actors, api_client, change, field):
    client = api_client.as_(actors.alice)
    before = counts()
    status, body = client.post("leads", api_lead_body() | change)
    assert status == 422, body
    assert field in body["detail"], body
    assert "/" in body["detail"][field]  # Chinese / English
    assert counts() == before


def test_a_verdict_with_bad_input_changes_nothing(actors, api_client):
    _, created = api_client.as_(actors.alice).post("leads", api_lead_body())
    api_client.as_(actors.officer)
    before = counts()
    status, body = api_client.post(
        f"leads/{created['id']}/verdict", {"verdict": "valid", "quote_min": "-1", "quote_max": "5"}
    )
    assert status == 422 and {"feasibility", "quote_min"} <= set(body["detail"])
    status, body = api_client.post(f"leads/{created['id']}/verdict", {"verdict": "maybe"})
    assert status == 422 and "verdict" in body["detail"]
    assert counts() == before
    assert Lead.objects.get(pk=created["id"]).status == "pending"


def test_the_verdict_roundtrip(actors, api_client):
    _, created = api_client.as_(actors.alice).post("leads", api_lead_body())
    status, body = api_client.as_(actors.presales).post(
        f"leads/{created['id']}/verdict",
        {
            "verdict": "valid",
            "explanation": "",
            "feasibility": "可行",
            "quote_min": "200000",
            "quote_max": "260000.5",
        },
    )
    assert status == 200, body
    assert body["status"] == "valid" and body["quote_min"] == "200000.00"
    assert body["quote_max"] == "260000.50"


def test_a_partner_sees_only_its_own_leads(actors, api_client):
    _, mine = api_client.as_(actors.alice).post("leads", api_lead_body())
    status, _ = api_client.as_(actors.bob).get(f"leads/{mine['id']}")
    assert status == 404
    status, page = api_client.as_(actors.bob).get("leads")
    assert status == 200 and page == {"items": [], "count": 0}
    status, page = api_client.as_(actors.alice).get("leads?status=pending")
    assert page["count"] == 1 and page["items"][0]["id"] == mine["id"]


def test_a_duplicate_answer_names_no_owner(actors, api_client):
    _, first = api_client.as_(actors.alice).post("leads", api_lead_body())
    api_client.as_(actors.officer).post(
        f"leads/{first['id']}/verdict",
        {"verdict": "valid", "feasibility": "可行", "quote_min": "1", "quote_max": "2"},
    )
    status, body = api_client.as_(actors.bob).post("leads", api_lead_body())
    assert status == 201 and body["status"] == "duplicate"
    assert "already registered" in body["message"]
    assert actors.alpha.code not in str(body) and actors.alpha.name not in str(body)


def test_pagination_is_bounded(actors, api_client):
    status, body = api_client.as_(actors.officer).get("leads?page_size=1000")
    assert status == 422 and "page_size" in body["detail"]


def test_the_list_marks_waiting_leads_without_a_query_per_row(actors, api_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_client.as_(actors.alice)
    client.post("leads", api_lead_body("甲公司"))
    api_client.as_(actors.bob).post("leads", api_lead_body("甲公司"))  # waits behind alice's
    for i in range(5):
        api_client.as_(actors.bob).post("leads", api_lead_body(f"乙{i}号公司"))
    officer = api_client.as_(actors.officer)
    with CaptureQueriesContext(connection) as few:
        status, page = officer.get("leads?page_size=2")
    with CaptureQueriesContext(connection) as many:
        status, page = officer.get("leads?page_size=50")
    assert status == 200 and page["count"] == 7
    assert len(many) == len(few)  # the page size does not add queries
    waiting = {
        item["customer_name"]: item["waiting"]
        for item in page["items"]
        if item["partner_code"] == actors.beta.code
    }
    assert waiting["甲公司"] is True and waiting["乙0号公司"] is False
