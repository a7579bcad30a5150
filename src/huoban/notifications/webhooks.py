"""Outgoing webhooks (R-HOOK-1) and their outbox, delivered by ``huoban worker`` (R-NOTE-3).

- :func:`register_webhook` (admin): a URL, the events, a generated secret shown once.
- :func:`enqueue` writes one :class:`Delivery` per subscribed webhook in the business action's
  transaction (called by :func:`huoban.notifications.services.notify`): the body is fixed then,
  so every retry sends the same bytes under the same delivery id.
- :func:`deliver_due` sends what is due: rows are claimed in a short transaction (``SKIP
  LOCKED`` on PostgreSQL, so several workers share the outbox) by moving their next attempt a
  lease ahead, then posted outside any transaction, then marked. A worker that dies between the
  post and the mark leaves the row to be sent again after the lease: the receiver de-duplicates
  by ``X-Huoban-Delivery``. A failure is retried after 1 min, 5 min, 30 min, 2 h and 12 h, then
  the delivery is marked failed (shown to admins); :func:`resend` sends one again by hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from huoban import clock
from huoban.access import require_role
from huoban.accounts.models import Role, User
from huoban.audit.services import record
from huoban.errors import NotFound, ValidationFailed

from .models import Delivery, DeliveryAttempt, DeliveryStatus, Webhook

# R-NOTE-1: the stable event names.
EVENTS = (
    "lead.submitted", "lead.verdict", "lead.sla_due", "lead.appealed", "review.decided",
    "customer.inbound_routed", "consent.granted", "consent.revoked", "project.signed",
    "project.milestone", "payment.recorded", "project.accepted", "ledger.entry", "payout.paid",
    "tier.changed", "tier.notice", "application.submitted", "application.decided",
    "agreement.review_due", "agreement.expiring", "scorecard.recorded", "case.opened",
    "case.escalated", "meeting.due", "risk.review_due", "credit.review_due",
)  # fmt: skip
BACKOFF_SECONDS = (60, 300, 1800, 7200, 43200)  # R-NOTE-3: after the 1st…5th failure
TIMEOUT_SECONDS = 10.0  # R-HOOK-1: a 2xx within 10 s is success
LEASE_SECONDS = 60  # a claimed delivery is sent again after this if its worker died
EXCERPT = 500


# --- registration ----------------------------------------------------------------------------


def _private(host: str) -> bool:
    """Whether `host` is, or resolves to, an address that is not public."""
    try:
        addresses = {ipaddress.ip_address(host)}
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None)
        except OSError:
            return False  # unresolvable now: refused at send time if it resolves privately
        addresses = {ipaddress.ip_address(info[4][0]) for info in infos}
    return any(not a.is_global for a in addresses)


def check_url(url: str) -> str | None:
    """Why `url` cannot receive webhooks, or None (R-HOOK-1)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "只接受 http(s) 地址 / Only http(s) URLs are accepted."
    if not settings.HUOBAN["WEBHOOK_ALLOW_PRIVATE"] and _private(parts.hostname):
        return (
            "内网地址不可用（可设置 HUOBAN_WEBHOOK_ALLOW_PRIVATE=true）/ A private address is "
            "refused unless HUOBAN_WEBHOOK_ALLOW_PRIVATE=true."
        )
    return None


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


# --- the outbox --------------------------------------------------------------------------------


def enqueue(event: str, event_id: uuid.UUID, created_at: dt.datetime, data: dict[str, Any]) -> int:
    """One delivery per active webhook subscribed to `event`; in the caller's transaction."""
    hooks = [w for w in Webhook.objects.filter(active=True) if event in w.events]
    if not hooks:
        return 0
    body = json.dumps(
        {"id": str(event_id), "event": event, "created_at": created_at, "data": data},
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    Delivery.objects.bulk_create(
        Delivery(
            webhook=w,
            event=event,
            event_id=event_id,
            body=body,
            next_attempt_at=created_at,
            created_at=created_at,
        )
        for w in hooks
    )
    return len(hooks)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`` (R-HOOK-1)."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    excerpt: str


Post = Callable[[str, bytes, dict[str, str]], Answer]


_client: httpx.Client | None = None


def _http() -> httpx.Client:
    """One client per process: its connections are kept alive between deliveries to the same
    receiver, and its TLS context is built once, not for every delivery."""
    global _client
    if _client is None:
        _client = httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False)
    return _client


def http_post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST with the 10-second timeout; a network error is an answer without a status."""
    problem = check_url(url)  # again at send time: the name may resolve elsewhere now
    if problem:
        return Answer(None, problem)
    try:
        response = _http().post(url, content=body, headers=headers)
    except httpx.HTTPError as e:
        return Answer(None, f"{type(e).__name__}: {e}"[:EXCERPT])
    return Answer(response.status_code, response.text[:EXCERPT])


def _claim(now: dt.datetime, limit: int) -> list[Delivery]:
    with transaction.atomic():
        due = (
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")[:limit]
        )
        rows = list(due.select_related("webhook"))
        lease = now + dt.timedelta(seconds=LEASE_SECONDS)
        Delivery.objects.filter(pk__in=[d.pk for d in rows]).update(next_attempt_at=lease)
    return rows


def _send(delivery: Delivery, post: Post) -> bool:
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Huoban-Webhook/1",
        "X-Huoban-Event": delivery.event,
        "X-Huoban-Delivery": str(delivery.event_id),
        "X-Huoban-Signature": signature(delivery.webhook.secret, int(time.time()), body),
    }
    answer = post(delivery.webhook.url, body, headers)
    ok = answer.status_code is not None and 200 <= answer.status_code < 300
    now = clock.now()
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            delivery=delivery, at=now, status_code=answer.status_code, ok=ok, excerpt=answer.excerpt
        )
        delivery.attempts += 1
        delivery.last_status_code = answer.status_code
        if ok:
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = now
        elif delivery.attempts > len(BACKOFF_SECONDS):
            delivery.status = DeliveryStatus.FAILED
        else:
            wait = BACKOFF_SECONDS[delivery.attempts - 1]
            delivery.next_attempt_at = now + dt.timedelta(seconds=wait)
        delivery.save(
            update_fields=["attempts", "last_status_code", "status", "sent_at", "next_attempt_at"]
        )
    return ok


def deliver_due(*, limit: int = 100, post: Post = http_post) -> tuple[int, int]:
    """Send every delivery due now (at most `limit`): (sent, failed attempts)."""
    sent = failed = 0
    for delivery in _claim(clock.now(), limit):
        if _send(delivery, post):
            sent += 1
        else:
            failed += 1
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
