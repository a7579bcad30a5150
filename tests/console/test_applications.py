"""The strategic-application queue in the console (issue #12, R-TIER-2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from huoban import clock
from huoban.audit.models import AuditEvent
from huoban.partners.models import Partner, TierApplication
from huoban.standing.tier_services import apply_for_strategic

pytestmark = pytest.mark.django_db
URL = "/console/partners/applications/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _apply(actors) -> TierApplication:
    with clock.frozen(dt.date(2026, 3, 6)):  # a Friday: due 5 business days later, 03-13
        return apply_for_strategic(
            actor=actors.alice, resources="省属国企集团资源", plan="三年计划"
        )


def test_the_queue_shows_the_due_date_and_an_officer_approves(actors):
    app = _apply(actors)
    client = _client(actors.officer)
    page = client.get(URL).content.decode()
    assert "省属国企集团资源" in page and "2026-03-13" in page and "审批意见" in page
    with clock.frozen(dt.date(2026, 3, 10)):
        response = client.post(f"{URL}{app.pk}/decide/", {"approve": "yes", "note": "资源属实"})
    assert response.status_code == 302 and response["Location"] == URL
    app.refresh_from_db()
    assert app.status == "approved" and Partner.objects.get(pk=actors.alpha.pk).tier == "strategic"


def test_a_rejection_needs_a_reason_and_a_bad_form_changes_nothing(actors):
    app = _apply(actors)
    client = _client(actors.officer)
    before = AuditEvent.objects.count()
    response = client.post(f"{URL}{app.pk}/decide/", {"approve": "no", "note": " "})
    assert response.status_code == 422 and AuditEvent.objects.count() == before
    app.refresh_from_db()
    assert app.status == "pending"


def test_other_staff_read_the_queue_but_cannot_decide(actors):
    app = _apply(actors)
    client = _client(actors.pm)
    page = client.get(URL).content.decode()
    assert "省属国企集团资源" in page and "审批意见" not in page
    response = client.post(f"{URL}{app.pk}/decide/", {"approve": "yes", "note": "同意"})
    assert response.status_code == 403
    app.refresh_from_db()
    assert app.status == "pending" and Partner.objects.get(pk=actors.alpha.pk).tier == "light"
