"""The one clock (ARCHITECTURE §3): every service asks here for the time.

Tests and `huoban tick --date` move it with :func:`frozen`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from contextvars import ContextVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

_frozen: ContextVar[dt.datetime | None] = ContextVar("huoban_frozen_now", default=None)


def now() -> dt.datetime:
    """The current aware datetime (UTC), or the frozen one."""
    frozen = _frozen.get()
    return frozen if frozen is not None else timezone.now()


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def today() -> dt.date:
    """Today's date in the business time zone (Asia/Shanghai by default)."""
    return now().astimezone(local_tz()).date()


@contextlib.contextmanager
def frozen(at: dt.datetime | dt.date) -> Iterator[dt.datetime]:
    """Freeze the clock at a moment (a date means 09:00 local time that day)."""
    if isinstance(at, dt.datetime):
        moment = at if at.tzinfo else at.replace(tzinfo=local_tz())
    else:
        moment = dt.datetime.combine(at, dt.time(9, 0), tzinfo=local_tz())
    token = _frozen.set(moment.astimezone(dt.UTC))  # like timezone.now(): always UTC
    try:
        yield moment
    finally:
        _frozen.reset(token)
