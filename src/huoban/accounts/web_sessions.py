"""Where a user is signed in (issue #12, R-UI-1): the sessions a user can list and end.

Django keeps each session's data in its own table; :class:`UserSession` names the sessions of a
user, written at sign-in and removed at sign-out. A session that expired on its own (8 hours,
or idle) is simply not listed: only rows whose Django session still lives count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest

from huoban import clock
from huoban.audit.services import record
from huoban.errors import NotFound

from .models import User, UserSession
from .throttle import client_ip


def remember(request: HttpRequest, user: User) -> None:
    """At sign-in: name the new session (its key after Django's cycle) as this user's."""
    key = getattr(getattr(request, "session", None), "session_key", None)
    if not key:
        return
    UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "created_at": clock.now(),
            "ip": client_ip(request)[:45],
            "user_agent": request.headers.get("User-Agent", "")[:200],
        },
    )


def forget(session_key: str | None) -> None:
    """At sign-out: the session is gone."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def after_password_change(user: User, old_key: str | None, new_key: str | None) -> None:
    """The password changed: this session goes on under its new key; every other session of
    the user stops working (Django ties them to the password), so they are removed too."""
    others = UserSession.objects.filter(user=user).exclude(session_key__in=[old_key, new_key])
    Session.objects.filter(session_key__in=others.values("session_key")).delete()
    others.delete()
    if old_key and new_key and old_key != new_key:
        UserSession.objects.filter(session_key=old_key).update(session_key=new_key)


@dataclass(frozen=True)
class Listed:
    row: UserSession
    current: bool


def sessions_of(user: User, current_key: str | None) -> list[Listed]:
    """The user's live sessions, newest first, the current one marked."""
    live = Session.objects.filter(expire_date__gt=clock.now()).values("session_key")
    rows = UserSession.objects.filter(user=user, session_key__in=live).order_by("-created_at")
    return [Listed(row, row.session_key == current_key) for row in rows]


@transaction.atomic(durable=True)
def end_sessions(user: User, *, actor: User, ids: list[int] | None, keep: str | None) -> int:
    """End the given sessions of ``user`` (``ids=None``: all but ``keep``, the current one);
    answers how many ended. A user ends only its own."""
    rows = UserSession.objects.filter(user=user)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
        if rows.count() != len(set(ids)):
            raise NotFound("没有这个会话 / no such session")
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    rows.delete()
    if keys:
        record(actor, "session.end", user, after={"username": user.username, "ended": len(keys)})
    return len(keys)


def signed_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    remember(request, user)


def signed_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    forget(getattr(getattr(request, "session", None), "session_key", None))
