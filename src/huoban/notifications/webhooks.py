"""Outgoing webhooks (R-HOOK-1): registration and the signed request.

- :func:`register_webhook` (admin): a URL, the events, a generated secret shown once;
  :func:`rotate_secret` replaces it (shown once again), :func:`set_webhook_active` switches it.
- :func:`deliveries` makes one outbox row (:class:`Delivery`) per subscribed webhook, written by
  :func:`huoban.notifications.outbox.fan_out` when the worker fans an event out: the body is
  fixed then, so every retry sends the same bytes under the same delivery id.
- :func:`send` posts one delivery, signed; :mod:`huoban.notifications.outbox` decides when
  (claims, retries with R-NOTE-3's backoff, the attempt log, re-sending by hand).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import time
import uuid
from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from huoban import clock
from huoban.access import require_role
from huoban.accounts.models import Role, User
from huoban.audit.services import record
from huoban.errors import NotFound, ValidationFailed

from .models import Channel, Delivery, Robot, Webhook
from .transport import Answer, Post, check_url

# R-NOTE-1: the stable event names.
EVENTS = (
    "lead.submitted", "lead.verdict", "lead.sla_due", "lead.appealed", "review.decided",
    "customer.inbound_routed", "consent.granted", "consent.revoked", "project.signed",
    "project.milestone", "payment.recorded", "project.accepted", "ledger.entry", "payout.paid",
    "tier.changed", "tier.notice", "application.submitted", "application.decided",
    "agreement.review_due", "agreement.expiring", "agreement.submitted", "scorecard.recorded",
    "case.opened", "case.due",
    "case.escalated", "meeting.due", "risk.review_due", "credit.review_due", "health.due",
)  # fmt: skip


# --- registration ----------------------------------------------------------------------------


@transaction.atomic(durable=True)
def register_webhook(url: str, events: Iterable[str], *, actor: User) -> tuple[Webhook, str]:
    """Register a webhook (admin); returns it and its secret, which is shown this once."""
    require_role(actor, Role.ADMIN)
    wanted = list(dict.fromkeys(events))
    errors: dict[str, str] = {}
    problem = check_url(url)
    if problem:
        errors["url"] = problem
    unknown = [e for e in wanted if e not in EVENTS]
    if not wanted or unknown:
        errors["events"] = (
            f"未知事件 / Unknown events: {', '.join(unknown)}"
            if unknown
            else "至少选择一个事件 / Choose at least one event."
        )
    if errors:
        raise ValidationFailed(errors)
    secret = secrets.token_hex(32)
    webhook = Webhook.objects.create(
        url=url.strip(), events=wanted, secret=secret, created_by=actor, created_at=clock.now()
    )
    record(actor, "webhook.register", webhook, after={"url": webhook.url, "events": wanted})
    return webhook, secret


@transaction.atomic(durable=True)
def rotate_secret(webhook_id: int, *, actor: User) -> tuple[Webhook, str]:
    """Give a webhook a new secret (admin), shown this once: every delivery from now on, retries
    of earlier events included, is signed with it."""
    require_role(actor, Role.ADMIN)
    webhook = Webhook.objects.select_for_update().filter(pk=webhook_id).first()
    if webhook is None:
        raise NotFound("Webhook 不存在 / No such webhook.")
    secret = secrets.token_hex(32)
    webhook.secret = secret
    webhook.save(update_fields=["secret"])
    record(actor, "webhook.rotate", webhook, after={"url": webhook.url})  # never the secret
    return webhook, secret


Switchable = TypeVar("Switchable", Webhook, Robot)


def switch_active(
    model: type[Switchable], pk: int, active: bool, *, actor: User, action: str, missing: str
) -> Switchable:
    """Switch a webhook or a robot on or off (admin), audited when it changes; in the caller's
    transaction."""
    require_role(actor, Role.ADMIN)
    row = model.objects.select_for_update().filter(pk=pk).first()
    if row is None:
        raise NotFound(missing)
    if row.active != active:
        before = {"active": row.active}
        row.active = active
        row.save(update_fields=["active"])
        record(actor, action, row, before=before, after={"active": active})
    return row


@transaction.atomic(durable=True)
def set_webhook_active(webhook_id: int, active: bool, *, actor: User) -> Webhook:
    """Switch a webhook off (no new deliveries; those queued are still sent) or on (admin)."""
    return switch_active(
        Webhook,
        webhook_id,
        active,
        actor=actor,
        action="webhook.switch",
        missing="Webhook 不存在 / No such webhook.",
    )


# --- the outbox --------------------------------------------------------------------------------


def deliveries(
    event: str,
    event_id: uuid.UUID,
    created_at: dt.datetime,
    data: dict[str, Any],
    active: Iterable[Webhook] | None = None,
) -> list[Delivery]:
    """One delivery per active webhook (`active`, or read now) subscribed to `event`
    (unsaved)."""
    pool = Webhook.objects.filter(active=True) if active is None else active
    hooks = [w for w in pool if event in w.events]
    if not hooks:
        return []
    body = json.dumps(
        {"id": str(event_id), "event": event, "created_at": created_at, "data": data},
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return [
        Delivery(
            channel=Channel.WEBHOOK,
            webhook=w,
            event=event,
            event_id=event_id,
            body=body,
            next_attempt_at=created_at,
            created_at=created_at,
        )
        for w in hooks
    ]


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`` (R-HOOK-1)."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def send(delivery: Delivery, post: Post) -> Answer:
    """POST one delivery with its event, its stable delivery id and a fresh signature."""
    assert delivery.webhook is not None
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Huoban-Webhook/1",
        "X-Huoban-Event": delivery.event,
        "X-Huoban-Delivery": str(delivery.event_id),
        "X-Huoban-Signature": signature(delivery.webhook.secret, int(time.time()), body),
    }
    return post(delivery.webhook.url, body, headers)
