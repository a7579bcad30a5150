"""The outbox (R-NOTE-3, D-NOTE-7): a business action writes one event row; the worker fans it
out into the bell, e-mails, robots and webhooks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from huoban import clock
from huoban.notifications import outbox, webhooks
from huoban.notifications.models import Delivery, DeliveryAttempt, Notification, OutboxEvent
from huoban.notifications.services import Message, notify, staff_with
from huoban.notifications.transport import Answer
from tests.leads.helpers import INVALID, judge, submit


def test_an_action_writes_one_event_row_and_the_worker_tells_the_people(actors, settings):
    settings.HUOBAN = {**settings.HUOBAN, "EMAIL_ENABLED": True}
    for user in (actors.officer, actors.officer2):
        user.email = f"{user.username}@example.com"
        user.save(update_fields=["email"])
    lead = submit(actors.alice, "东义集团")
    [event] = OutboxEvent.objects.all()
    assert event.event == "lead.submitted" and event.fanned_out_at is None
    # the judges, computed when the lead was registered; nothing told before the worker runs
    assert sorted(event.recipients) == sorted(
        [actors.officer.pk, actors.officer2.pk, actors.presales.pk]
    )
    assert not Notification.objects.exists() and not Delivery.objects.exists()
    assert outbox.fan_out() == 1
    assert Notification.objects.count() == 3 and Delivery.objects.count() == 2
    note = Notification.objects.get(recipient=actors.officer)
    assert note.event_id == event.event_id and note.created_at == event.created_at
    assert note.link == f"/console/leads/{lead.pk}/"
    # a second worker (or a repeat) finds nothing more to do
    assert outbox.fan_out() == 0
    event.refresh_from_db()
    assert event.fanned_out_at is not None


def test_a_repeated_fan_out_tells_nobody_twice(actors):
    submit(actors.alice, "东义集团")
    outbox.fan_out()
    OutboxEvent.objects.update(fanned_out_at=None)  # as if the mark had been lost
    assert outbox.fan_out() == 1
    assert Notification.objects.filter(recipient=actors.officer).count() == 1


def test_an_action_that_rolls_back_tells_nobody(actors):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(Message("lead.submitted", "标题", "Title"), staff_with("officer"))
        raise RuntimeError("the action failed")
    assert outbox.fan_out() == 0
    assert not Notification.objects.exists()


def test_a_person_deactivated_before_the_fan_out_is_not_told(actors):
    submit(actors.alice, "东义集团")
    actors.officer.is_active = False
    actors.officer.save(update_fields=["is_active"])
    outbox.fan_out()
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"oscar", "peter"}


def test_no_message_carries_the_customers_contact(actors):
    """R-VIS: contacts stay masked — no event's words or data hold the contact's phone or name,
    whoever receives it (a robot's chat, a webhook, a partner's user)."""
    lead = submit(actors.alice, "东义集团")
    judge(actors.officer, lead)
    submit(actors.bob, "东义集团")  # a duplicate of alice's customer: bob is told so
    judge(actors.officer, submit(actors.alice, "太原智慧政务服务中心"), INVALID)
    submit(actors.alice, "云岭茶业股份有限公司")
    events = list(OutboxEvent.objects.values_list("message", flat=True))
    assert len(events) >= 4
    for words in map(str, events):
        assert "13812345678" not in words and "李明" not in words


def test_tick_removes_what_the_outbox_no_longer_needs_and_keeps_the_rest(actors, settings):
    settings.HUOBAN = {**settings.HUOBAN, "WEBHOOK_ALLOW_PRIVATE": True}
    webhooks.register_webhook("http://10.0.0.9/h", ["lead.submitted"], actor=actors.admin)
    t0 = dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC)
    with clock.frozen(t0):
        submit(actors.alice, "东义集团")
        outbox.deliver_due(post=lambda url, body, headers: Answer(200, "ok"))
        submit(actors.alice, "云岭茶业股份有限公司")
        outbox.fan_out()  # its delivery stays pending
    assert (OutboxEvent.objects.count(), Delivery.objects.count()) == (2, 2)
    # 30 days on: the events go; the sent delivery stays until 90 days
    assert outbox.purge(t0 + dt.timedelta(days=31)) == (2, 0)
    assert outbox.purge(t0 + dt.timedelta(days=91)) == (0, 1)
    assert list(Delivery.objects.values_list("status", flat=True)) == ["pending"]
    assert not DeliveryAttempt.objects.exists()
    assert Notification.objects.count() == 6  # the inbox is kept
