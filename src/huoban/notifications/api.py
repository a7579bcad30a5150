"""In-app notifications over the API (ARCHITECTURE §6): any signed-in user, their own only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from huoban.pagination import PageParams, paginate
from huoban.web import actor_of

from . import preferences, services
from .models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    event: str
    event_id: str
    title: str
    title_en: str
    body: str
    body_en: str
    link: str
    read: bool
    created_at: dt.datetime


class NotificationPage(Schema):
    items: list[NotificationOut]
    count: int


class MarkedOut(Schema):
    marked: int


class NotificationFilter(PageParams):
    unread: bool = False


def render(n: Notification) -> dict[str, Any]:
    return {
        "id": n.pk,
        "event": n.event,
        "event_id": str(n.event_id),
        "title": n.title,
        "title_en": n.title_en,
        "body": n.body,
        "body_en": n.body_en,
        "link": n.link,
        "read": n.read_at is not None,
        "created_at": n.created_at,
    }


@router.get("", response=NotificationPage, summary="My in-app notifications, the newest first")
def inbox(request: HttpRequest, filters: Query[NotificationFilter]) -> dict[str, Any]:
    rows = services.inbox(actor_of(request))
    if filters.unread:
        rows = rows.filter(read_at__isnull=True)
    return paginate(rows, filters, render)


@router.post("/{notification_id}/read", response=NotificationOut, summary="Mark one read")
def read(request: HttpRequest, notification_id: int) -> dict[str, Any]:
    return render(services.mark_read(notification_id, actor=actor_of(request)))


@router.post("/read-all", response=MarkedOut, summary="Mark all of mine read")
def read_all(request: HttpRequest) -> dict[str, int]:
    return {"marked": services.mark_all_read(actor=actor_of(request))}


class PreferenceOut(Schema):
    event: str
    label: str
    in_app: bool
    email: bool


class PreferenceIn(Schema):
    event: str
    in_app: bool
    email: bool


class Preferences(Schema):
    items: list[PreferenceOut]


class PreferencesIn(Schema):
    items: list[PreferenceIn]


def _preferences(request: HttpRequest) -> dict[str, Any]:
    user = actor_of(request)
    chosen = preferences.choices_of(user)
    return {
        "items": [
            {
                "event": kind.event,
                "label": str(kind.label),
                "in_app": "in_app" in chosen[kind.event],
                "email": "email" in chosen[kind.event],
            }
            for kind in preferences.events_for(user)
        ]
    }


@router.get("/preferences", response=Preferences, summary="Which of my channels each event reaches")
def get_preferences(request: HttpRequest) -> dict[str, Any]:
    return _preferences(request)


@router.put("/preferences", response=Preferences, summary="Choose my channels per event")
def put_preferences(request: HttpRequest, payload: PreferencesIn) -> dict[str, Any]:
    wanted = {
        item.event: [c for c, on in (("in_app", item.in_app), ("email", item.email)) if on]
        for item in payload.items
    }
    preferences.set_choices(wanted, actor=actor_of(request))
    return _preferences(request)
