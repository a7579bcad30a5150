"""A new partner needs the general manager's approval (R-AGR-2; issue #15): registered, it waits
on the gm's home page and the partner list; the gm approves it on its page or through the API,
or by approving its first agreement. Partners registered before the rule count as approved."""

from __future__ import annotations

import datetime as dt

import pytest

from huoban.agreements.services import approve_agreement, draft_agreement, review_agreement
from huoban.audit.models import AuditEvent
from huoban.partners.models import Partner
from tests.portal.helpers import client_for

pytestmark = pytest.mark.django_db


def test_the_gm_approves_a_new_partner(actors, api_client):
    assert actors.beta.approved_at is None
    gm = client_for(actors.gm)
    home = gm.get("/console/home/").content.decode()
    assert "待批准的新伙伴" in home and "?approval=pending" in home
    listed = gm.get("/console/partners/?approval=pending").content.decode()
    assert actors.beta.name in listed
    page = f"/console/partners/{actors.beta.code}/"
    assert "批准新伙伴" in gm.get(page).content.decode()
    assert "批准新伙伴" not in client_for(actors.officer).get(page).content.decode()
    assert client_for(actors.officer).post(f"{page}approve/").status_code == 403
    assert gm.post(f"{page}approve/").status_code == 302
    beta = Partner.objects.get(pk=actors.beta.pk)
    assert beta.approved_by == actors.gm and beta.approved_at is not None
    assert AuditEvent.objects.filter(action="partner.approve").count() == 1
    assert actors.beta.name not in gm.get("/console/partners/?approval=pending").content.decode()
    # twice: refused, nothing changes
    status, _answer = api_client.as_(actors.gm).post(
        f"/api/v1/partners/{actors.beta.code}/approve", {}
    )
    assert status == 409 and AuditEvent.objects.filter(action="partner.approve").count() == 1


def test_the_api_shows_and_takes_the_approval(actors, api_client):
    url = f"/api/v1/partners/{actors.beta.code}"
    assert api_client.as_(actors.officer).get(url)[1]["approved_at"] is None
    assert api_client.as_(actors.officer).post(f"{url}/approve", {})[0] == 403
    status, answer = api_client.as_(actors.gm).post(f"{url}/approve", {})
    assert status == 200 and answer["approved_at"] is not None


def test_approving_its_first_agreement_approves_the_partner(actors):
    agreement = draft_agreement(
        actors.beta.code,
        kind="referral",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        actor=actors.officer,
    )
    review_agreement(agreement.pk, note="", actor=actors.legal)
    approve_agreement(agreement.pk, actor=actors.gm)
    assert Partner.objects.get(pk=actors.beta.pk).approved_by == actors.gm
    event = AuditEvent.objects.get(action="agreement.approve")
    assert event.after["partner_approved"] is True
