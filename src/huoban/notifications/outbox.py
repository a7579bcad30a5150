"""The outbox (R-NOTE-3). A business action writes one :class:`OutboxEvent` in its transaction
(:func:`huoban.notifications.services.notify`); after commit ``huoban worker`` fans it out
(:func:`fan_out`) into each recipient's in-app :class:`Notification` and e-mail and the team
robots' and webhooks' :class:`Delivery` rows, as each person chose, then sends the deliveries.

:func:`deliver_due` sends what is due: rows are claimed in a short transaction (``SKIP LOCKED``
on PostgreSQL, so several workers share the outbox) by moving their next attempt a lease ahead,
then sent outside any transaction, then marked. A worker that dies between the send and the mark
leaves the row to be sent again after the lease: the receiver de-duplicates by the delivery id
(``X-Huoban-Delivery``; an e-mail's ``Message-ID``). A failure is retried after 1 min, 5 min,
30 min, 2 h and 12 h, then the delivery is marked failed (shown to admins); :func:`resend` sends
one again by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Min
from django.urls import reverse

from huoban import clock
from huoban.access import require_role
from huoban.accounts.models import Role, User
from huoban.audit.services import record
from huoban.errors import NotFound

from . import mail, robots, webhooks
from .models import (
    Channel,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    Notification,
    OptOut,
    OutboxEvent,
    PersonalChannel,
    Robot,
    Webhook,
)
from .services import Message, notify
from .transport import Answer, Post, http_post

BACKOFF_SECONDS = (60, 300, 1800, 7200, 43200)  # R-NOTE-3: after the 1st…5th failure
LEASE_SECONDS = 60  # a claimed delivery is sent again after this if its worker died

Sender = Callable[[Delivery, Post], Answer]
SENDERS: dict[str, Sender] = {
    Channel.WEBHOOK: webhooks.send,
    Channel.EMAIL: lambda delivery, post: mail.send(delivery),
    Channel.ROBOT: robots.send,
}


def fan_out(limit: int = 100) -> int:
    """Turn the oldest events not yet fanned out (at most `limit`) into notifications and
    deliveries, in one short transaction; returns how many. Several workers share the events
    (``SKIP LOCKED``); the unique constraints make a repeat harmless."""
    now = clock.now()
    with transaction.atomic():
        events = list(
            OutboxEvent.objects.select_for_update(skip_locked=True)
            .filter(fanned_out_at__isnull=True)
            .order_by("pk")[:limit]
        )
        if not events:
            return 0
        wanted = {pk for e in events for pk in e.recipients}
        people = User.objects.filter(pk__in=wanted, is_active=True).in_bulk()
        off = set(
            OptOut.objects.filter(
                user_id__in=list(people), event__in={e.event for e in events}
            ).values_list("user_id", "event", "channel")
        )
        active_robots = list(Robot.objects.filter(active=True))
        hooks = list(Webhook.objects.filter(active=True))
        notes: list[Notification] = []
        rows: list[Delivery] = []
        for e in events:
            said = e.message
            message = Message(
                e.event,
                said["title"],
                said["title_en"],
                said["body"],
                said["body_en"],
                said["link"],
                data=said["data"],
            )
            told = [people[pk] for pk in e.recipients if pk in people]
            notes += [
                Notification(
                    recipient=user,
                    event=e.event,
                    event_id=e.event_id,
                    created_at=e.created_at,
                    title=message.title[:200],
                    title_en=message.title_en[:200],
                    body=message.body,
                    body_en=message.body_en,
                    link=message.link,
                )
                for user in told
                if (user.pk, e.event, PersonalChannel.IN_APP) not in off
            ]
            mailed = [u for u in told if (u.pk, e.event, PersonalChannel.EMAIL) not in off]
            rows += mail.deliveries(message, mailed, e.event_id, e.created_at)
            rows += robots.deliveries(message, e.event_id, e.created_at, active_robots)
            words = {
                "title": message.title,
                "title_en": message.title_en,
                "body": message.body,
                "body_en": message.body_en,
                "path": message.link,
            }
            rows += webhooks.deliveries(
                e.event, e.event_id, e.created_at, message.data | words, hooks
            )
        Notification.objects.bulk_create(notes, ignore_conflicts=True)
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        OutboxEvent.objects.filter(pk__in=[e.pk for e in events]).update(fanned_out_at=now)
    return len(events)


def _claim(now: dt.datetime, limit: int) -> list[Delivery]:
    with transaction.atomic():
        due = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")[:limit]
        )
        rows = list(due.select_related("webhook", "recipient", "robot"))
        lease = now + dt.timedelta(seconds=LEASE_SECONDS)
        Delivery.objects.filter(pk__in=[d.pk for d in rows]).update(next_attempt_at=lease)
    return rows


MARK_EVERY = 20  # deliveries marked per transaction: a crash re-sends at most these


def _relaxed_commit() -> None:
    """On PostgreSQL, commit the marks without waiting for the disk: a mark lost in a database
    crash only sends those deliveries again, under the ids the receiver de-duplicates by."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _mark(sent: list[tuple[Delivery, Answer, dt.datetime]]) -> None:
    """Log each attempt and move each delivery on: sent; retried after R-NOTE-3's backoff; or
    failed after the last. One transaction for the lot."""
    if not sent:
        return
    for delivery, answer, at in sent:
        delivery.attempts += 1
        delivery.last_status_code = answer.status_code
        if answer.ok:
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = at
        elif delivery.attempts > len(BACKOFF_SECONDS):
            delivery.status = DeliveryStatus.FAILED
        else:
            wait = BACKOFF_SECONDS[delivery.attempts - 1]
            delivery.next_attempt_at = at + dt.timedelta(seconds=wait)
    with transaction.atomic():
        _relaxed_commit()
        DeliveryAttempt.objects.bulk_create(
            DeliveryAttempt(
                delivery=d, at=at, status_code=answer.status_code, ok=answer.ok,
                excerpt=answer.excerpt,
            )
            for d, answer, at in sent
        )  # fmt: skip
        Delivery.objects.bulk_update(
            [d for d, _, _ in sent],
            ["attempts", "last_status_code", "status", "sent_at", "next_attempt_at"],
        )


