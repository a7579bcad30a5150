"""What the notification tests ask of the inbox."""

from __future__ import annotations

from huoban.notifications.models import Notification


def told(event: str) -> dict[str, list[Notification]]:
    """username → the notifications of `event` they received, oldest first."""
    out: dict[str, list[Notification]] = {}
    for n in Notification.objects.filter(event=event).select_related("recipient").order_by("pk"):
        out.setdefault(n.recipient.username, []).append(n)
    return out
