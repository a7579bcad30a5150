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


# The dates a request may name (reports, contracts, payments): wide enough for any business
# record, far enough from date.min/date.max that local midnight in UTC and due dates exist.
EARLIEST_DAY = dt.date(1900, 1, 1)
LATEST_DAY = dt.date(2999, 12, 31)
DAY_RANGE_MESSAGE = (
    "日期须在 1900-01-01 至 2999-12-31 之间 / Date must be between 1900-01-01 and 2999-12-31."
)


def day_errors(**days: dt.date | None) -> dict[str, str]:
    """Field → message for each given date outside EARLIEST_DAY … LATEST_DAY."""
    return {
        field: DAY_RANGE_MESSAGE
        for field, day in days.items()
        if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY
    }


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
