"""Tier endpoints: GET /partners/{code}/tier, strategic applications and decisions."""

from __future__ import annotations

import datetime as dt

import pytest

from huoban import clock
from huoban.audit.models import AuditEvent
from huoban.partners.models import Partner, TierApplication

from .tier_helpers import signed

pytestmark = pytest.mark.django_db

D = dt.date
BODY = {
    "resources": "山西省属国企集团资源，独家覆盖晋中地区",
    "plan": "三年内签约 3 个政企总包项目",
}


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(D(2026, 3, 6)):  # a Friday
        yield


def test_a_new_partner_sees_light_with_500000_to_go(actors, api_client):
    status, body = api_client.as_(actors.alice).get(f"partners/{actors.alpha.code}/tier")
    assert status == 200, body
    assert body["tier"] == "light"
    assert body["retention_state"] == "none"
    assert (body["ytd_signed"], body["next_tier"], body["remaining_to_next"]) == (
        "0.00",
        "deep",
        "500000.00",
    )
    assert body["grace_until"] is None
    assert [h["to_tier"] for h in body["history"]] == ["light"]


def test_the_tier_shows_year_to_date_signed_and_the_remainder(actors, api_client):
    signed(actors, actors.alpha, "120000.50", D(2026, 2, 2), D(2026, 3, 6))
    signed(actors, actors.alpha, "80000.00", D(2025, 12, 30), D(2026, 3, 6))  # last year
    status, body = api_client.as_(actors.officer).get(f"partners/{actors.alpha.code}/tier")
    assert status == 200, body
    assert (body["ytd_signed"], body["remaining_to_next"]) == ("120000.50", "379999.50")


def test_another_partner_gets_404(actors, api_client):
    status, _ = api_client.as_(actors.bob).get(f"partners/{actors.alpha.code}/tier")
    assert status == 404


def test_apply_then_approve(actors, api_client):
    status, app = api_client.as_(actors.alice).post(
        f"partners/{actors.alpha.code}/tier-applications", BODY
    )
    assert status == 201, app
    assert (app["status"], app["due_on"], app["due_estimated"]) == (
        "pending",
        "2026-03-13",
        False,
    )
    path = f"partners/{actors.alpha.code}/tier-applications/{app['id']}/decision"
    status, body = api_client.as_(actors.alice).post(path, {"approve": True, "note": ""})
    assert status == 403
    status, body = api_client.as_(actors.officer).post(path, {"approve": True, "note": "属实"})
    assert status == 200, body
    assert (body["status"], body["tier"]) == ("approved", "strategic")
    status, tier = api_client.as_(actors.alice).get(f"partners/{actors.alpha.code}/tier")
    assert (tier["tier"], tier["next_tier"], tier["remaining_to_next"]) == (
        "strategic",
        None,
        "0.00",
    )
    assert tier["history"][-1]["kind"] == "application"
    status, body = api_client.as_(actors.officer).post(path, {"approve": False, "note": "x"})
    assert status == 409


def test_staff_cannot_apply_and_a_rejection_without_a_note_is_422(actors, api_client):
    status, _ = api_client.as_(actors.officer).post(
        f"partners/{actors.alpha.code}/tier-applications", BODY
    )
    assert status == 403
    _, app = api_client.as_(actors.alice).post(
        f"partners/{actors.alpha.code}/tier-applications", BODY
    )
    client = api_client.as_(actors.officer)
    before = (AuditEvent.objects.count(), Partner.objects.get(pk=actors.alpha.pk).tier)
    status, body = client.post(
        f"partners/{actors.alpha.code}/tier-applications/{app['id']}/decision",
        {"approve": False, "note": ""},
    )
    assert status == 422 and "note" in body["detail"], body
    assert (AuditEvent.objects.count(), Partner.objects.get(pk=actors.alpha.pk).tier) == before
    assert TierApplication.objects.get(pk=app["id"]).status == "pending"


def test_an_application_of_another_partner_is_404_under_this_code(actors, api_client):
    _, app = api_client.as_(actors.alice).post(
        f"partners/{actors.alpha.code}/tier-applications", BODY
    )
    status, _ = api_client.as_(actors.officer).post(
        f"partners/{actors.beta.code}/tier-applications/{app['id']}/decision",
        {"approve": True, "note": ""},
    )
    assert status == 404
