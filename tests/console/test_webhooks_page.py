"""The webhooks page (admin; R-UI-1, R-HOOK-1; issue #14)."""

from __future__ import annotations

import datetime as dt

from huoban import clock
from huoban.notifications import webhooks
from huoban.notifications.models import Delivery, Webhook
from tests.leads.helpers import submit
from tests.notifications.helpers import fanned
from tests.portal.helpers import client_for

URL = "https://hooks.example.com/huoban"


def test_the_admin_registers_a_webhook_and_sees_its_secret_once(actors):
    client = client_for(actors.admin)
    response = client.post(
        "/console/webhooks/", {"url": URL, "events": ["lead.submitted", "lead.verdict"]}
    )
    assert response.status_code == 200
    hook = Webhook.objects.get()
    html = response.content.decode()
    assert 'id="webhook-secret"' in html and hook.secret in html
    assert hook.events == ["lead.submitted", "lead.verdict"]
    # the list shows it, never the secret again
    html = client.get("/console/webhooks/").content.decode()
    assert URL in html and hook.secret not in html


def test_a_bad_address_is_refused_on_its_field_and_changes_nothing(actors):
    response = client_for(actors.admin).post(
        "/console/webhooks/", {"url": "ftp://hooks.example.com/x", "events": ["lead.submitted"]}
    )
    assert response.status_code == 422
    assert "只接受 http(s) 地址" in response.content.decode()
    assert not Webhook.objects.exists()


def test_other_roles_get_the_page_saying_why(actors):
    response = client_for(actors.officer).get("/console/webhooks/")
    assert response.status_code == 403
    assert "Webhook 和群机器人由管理员登记" in response.content.decode()
    assert (
        "console/webhooks/" not in client_for(actors.officer).get("/console/home/").content.decode()
    )


def test_the_admin_reads_the_deliveries_and_resends_a_failed_one(actors):
    hook, _ = webhooks.register_webhook(URL, ["lead.submitted"], actor=actors.admin)
    with clock.frozen(dt.datetime(2026, 11, 20, 2, tzinfo=dt.UTC)):
        submit(actors.alice, "东义集团")
    fanned()
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(
        status="failed", attempts=6, last_status_code=503
    )
    client = client_for(actors.admin)
    html = client.get("/console/webhooks/").content.decode()
    assert str(delivery.event_id) in html  # among the latest failures
    html = client.get(f"/console/webhooks/{hook.pk}/").content.decode()
    assert "lead.submitted" in html and str(delivery.event_id) in html
    response = client.post(f"/console/webhooks/deliveries/{delivery.pk}/resend/")
    assert (response.status_code, response["Location"]) == (302, f"/console/webhooks/{hook.pk}/")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 6)


def test_the_admin_rotates_the_secret_and_switches_the_webhook_off(actors):
    from huoban.audit.models import AuditEvent

    hook, old = webhooks.register_webhook(URL, ["lead.submitted"], actor=actors.admin)
    client = client_for(actors.admin)
    html = client.post(f"/console/webhooks/{hook.pk}/rotate/").content.decode()
    hook.refresh_from_db()
    assert hook.secret != old and hook.secret in html and 'id="webhook-secret"' in html
    assert hook.secret not in client.get(f"/console/webhooks/{hook.pk}/").content.decode()
    event = AuditEvent.objects.get(action="webhook.rotate")
    assert hook.secret not in str(event.after) and old not in str(event.after)
    client.post(f"/console/webhooks/{hook.pk}/switch/", {"active": "0"})
    hook.refresh_from_db()
    assert hook.active is False
    submit(actors.alice, "东义集团")
    fanned()
    assert not Delivery.objects.exists()  # switched off: nothing new is queued
