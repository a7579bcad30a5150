"""Telling people (R-NOTE-1…3): one call per event, inside the business action's transaction.

The service that does a business action calls :func:`notify` with the event's message and its
recipients; that writes one outbox row in the same transaction (D-NOTE-7), so an action that
rolls back tells nobody, and one that commits will tell everyone it concerns: ``huoban worker``
fans the row out into each person's in-app notification and e-mail and the team robots' and
webhooks' deliveries (:mod:`huoban.notifications.outbox`). Who the people are is computed here,
when the event happens, from roles and partners (:func:`partner_users`, :func:`staff_with`): a
partner's users hear only of their own partner's business (R-VIS).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation

from huoban import clock
from huoban.accounts.models import Role, User
from huoban.errors import NotFound

from .models import Notification, OutboxEvent, Reminder


@dataclass(frozen=True)
class Message:
    """An event as people read it: Chinese and English, and the page to act on."""

    event: str
    title: str
    title_en: str
    body: str = ""
    body_en: str = ""
    link: str = ""
    # What a webhook receives besides the words (ids, codes, statuses): R-HOOK-1's `data`.
    data: dict[str, Any] = field(default_factory=dict)


def in_both(label: object) -> tuple[str, str]:
    """A translatable label (a choice's ``label``) in Chinese and in English, for a message
    that keeps both."""
    with translation.override("zh-hans"):
        zh = str(label)
    with translation.override("en"):
        return zh, str(label)


def partner_users(partner_id: int) -> QuerySet[User]:
    """The active users of one partner: they hear of their partner's own business."""
    return User.objects.filter(partner_id=partner_id, role=Role.PARTNER, is_active=True)


def staff_with(*roles: str) -> QuerySet[User]:
    """The active staff whose role is one of `roles` (admins only when named)."""
    return User.objects.filter(role__in=roles, is_active=True)


def notify(
    message: Message, recipients: Iterable[User] | QuerySet[User], *, actor: User | None = None
) -> int:
    """Raise an event for its recipients (the actor is not told of their own action): one
    outbox row in the caller's transaction, which ``huoban worker`` fans out after commit into
    the in-app notifications, e-mails, robot messages and webhook deliveries (R-NOTE-2/3).
    Returns how many people it concerns."""
    if isinstance(recipients, QuerySet):
        ids = list(recipients.values_list("pk", flat=True))
    else:
        ids = [u.pk for u in recipients]
    people = [pk for pk in dict.fromkeys(ids) if actor is None or pk != actor.pk]
    OutboxEvent.objects.create(
        event=message.event,
        event_id=uuid.uuid4(),
        created_at=clock.now(),
        message={
            "title": message.title,
            "title_en": message.title_en,
            "body": message.body,
            "body_en": message.body_en,
            "link": message.link,
            "data": message.data,
        },
        recipients=people,
    )
    return len(people)


def first_time(event: str, key: str) -> bool:
    """Whether a time-based `event` about `key` is raised now for the first time; records it.
    Call in the transaction that notifies, so a reminder that rolls back can be raised again."""
    _, created = Reminder.objects.get_or_create(
        event=event, key=key, defaults={"created_at": clock.now()}
    )
    return created


# --- the inbox ------------------------------------------------------------------------------


def inbox(user: User) -> QuerySet[Notification]:
    """A person's notifications, the newest first: their own and nobody else's."""
    return Notification.objects.filter(recipient_id=user.pk).order_by("-created_at", "-pk")


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def mark_read(notification_id: int, *, actor: User) -> Notification:
    """Mark one of the actor's notifications read (another person's is not found)."""
    notification = inbox(actor).filter(pk=notification_id).first()
    if notification is None:
        raise NotFound("通知不存在 / No such notification.")
    if notification.read_at is None:
        notification.read_at = clock.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, actor: User) -> int:
    return inbox(actor).filter(read_at__isnull=True).update(read_at=clock.now())


def portal_link(name: str, **kwargs: int) -> str:
    return reverse(f"portal:{name}", kwargs=kwargs)


def console_link(name: str, **kwargs: int) -> str:
    return reverse(f"console:{name}", kwargs=kwargs)
