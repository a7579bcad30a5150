"""The customers HTTP API: authorisation (R-VIS-1/3/4), answers, and 422 with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest

from huoban import clock
from huoban.audit.models import AuditEvent
from huoban.customers.consent import grant_consent
from huoban.customers.models import ContactConsent
from huoban.customers.registry import add_contact

from .helpers import MOUTAI, make_customer, owned_customer, owner_codes, row_counts

BASE = "/api/v1/customers"
FUTURE = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).isoformat()


@pytest.fixture
def moutai(actors):
    customer = owned_customer(actors.alpha)
    add_contact(customer, name="张三", phone="13812345678", email="zhang@example.com")
    return customer


# --- lookup ---------------------------------------------------------------------------------


def test_it_refuses_lookup_to_a_partner(actors, api_client):
    status, _ = api_client.as_(actors.alice).get(f"{BASE}/lookup?name=贵州茅台")
    assert status == 403


def test_it_looks_up_an_owned_customer_for_staff(actors, api_client, moutai):
    status, body = api_client.as_(actors.presales).get(f"{BASE}/lookup?name={MOUTAI}")
    assert status == 200
    assert body["match"] == "exact"
    assert (body["customer_id"], body["owner_code"]) == (moutai.pk, actors.alpha.code)


def test_it_answers_possible_for_a_short_name(actors, api_client, moutai):
    # 茅台集团: the brand of 贵州茅台酒, with an industry word it does not have
    status, body = api_client.as_(actors.officer).get(f"{BASE}/lookup?name=茅台集团")
    assert (status, body["match"]) == (200, "possible")


def test_it_refuses_a_lookup_with_a_bad_uscc(actors, api_client):
    status, body = api_client.as_(actors.officer).get(
        f"{BASE}/lookup?name=x&uscc=91110000710926094Q"
    )
    assert status == 422
    assert "uscc" in body["detail"]


def test_it_needs_authentication(api_client, db):
    status, _ = api_client.as_(None).get(f"{BASE}/lookup?name=x")
    assert status == 401


# --- read -----------------------------------------------------------------------------------


def test_it_hides_another_partners_customer(actors, api_client, moutai):
    # bob (beta) asks for alpha's customer: 404, never 403 (R-VIS-4)
    status, _ = api_client.as_(actors.bob).get(f"{BASE}/{moutai.pk}")
    assert status == 404
    status, _ = api_client.as_(actors.bob).get(f"{BASE}/{moutai.pk}/contacts")
    assert status == 404


def test_it_shows_the_owner_its_customer_in_full(actors, api_client, moutai):
    status, body = api_client.as_(actors.alice).get(f"{BASE}/{moutai.pk}")
    assert status == 200
    assert body["owner_code"] == actors.alpha.code
    assert body["contacts"][0]["phone"] == "13812345678"


def test_it_masks_for_staff_and_reveals_with_consent_audited(actors, api_client, moutai):
    # masked for the officer
    status, body = api_client.as_(actors.officer).get(f"{BASE}/{moutai.pk}/contacts?reveal=true")
    assert (status, body["count"], body["items"][0]["phone"]) == (200, 1, "138****5678")
    # alice consents for the officer through the API
    status, consent = api_client.as_(actors.alice).post(
        f"{BASE}/{moutai.pk}/consents",
        {"grantee_username": actors.officer.username, "expires_at": FUTURE},
    )
    assert status == 201
    # now the officer reveals: in clear, and audited
    status, body = api_client.as_(actors.officer).get(f"{BASE}/{moutai.pk}/contacts?reveal=true")
    assert body["items"][0]["phone"] == "13812345678"
    assert AuditEvent.objects.filter(action="contact.reveal", actor_id=actors.officer.pk).exists()
    # the plain customer page stays masked
    status, body = api_client.as_(actors.officer).get(f"{BASE}/{moutai.pk}")
    assert body["contacts"][0]["phone"] == "138****5678"
    # revoked by alice: masked again
    status, _ = api_client.as_(actors.alice).post(f"{BASE}/consents/{consent['id']}/revoke")
    assert status == 200
    status, body = api_client.as_(actors.officer).get(f"{BASE}/{moutai.pk}/contacts?reveal=true")
    assert body["items"][0]["phone"] == "138****5678"


# --- role checks on visible objects (403) and invisible ones (404) -------------------------------


def test_it_refuses_links_and_aliases_to_a_partner_who_sees_the_customer(
    actors, api_client, moutai
):
    other = make_customer("贵州茅台酱香酒营销有限公司")
    status, _ = api_client.as_(actors.alice).post(
        f"{BASE}/{moutai.pk}/links", {"related_id": other.pk, "kind": "subsidiary"}
    )
    assert status == 403
    status, _ = api_client.as_(actors.alice).post(
        f"{BASE}/{moutai.pk}/aliases", {"name": "茅台", "kind": "alias"}
    )
    assert status == 403
    status, _ = api_client.as_(actors.bob).post(
        f"{BASE}/{moutai.pk}/aliases", {"name": "茅台", "kind": "alias"}
    )
    assert status == 404


def test_it_links_and_inherits_through_the_api(actors, api_client, moutai):
    other = make_customer("贵州茅台酱香酒营销有限公司")
    status, _ = api_client.as_(actors.officer).post(
        f"{BASE}/{moutai.pk}/links", {"related_id": other.pk, "kind": "subsidiary"}
    )
    assert status == 201
    assert owner_codes()[other.pk] == actors.alpha.code


def test_it_adds_an_alias(actors, api_client, moutai):
    status, body = api_client.as_(actors.officer).post(
        f"{BASE}/{moutai.pk}/aliases", {"name": "茅台", "kind": "alias"}
    )
    assert (status, body["normalized"]) == (201, "茅台")


def test_it_transfers_by_admin_only(actors, api_client, moutai):
    payload = {"to_partner_code": actors.beta.code, "reason": "伙伴合并"}
    status, _ = api_client.as_(actors.officer).post(f"{BASE}/{moutai.pk}/transfer", payload)
    assert status == 403
    status, body = api_client.as_(actors.admin).post(f"{BASE}/{moutai.pk}/transfer", payload)
    assert (status, body["owner_code"], body["source"]) == (200, actors.beta.code, "transfer")


def test_it_refuses_consent_to_another_partner_and_to_presales(actors, api_client, moutai):
    payload = {"grantee_role": "pm", "expires_at": FUTURE}
    status, _ = api_client.as_(actors.bob).post(f"{BASE}/{moutai.pk}/consents", payload)
    assert status == 404
    status, _ = api_client.as_(actors.presales).post(f"{BASE}/{moutai.pk}/consents", payload)
    assert status == 403


def test_it_hides_another_partners_consent(actors, api_client, moutai):
    with clock.frozen(dt.datetime.now(dt.UTC)):
        consent = grant_consent(
            moutai,
            partner=actors.alpha,
            grantee_role="pm",
            expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1),
            actor=actors.alice,
        )
    status, _ = api_client.as_(actors.bob).post(f"{BASE}/consents/{consent.pk}/revoke")
    assert status == 404
    status, _ = api_client.as_(actors.presales).post(f"{BASE}/consents/{consent.pk}/revoke")
    assert status == 403
    assert ContactConsent.objects.get().revoked_at is None


def test_it_records_inbound_and_reports(actors, api_client, moutai):
    status, body = api_client.as_(actors.officer).post(f"{BASE}/inbound", {"name": MOUTAI})
    assert status == 201
    assert (body["routed_back"], body["owner_code"]) == (True, actors.alpha.code)
    today = clock.today().isoformat()
    status, body = api_client.as_(actors.officer).get(
        f"{BASE}/inbound/report?start={today}&end={today}"
    )
    assert (status, body["total"], body["routed_back"]) == (200, 1, 1)
    status, _ = api_client.as_(actors.alice).post(
        f"{BASE}/inbound", {"name": MOUTAI, "referral_answer": "no"}
    )
    assert status == 403


# --- bad input: 422 with field messages and no row changed ------------------------------------


def _bad_requests(actors, moutai, other):
    yield actors.officer, f"{BASE}/inbound", {"name": "从未登记的客户"}, "referral_answer"
    yield (
        actors.officer,
        f"{BASE}/inbound",
        {"name": "x", "referral_answer": "maybe"},
        ("referral_answer"),
    )
    yield (
        actors.officer,
        f"{BASE}/inbound",
        {
            "name": "x",
            "uscc": "91110000710926095P",
            "referral_answer": "no",
        },
        "uscc",
    )
    yield actors.officer, f"{BASE}/inbound", {"referral_answer": "no"}, "name"
    yield (
        actors.officer,
        f"{BASE}/{moutai.pk}/links",
        {"related_id": other.pk, "kind": "x"},
        ("kind"),
    )
    yield (
        actors.officer,
        f"{BASE}/{moutai.pk}/links",
        {"related_id": 999999, "kind": "parent"},
        ("related_id"),
    )
    yield (
        actors.officer,
        f"{BASE}/{moutai.pk}/links",
        {"related_id": moutai.pk, "kind": "parent"},
        ("related_id"),
    )
    yield actors.officer, f"{BASE}/{moutai.pk}/aliases", {"name": "  ", "kind": "alias"}, "name"
    yield actors.officer, f"{BASE}/{moutai.pk}/aliases", {"name": "茅台", "kind": "legal"}, "kind"
    yield (
        actors.admin,
        f"{BASE}/{moutai.pk}/transfer",
        {
            "to_partner_code": actors.beta.code,
            "reason": " ",
        },
        "reason",
    )
    yield (
        actors.admin,
        f"{BASE}/{moutai.pk}/transfer",
        {
            "to_partner_code": "P99999",
            "reason": "r",
        },
        "to_partner_code",
    )
    yield (
        actors.alice,
        f"{BASE}/{moutai.pk}/consents",
        {
            "grantee_role": "pm",
            "expires_at": "2000-01-01T00:00:00+08:00",
        },
        "expires_at",
    )
    yield (
        actors.alice,
        f"{BASE}/{moutai.pk}/consents",
        {
            "grantee_role": "pm",
            "grantee_username": actors.officer.username,
            "expires_at": FUTURE,
        },
        "grantee",
    )
    yield (
        actors.alice,
        f"{BASE}/{moutai.pk}/consents",
        {
            "grantee_username": "nobody",
            "expires_at": FUTURE,
        },
        "grantee_username",
    )
    yield (
        actors.alice,
        f"{BASE}/{moutai.pk}/consents",
        {
            "grantee_role": "partner",
            "expires_at": FUTURE,
        },
        "grantee_role",
    )
    yield (
        actors.alice,
        f"{BASE}/{moutai.pk}/consents",
        {
            "grantee_role": "pm",
            "expires_at": "next week",
        },
        "expires_at",
    )


def test_it_answers_422_and_changes_nothing_on_bad_input(actors, api_client, moutai):
    other = make_customer("贵州茅台酱香酒营销有限公司")
    for user in (actors.officer, actors.admin, actors.alice):
        api_client.as_(user).get(f"{BASE}/{moutai.pk}")  # issue tokens (audited) beforehand
    for user, path, body, field in _bad_requests(actors, moutai, other):
        before = row_counts()
        status, answer = api_client.as_(user).post(path, body)
        assert status == 422, (path, body, answer)
        assert field in answer["detail"], (path, body, answer)
        assert " / " in answer["detail"][field]  # Chinese / English
        assert row_counts() == before, (path, body)


def test_it_answers_409_on_a_second_revocation_and_changes_nothing(actors, api_client, moutai):
    status, consent = api_client.as_(actors.alice).post(
        f"{BASE}/{moutai.pk}/consents", {"grantee_role": "pm", "expires_at": FUTURE}
    )
    api_client.as_(actors.alice).post(f"{BASE}/consents/{consent['id']}/revoke")
    before = row_counts()
    status, _ = api_client.as_(actors.alice).post(f"{BASE}/consents/{consent['id']}/revoke")
    assert status == 409
    assert row_counts() == before