def deliver_due(*, limit: int = 100, post: Post = http_post) -> tuple[int, int]:
    """Fan out the new events, then send every delivery due now (at most `limit`), marking them
    every :data:`MARK_EVERY`: (sent, failed attempts)."""
    fan_out(limit)
    sent = failed = 0
    done: list[tuple[Delivery, Answer, dt.datetime]] = []
    for delivery in _claim(clock.now(), limit):
        answer = SENDERS[delivery.channel](delivery, post)
        done.append((delivery, answer, clock.now()))
        if answer.ok:
            sent += 1
        else:
            failed += 1
        if len(done) >= MARK_EVERY:
            _mark(done)
            done = []
    _mark(done)
    return sent, failed


@transaction.atomic(durable=True)
def resend(delivery_id: int, *, actor: User) -> Delivery:
    """Send a delivery again by hand (admin): due now, its attempts kept."""
    require_role(actor, Role.ADMIN)
    delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
    if delivery is None:
        raise NotFound("投递不存在 / No such delivery.")
    before = {"status": delivery.status, "attempts": delivery.attempts}
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = clock.now()
    delivery.save(update_fields=["status", "next_attempt_at"])
    record(actor, "webhook.resend", delivery, before=before, after={"status": delivery.status})
    return delivery


# --- health, for the channels page ------------------------------------------------------------


@dataclass(frozen=True)
class Health:
    """How the outbox is doing: what waits, since when, and what each channel did lately."""

    waiting_events: int
    oldest_event_at: dt.datetime | None
    due_deliveries: int
    oldest_due_at: dt.datetime | None
    by_channel: dict[str, dict[str, int]]  # channel → status → deliveries of the last 7 days

    def stalled(self, now: dt.datetime, after: dt.timedelta = dt.timedelta(minutes=5)) -> bool:
        """Whether something has waited longer than a running worker would let it."""
        oldest = [t for t in (self.oldest_event_at, self.oldest_due_at) if t is not None]
        return bool(oldest) and now - min(oldest) > after


def health() -> Health:
    now = clock.now()
    waiting = OutboxEvent.objects.filter(fanned_out_at__isnull=True)
    due = Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    recent = (
        Delivery.objects.filter(created_at__gte=now - dt.timedelta(days=7))
        .values_list("channel", "status")
        .annotate(n=Count("pk"))
    )
    by_channel: dict[str, dict[str, int]] = {c: {} for c in Channel.values}
    for channel, status, n in recent:
        by_channel.setdefault(channel, {})[status] = n
    return Health(
        waiting_events=waiting.count(),
        oldest_event_at=waiting.aggregate(t=Min("created_at"))["t"],
        due_deliveries=due.count(),
        oldest_due_at=due.aggregate(t=Min("next_attempt_at"))["t"],
        by_channel=by_channel,
    )


@transaction.atomic(durable=True)
def send_test(*, actor: User) -> None:
    """Tell the admin themselves, in the app and by e-mail, to check the channels work."""
    require_role(actor, Role.ADMIN)
    notify(
        Message(
            "notification.test",
            "测试通知：伙伴系统的通知渠道工作正常",
            "Test notification: Huoban's channels work",
            "这是管理员在「通知渠道」页发出的测试通知。",
            "An admin sent this test from the Channels page.",
            reverse("console:channels"),
        ),
        [actor],
    )
    record(actor, "notification.test", actor, after={"email": actor.email})


# --- retention ----------------------------------------------------------------------------------

EVENT_DAYS = 30  # a fanned-out event row is kept this long (its notifications stay)
DELIVERY_DAYS = 90  # a sent or failed delivery, with its attempt log


def purge(now: dt.datetime | None = None) -> tuple[int, int]:
    """Delete what the outbox no longer needs (run by ``huoban tick``): events fanned out over
    30 days ago, and deliveries sent or failed over 90 days ago with their attempts. Pending
    deliveries and the in-app notifications are kept. Returns (events, deliveries) deleted."""
    now = now or clock.now()
    events, _ = OutboxEvent.objects.filter(
        fanned_out_at__lt=now - dt.timedelta(days=EVENT_DAYS)
    ).delete()
    old = Delivery.objects.filter(
        status__in=[DeliveryStatus.SENT, DeliveryStatus.FAILED],
        created_at__lt=now - dt.timedelta(days=DELIVERY_DAYS),
    )
    DeliveryAttempt.objects.filter(delivery__in=old).delete()
    deliveries, _ = old.delete()
    return events, deliveries
