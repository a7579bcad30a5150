"""The outbox (R-NOTE-3, D-NOTE-7): a business action writes one event row; the worker fans it
out into the bell, e-mails, robots and webhooks."""

from __future__ import annotations

import pytest
from django.db import transaction

from huoban.notifications import outbox
from huoban.notifications.models import Delivery, Notification, OutboxEvent
from huoban.notifications.services import Message, notify, staff_with
from tests.leads.helpers import submit


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
    from tests.leads.helpers import INVALID, judge

    lead = submit(actors.alice, "东义集团")
    judge(actors.officer, lead)
    submit(actors.bob, "东义集团")  # a duplicate of alice's customer: bob is told so
    judge(actors.officer, submit(actors.alice, "太原智慧政务服务中心"), INVALID)
    submit(actors.alice, "云岭茶业股份有限公司")
    events = list(OutboxEvent.objects.values_list("message", flat=True))
    assert len(events) >= 4
    for words in map(str, events):
        assert "13812345678" not in words and "李明" not in words
