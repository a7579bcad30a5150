"""What the notification tests ask of the inbox."""

from __future__ import annotations

from huoban.notifications.models import Notification
from huoban.notifications.outbox import fan_out


def fanned() -> None:
    """What the worker does first: fan every raised event out into notifications and
    deliveries."""
    while fan_out():
        pass


def told(event: str) -> dict[str, list[Notification]]:
    """username → the notifications of `event` they received, oldest first (after the worker
    fanned out what the actions raised)."""
    fanned()
    out: dict[str, list[Notification]] = {}
    for n in Notification.objects.filter(event=event).select_related("recipient").order_by("pk"):
        out.setdefault(n.recipient.username, []).append(n)
    return out
