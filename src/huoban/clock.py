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


def local_midnight(day: dt.date) -> dt.datetime:
    """The instant a local day begins: the bound of every "from day A to day B" query."""
    return dt.datetime.combine(day, dt.time(), tzinfo=local_tz())


# The one business date range (issue #10, finding 13): every date a request, form or service
# takes — payments, signing, acceptance, milestones, leads' expected start, report periods,
# statement months — must lie in EARLIEST_DAY … LATEST_DAY. Huoban holds no record from
# before 2000 (policy v1 starts 2000-01-01) and statements name years 2000 … 2100.
EARLIEST_DAY = dt.date(2000, 1, 1)
LATEST_DAY = dt.date(2100, 12, 31)
DAY_RANGE_MESSAGE = (
    f"日期须在 {EARLIEST_DAY.isoformat()} 至 {LATEST_DAY.isoformat()} 之间 / "
    f"Date must be between {EARLIEST_DAY.isoformat()} and {LATEST_DAY.isoformat()}."
)
# A date planned ahead (a lead's expected start, a milestone) lies at most this far ahead.
HORIZON_YEARS = 10
# A report period spans at most this many days (ten years).
MAX_SPAN_DAYS = 3660


def in_range(day: dt.date) -> bool:
    return EARLIEST_DAY <= day <= LATEST_DAY


def day_errors(**days: dt.date | None) -> dict[str, str]:
    """Field → message for each given date outside EARLIEST_DAY … LATEST_DAY."""
    return {
        field: DAY_RANGE_MESSAGE
        for field, day in days.items()
        if day is not None and not in_range(day)
    }


def horizon() -> dt.date:
    """The last day a planned date may name: today + HORIZON_YEARS (capped at LATEST_DAY)."""
    today_ = today()
    try:
        last = today_.replace(year=today_.year + HORIZON_YEARS)
    except ValueError:  # 29 February
        last = today_.replace(year=today_.year + HORIZON_YEARS, day=28)
    return min(last, LATEST_DAY)


def planned_errors(**days: dt.date | None) -> dict[str, str]:
    """day_errors, and each date no later than horizon() (planned dates: expected starts)."""
    errors = day_errors(**days)
    last = horizon()
    for field, day in days.items():
        if day is not None and field not in errors and day > last:
            errors[field] = (
                f"日期不能晚于 {last.isoformat()} / Date must not be after {last.isoformat()}."
            )
    return errors


def past_errors(**days: dt.date | None) -> dict[str, str]:
    """day_errors, and each date no later than today (a payment received, a contract signed)."""
    errors = day_errors(**days)
    for field, day in days.items():
        if day is not None and field not in errors and day > today():
            errors[field] = "日期不能晚于今天 / Must not be in the future."
    return errors


def period_errors(start: dt.date, end: dt.date) -> dict[str, str]:
    """A report period: both days in range, start ≤ end, at most MAX_SPAN_DAYS long."""
    errors = day_errors(start=start, end=end)
    if errors:
        return errors
    if end < start:
        return {"end": "结束日期不能早于开始日期 / end must not be before start."}
    if (end - start).days + 1 > MAX_SPAN_DAYS:
        return {
            "end": f"期间最长 {MAX_SPAN_DAYS} 天 / A period spans at most {MAX_SPAN_DAYS} days."
        }
    return {}


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
