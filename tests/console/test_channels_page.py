"""The channels page (admin; R-UI-1, R-NOTE-2/3; issue #14): is the worker keeping up, what did
each channel do, how is e-mail configured; a test message to oneself."""

from __future__ import annotations

import datetime as dt

from huoban import clock
from huoban.audit.models import AuditEvent
from huoban.notifications import outbox
from huoban.notifications.models import Notification
from tests.leads.helpers import submit
from tests.notifications.helpers import fanned
from tests.portal.helpers import client_for

T0 = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)


def test_the_page_warns_when_events_wait_longer_than_a_worker_would_let_them(actors):
    with clock.frozen(T0):
        submit(actors.alice, "东义集团")
    client = client_for(actors.admin)
    with clock.frozen(T0 + dt.timedelta(minutes=1)):
        html = client.get("/console/channels/").content.decode()
    assert 'id="stalled"' not in html  # a minute: the worker's next rounds will take it
    with clock.frozen(T0 + dt.timedelta(minutes=6)):
        html = client.get("/console/channels/").content.decode()
    assert 'id="stalled"' in html and "huoban worker" in html
    fanned()
    with clock.frozen(T0 + dt.timedelta(minutes=7)):
        html = client.get("/console/channels/").content.decode()
    assert 'id="stalled"' not in html


def test_the_admin_sends_a_test_message_to_themselves(actors, settings):
    settings.HUOBAN = {**settings.HUOBAN, "EMAIL_ENABLED": True}
    settings.EMAIL_HOST = "smtp.example.cn"
    actors.admin.email = "adam@example.com"
    actors.admin.save(update_fields=["email"])
    client = client_for(actors.admin)
    html = client.get("/console/channels/").content.decode()
    assert "smtp.example.cn:25" in html
    response = client.post("/console/channels/test/")
    assert response.status_code == 302
    outbox.fan_out()
    note = Notification.objects.get(recipient=actors.admin)
    assert note.title == "测试通知：伙伴系统的通知渠道工作正常"
    assert note.link == "/console/channels/"
    assert AuditEvent.objects.filter(action="notification.test").count() == 1


def test_other_staff_cannot_open_it(actors):
    assert client_for(actors.officer).get("/console/channels/").status_code == 403
    assert client_for(actors.officer).post("/console/channels/test/").status_code == 403
