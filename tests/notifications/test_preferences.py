"""Each person chooses per event which of their channels they want (R-NOTE-2; issue #14)."""

from __future__ import annotations

import pytest

from huoban.audit.models import AuditEvent
from huoban.errors import ValidationFailed
from huoban.notifications import preferences
from huoban.notifications.models import Delivery, Notification, OptOut
from tests.leads.helpers import judge, submit
from tests.notifications.helpers import fanned
from tests.portal.helpers import client_for


@pytest.fixture
def mail_on(settings):
    settings.HUOBAN = {**settings.HUOBAN, "EMAIL_ENABLED": True}


def addresses(*users) -> None:
    for user in users:
        user.email = f"{user.username}@example.com"
        user.save(update_fields=["email"])


def test_everything_is_wanted_until_a_person_chooses(actors, mail_on):
    addresses(actors.officer, actors.officer2)
    submit(actors.alice, "东义集团")
    fanned()
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    mailed = set(Delivery.objects.values_list("recipient__username", flat=True))
    assert {"olivia", "oscar"} <= told and mailed == {"olivia", "oscar"}


def test_a_person_who_turns_email_off_is_told_in_the_app_only(actors, mail_on):
    addresses(actors.officer, actors.officer2)
    preferences.set_choices({"lead.submitted": ["in_app"]}, actor=actors.officer)
    submit(actors.alice, "东义集团")
    fanned()
    assert Notification.objects.filter(recipient=actors.officer).count() == 1
    assert set(Delivery.objects.values_list("recipient__username", flat=True)) == {"oscar"}
    # other events keep their choice: an appeal is still mailed to olivia
    assert preferences.choices_of(actors.officer)["lead.appealed"] == {"in_app", "email"}


def test_a_person_who_turns_everything_off_hears_nothing_of_that_event(actors, mail_on):
    addresses(actors.alice)
    preferences.set_choices({"lead.verdict": []}, actor=actors.alice)
    judge(actors.officer, submit(actors.alice, "东义集团"))
    fanned()
    assert not Notification.objects.filter(recipient=actors.alice, event="lead.verdict").exists()
    assert not Delivery.objects.filter(recipient=actors.alice).exists()


def test_a_partner_chooses_only_among_the_events_that_reach_partners(actors):
    events = {kind.event for kind in preferences.events_for(actors.alice)}
    assert "lead.verdict" in events and "lead.submitted" not in events
    staff_events = {kind.event for kind in preferences.events_for(actors.officer)}
    assert "lead.submitted" in staff_events and "lead.verdict" not in staff_events
    with pytest.raises(ValidationFailed) as bad:
        preferences.set_choices(
            {"lead.submitted": ["in_app"], "lead.verdict": ["fax"]}, actor=actors.alice
        )
    assert set(bad.value.errors) == {"events", "channels"}
    assert not OptOut.objects.exists()
    assert not AuditEvent.objects.filter(action="notification.preferences").exists()


def test_the_settings_page_saves_the_ticked_channels_and_audits_the_change(actors):
    client = client_for(actors.alice)
    page = client.get("/notifications/settings/").content.decode()
    assert 'name="lead.verdict:email"' in page and "lead.submitted" not in page
    ticked = {
        f"{kind.event}:{channel}": "on"
        for kind in preferences.events_for(actors.alice)
        for channel in ("in_app", "email")
        if (kind.event, channel) != ("payment.recorded", "email")
    }
    response = client.post("/notifications/settings/", ticked)
    assert response.status_code == 302
    assert list(OptOut.objects.values_list("user__username", "event", "channel")) == [
        ("alice", "payment.recorded", "email")
    ]
    event = AuditEvent.objects.get(action="notification.preferences")
    assert event.after == {"payment.recorded": ["in_app"]}
    page = client.get("/notifications/settings/").content.decode()
    # unticked now, the others ticked
    assert 'id="payment.recorded:email" aria-label="客户回款 · 邮件">' in page
    assert 'id="payment.recorded:in_app" aria-label="客户回款 · 站内" checked>' in page


def test_the_api_reads_and_writes_ones_own_choices(actors, api_client):
    status, body = api_client.as_(actors.officer).request(
        "PUT",
        "/api/v1/notifications/preferences",
        {"items": [{"event": "lead.submitted", "in_app": True, "email": False}]},
    )
    assert status == 200
    row = next(i for i in body["items"] if i["event"] == "lead.submitted")
    assert row == {
        "event": "lead.submitted",
        "label": "新线索待评估",
        "in_app": True,
        "email": False,
    }
    status, body = api_client.as_(actors.officer2).get("/api/v1/notifications/preferences")
    row = next(i for i in body["items"] if i["event"] == "lead.submitted")
    assert row["email"] is True  # oscar's own choices, untouched
    status, body = api_client.as_(actors.alice).request(
        "PUT",
        "/api/v1/notifications/preferences",
        {"items": [{"event": "lead.submitted", "in_app": False, "email": False}]},
    )
    assert status == 422 and not OptOut.objects.filter(user=actors.alice).exists()
