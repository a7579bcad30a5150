"""Outgoing webhooks against a real local receiver (R-HOOK-1, R-NOTE-3; issue #14).

The receiver is an HTTP server on 127.0.0.1 started by the test; it checks nothing itself: the
tests recompute each signature with the published algorithm (HMAC-SHA256 of "<t>.<raw body>").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from huoban import clock
from huoban.errors import Forbidden, ValidationFailed
from huoban.notifications import outbox, transport, webhooks
from huoban.notifications.models import Delivery, Webhook
from tests.leads.helpers import submit
from tests.notifications.helpers import fanned

T0 = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)


class Receiver:
    """Records each POST; answers the next of `answers` (then 200)."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers.items()), body))
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"down for maintenance")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:
    settings.HUOBAN = {**settings.HUOBAN, "WEBHOOK_ALLOW_PRIVATE": True}
    r = Receiver()
    yield r
    r.stop()


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """A receiver's check, written from R-HOOK-1 alone."""
    fields = dict(part.split("=", 1) for part in headers["X-Huoban-Signature"].split(","))
    expected = hmac.new(
        secret.encode(), fields["t"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, fields["v1"])


def test_a_new_lead_is_posted_signed_to_the_webhook(actors, receiver):
    hook, secret = webhooks.register_webhook(receiver.url, ["lead.submitted"], actor=actors.admin)
    assert len(secret) == 64 and hook.secret == secret
    with clock.frozen(T0):
        lead = submit(actors.alice, "东义集团")
    fanned()
    delivery = Delivery.objects.get()
    # when the worker runs once
    with clock.frozen(T0 + dt.timedelta(seconds=1)):
        call_command("worker", once=True)
    # then one POST, signed, with the event's id and the lead
    [(headers, body)] = receiver.received
    assert verify(secret, headers, body)
    assert headers["X-Huoban-Event"] == "lead.submitted"
    assert headers["X-Huoban-Delivery"] == str(delivery.event_id)
    payload = json.loads(body)
    assert set(payload) == {"id", "event", "created_at", "data"}
    assert payload["id"] == str(delivery.event_id)
    assert payload["data"]["lead_id"] == lead.pk
    assert payload["data"]["partner_code"] == actors.alpha.code
    assert payload["data"]["path"] == f"/console/leads/{lead.pk}/"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("sent", 1, 200)
    assert delivery.tries.get().ok is True


def test_an_event_the_webhook_did_not_choose_is_not_sent(actors, receiver):
    webhooks.register_webhook(receiver.url, ["project.signed"], actor=actors.admin)
    submit(actors.alice, "东义集团")
    fanned()
    assert not Delivery.objects.exists()


def test_failures_are_retried_with_the_backoff_then_marked_failed(actors, receiver):
    webhooks.register_webhook(receiver.url, ["lead.submitted"], actor=actors.admin)
    with clock.frozen(T0):
        submit(actors.alice, "东义集团")
    receiver.answers = [500] * 6
    now = T0
    # R-NOTE-3: the first try, then after 1 min, 5 min, 30 min, 2 h and 12 h
    for wait in (0, 60, 300, 1800, 7200, 43200):
        now += dt.timedelta(seconds=wait)
        with clock.frozen(now - dt.timedelta(seconds=1)):  # not due a second early
            assert outbox.deliver_due() == (0, 0)
        with clock.frozen(now):
            assert outbox.deliver_due() == (0, 1)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 6, 500)
    assert delivery.tries.count() == 6
    assert delivery.tries.first().excerpt == "down for maintenance"
    # every try carried the same delivery id and the same bytes
    assert len({h["X-Huoban-Delivery"] for h, _ in receiver.received}) == 1
    assert len({b for _, b in receiver.received}) == 1
    with clock.frozen(now + dt.timedelta(days=2)):
        assert outbox.deliver_due() == (0, 0)
    # an admin sends it again by hand
    outbox.resend(delivery.pk, actor=actors.admin)
    assert outbox.deliver_due() == (1, 0)


