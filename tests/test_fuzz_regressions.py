"""Server errors the API fuzz (tests/test_fuzz_api.py) found, each answered as bad input now."""

from __future__ import annotations

import pytest
from django.test import Client

from huoban.core.middleware import NUL_MESSAGE, RANGE_MESSAGE
from tests.leads.helpers import api_lead_body

pytestmark = pytest.mark.django_db

DAY_RANGE = (
    "日期须在 2000-01-01 至 2100-12-31 之间 / Date must be between 2000-01-01 and 2100-12-31."
)


@pytest.mark.parametrize("path", ["leads/sla-report", "customers/inbound/report"])
def test_a_report_from_year_one_is_bad_input(actors, api_client, path):
    """Was 500: local midnight of 0001-01-01 in Beijing is before datetime.min in UTC."""
    status, body = api_client.as_(actors.officer).get(f"{path}?start=0001-01-01&end=0001-03-07")
    assert status == 422
    assert body == {"detail": {"start": DAY_RANGE, "end": DAY_RANGE}}
    status, body = api_client.get(f"{path}?start=2026-01-01&end=9999-12-31")
    assert status == 422 and body == {"detail": {"end": DAY_RANGE}}
    assert api_client.get(f"{path}?start=2026-01-01&end=2026-12-31")[0] == 200


def test_a_nul_character_in_a_query_is_bad_input(actors, api_client):
    """Was 500: PostgreSQL refuses NUL in text, SQLite's FTS5 name index chokes on it."""
    status, body = api_client.as_(actors.officer).get("customers/lookup?name=%E4%B8%9C%00x")
    assert status == 422 and body == {"detail": {"name": NUL_MESSAGE}}


def test_a_nul_character_in_a_json_body_is_bad_input_on_its_field(actors, api_client):
    body = api_lead_body()
    body["customer"]["name"] = "东义\x00集团"
    status, answer = api_client.as_(actors.alice).post("leads", body)
    assert status == 422 and answer == {"detail": {"customer.name": NUL_MESSAGE}}


def test_an_integer_beyond_64_bits_is_bad_input(actors, api_client):
    """Was 500: "Python int too large to convert to SQLite INTEGER" (payout entry ids)."""
    status, body = api_client.as_(actors.finance).post(
        f"partners/{actors.alpha.code}/payouts",
        {"paid_on": "2026-03-01", "bank_reference": "B-1", "entry_ids": [1, 2**70]},
    )
    assert status == 422 and body == {"detail": {"entry_ids.1": RANGE_MESSAGE}}
    # The largest 64-bit id passes the guard and gets the service's own answer.
    status, body = api_client.post(
        f"partners/{actors.alpha.code}/payouts",
        {"paid_on": "2026-03-01", "bank_reference": "B-1", "entry_ids": [2**63 - 1]},
    )
    assert status < 500 and RANGE_MESSAGE not in str(body)


@pytest.mark.parametrize(
    "path",
    [
        "/console/partners/?q=%00",
        "/portal/leads/new/name-check/?customer_name=%E4%B8%9C%00",
    ],
)
def test_pages_refuse_a_nul_character_before_the_database_sees_it(actors, path):
    client = Client()
    client.force_login(actors.officer if path.startswith("/console") else actors.alice)
    response = client.get(path)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


@pytest.mark.parametrize("depth", [40, 1_100, 100_000])
@pytest.mark.parametrize(
    ("path", "status"),
    [("/api/v1/leads", 422), ("/api/v1/auth/token", 422), ("/login/", 400)],
)
def test_json_nested_too_deeply_is_bad_input_without_login(path, status, depth):
    """Issue #10 finding 9: was 500 (a RecursionError escaped the input guard)."""
    client = Client(raise_request_exception=False)
    body = "[" * depth + "]" * depth
    response = client.post(path, body, content_type="application/json")
    assert response.status_code == status
    assert "Nested too deeply" in response.content.decode()


def test_deep_form_data_on_the_login_page_is_not_a_server_error():
    client = Client(raise_request_exception=False)
    key = "a" + "[b]" * 2_000
    response = client.post("/login/", {key: "x", "username": "u", "password": "p"})
    assert response.status_code < 500


def test_json_nested_a_little_is_left_to_the_api(actors, api_client):
    body = api_lead_body()
    body["need"] = [[[["x"]]]]
    status, answer = api_client.as_(actors.alice).post("leads", body)
    assert status == 422 and "Nested" not in str(answer)
