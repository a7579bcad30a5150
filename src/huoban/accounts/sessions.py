"""Session expiry: absolute (SESSION_COOKIE_AGE after sign-in) and idle (HUOBAN
SESSION_IDLE_MINUTES without a request), both measured with :func:`huoban.clock.now`."""

from __future__ import annotations

from typing import Any

from django.conf import settings

SIGNED_IN_AT = "huoban_signed_in_at"
SEEN_AT = "huoban_seen_at"
# The last-seen stamp is written at most once a minute, not on every request.
TOUCH_SECONDS = 60


def idle_seconds() -> int:
    return int(settings.HUOBAN["SESSION_IDLE_MINUTES"]) * 60


def stamp_sign_in(session: Any, now: float) -> None:
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now


def expiry_reason(session: Any, now: float) -> str | None:
    """ "absolute", "idle" or None: why a signed-in session must end now.

    A session without stamps (signed in before this rule existed) counts from now."""
    signed_in = float(session.get(SIGNED_IN_AT, now))
    seen = float(session.get(SEEN_AT, now))
    if now - signed_in >= settings.SESSION_COOKIE_AGE:
        return "absolute"
    idle = idle_seconds()
    if idle > 0 and now - seen >= idle:
        return "idle"
    return None


def touch(session: Any, now: float) -> None:
    """Record activity; stamps a session that has none."""
    session.setdefault(SIGNED_IN_AT, now)
    if now - float(session.get(SEEN_AT, 0)) >= TOUCH_SECONDS:
        session[SEEN_AT] = now