def test_a_business_action_does_not_wait_for_a_receiver_that_is_down(actors, receiver):
    webhooks.register_webhook(receiver.url, ["lead.submitted"], actor=actors.admin)
    receiver.stop()
    with clock.frozen(T0):
        lead = submit(actors.alice, "东义集团")  # the lead is registered all the same
    assert lead.pk is not None
    with clock.frozen(T0):
        assert outbox.deliver_due() == (0, 1)
    delivery = Delivery.objects.get()
    assert delivery.status == "pending" and delivery.last_status_code is None
    assert delivery.next_attempt_at == T0 + dt.timedelta(minutes=1)
    assert "ConnectError" in delivery.tries.get().excerpt


def test_a_worker_that_dies_after_sending_sends_again_under_the_same_id(actors, receiver):
    webhooks.register_webhook(receiver.url, ["lead.submitted"], actor=actors.admin)
    with clock.frozen(T0):
        submit(actors.alice, "东义集团")

    def post_then_die(url: str, body: bytes, headers: dict[str, str]) -> transport.Answer:
        transport.http_post(url, body, headers)
        raise SystemExit("killed between the send and the mark")

    with clock.frozen(T0), pytest.raises(SystemExit):
        outbox.deliver_due(post=post_then_die)
    # claimed: another worker does not send it again within the lease
    with clock.frozen(T0 + dt.timedelta(seconds=30)):
        assert outbox.deliver_due() == (0, 0)
    with clock.frozen(T0 + dt.timedelta(seconds=outbox.LEASE_SECONDS)):
        assert outbox.deliver_due() == (1, 0)
    first, second = (h["X-Huoban-Delivery"] for h, _ in receiver.received)
    assert first == second  # the receiver de-duplicates by it


def test_only_an_admin_registers_and_bad_input_changes_nothing(actors, settings):
    with pytest.raises(Forbidden):
        webhooks.register_webhook("https://example.com/h", ["lead.submitted"], actor=actors.officer)
    with pytest.raises(ValidationFailed) as bad:
        webhooks.register_webhook("ftp://example.com/h", ["lead.nope"], actor=actors.admin)
    assert set(bad.value.errors) == {"url", "events"}
    # a private address, refused unless HUOBAN_WEBHOOK_ALLOW_PRIVATE=true
    with pytest.raises(ValidationFailed) as private:
        webhooks.register_webhook("http://10.1.2.3/h", ["lead.submitted"], actor=actors.admin)
    assert "HUOBAN_WEBHOOK_ALLOW_PRIVATE" in private.value.errors["url"]
    with pytest.raises(ValidationFailed):
        webhooks.register_webhook("http://127.0.0.1:9/h", ["lead.submitted"], actor=actors.admin)
    assert not Webhook.objects.exists()
    settings.HUOBAN = {**settings.HUOBAN, "WEBHOOK_ALLOW_PRIVATE": True}
    hook, _ = webhooks.register_webhook("http://10.1.2.3/h", ["lead.submitted"], actor=actors.admin)
    assert hook.events == ["lead.submitted"]


def test_after_a_rotation_even_a_retry_of_an_earlier_event_is_signed_with_the_new_secret(
    actors, receiver
):
    hook, old = webhooks.register_webhook(receiver.url, ["lead.submitted"], actor=actors.admin)
    receiver.answers = [500]
    with clock.frozen(T0):
        submit(actors.alice, "东义集团")
        assert outbox.deliver_due() == (0, 1)  # signed with the old secret, refused
    _, new = webhooks.rotate_secret(hook.pk, actor=actors.admin)
    with clock.frozen(T0 + dt.timedelta(minutes=1)):
        assert outbox.deliver_due() == (1, 0)
    (h1, b1), (h2, b2) = receiver.received
    assert verify(old, h1, b1) and not verify(new, h1, b1)
    assert verify(new, h2, b2) and not verify(old, h2, b2)
