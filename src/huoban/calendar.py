"""Mainland-China business days (工作日) for due dates (R-CAL-1…3).

Three sources, in order of authority:

1. the admin-edited :class:`huoban.core.models.Holiday` table (overrides and extends);
2. the ``chinese-calendar`` package (2004–2026: holidays and 调休 make-up working days);
3. weekends only, for a date neither knows — the answer is then *estimated*.

The ``*_with`` functions are pure: they take the table as a plain ``{date: is_workday}``
mapping, so the commission rules and tests use them without a database. The plain-named
functions load the table (one query) and delegate to them.

A year the package does not know and that has at least one row in the table counts as
*published there*: its days without a row follow the weekend rule and are not estimated (the
State Council lists only holidays and make-up days; every other day is ordinary). See
docs/decisions.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import chinese_calendar

_ONE_DAY = dt.timedelta(days=1)
# Spring Festival, the longest run of holidays, is 9 days; a window this wide almost always
# holds the answer, so one query suffices. A wider one is fetched only if it does not.
_WINDOW_SLACK_DAYS = 40


@dataclass(frozen=True)
class BusinessDate:
    """A computed business date; ``estimated`` if any day examined was guessed from weekends."""

    date: dt.date
    estimated: bool
    estimated_years: tuple[int, ...] = ()


def _as_date(day: dt.date) -> dt.date:
    # datetime is a subclass of date; comparing/hashing a datetime against dates would miss.
    return day.date() if isinstance(day, dt.datetime) else day


def is_business_day_with(
    day: dt.date,
    overrides: Mapping[dt.date, bool] | None = None,
    published_years: Collection[int] | None = None,
) -> tuple[bool, bool]:
    """(is a working day, estimated) from an explicit holiday table; never raises (R-CAL-2).

    ``overrides`` maps a date to ``is_workday``. ``published_years`` are the years the table
    covers; by default the years of the keys of ``overrides``.
    """
    day = _as_date(day)
    table = overrides or {}
    if day in table:
        return table[day], False
    try:
        return bool(chinese_calendar.is_workday(day)), False
    except NotImplementedError:
        pass
    years = published_years if published_years is not None else {d.year for d in table}
    # A year the package does not know but the table has rows for was entered by an admin
    # from the State Council notice: its other days are ordinary, not guessed.
    return day.weekday() < 5, day.year not in years


def add_business_days_with(
    day: dt.date,
    n: int,
    overrides: Mapping[dt.date, bool] | None = None,
    published_years: Collection[int] | None = None,
) -> BusinessDate:
    """The n-th business day strictly after ``day`` (R-CAL-3), from an explicit table.

    ``n == 0`` answers ``day`` itself (no day examined). A negative ``n`` is refused.
    """
    if n < 0:
        raise ValueError("n must be zero or positive")
    table = overrides or {}
    years = published_years if published_years is not None else {d.year for d in table}
    current = _as_date(day)
    estimated_years: set[int] = set()
    found = 0
    while found < n:
        current += _ONE_DAY
        working, estimated = is_business_day_with(current, table, years)
        if estimated:
            estimated_years.add(current.year)
        if working:
            found += 1
    return BusinessDate(
        date=current,
        estimated=bool(estimated_years),
        estimated_years=tuple(sorted(estimated_years)),
    )


def _load_table(first: dt.date, last: dt.date) -> dict[dt.date, bool]:
    """All Holiday rows of the whole years first..last, in one query."""
    from huoban.core.models import Holiday  # late: keep this module importable without Django

    rows = Holiday.objects.filter(
        date__gte=dt.date(first.year, 1, 1), date__lte=dt.date(last.year, 12, 31)
    ).values_list("date", "is_workday")
    return dict(rows)


def _table_years(table: Mapping[dt.date, bool], first: dt.date, last: dt.date) -> set[int]:
    return {d.year for d in table if first.year <= d.year <= last.year}


def is_business_day(day: dt.date) -> tuple[bool, bool]:
    """(is a working day, estimated): the Holiday table, then chinese-calendar, then weekends."""
    day = _as_date(day)
    table = _load_table(day, day)
    return is_business_day_with(day, table, _table_years(table, day, day))


def add_business_days(day: dt.date, n: int) -> BusinessDate:
    """The n-th business day strictly after ``day`` (R-CAL-3), with the Holiday table."""
    day = _as_date(day)
    if n < 0:
        raise ValueError("n must be zero or positive")
    span = 2 * n + _WINDOW_SLACK_DAYS
    while True:
        last = day + dt.timedelta(days=span)
        table = _load_table(day, last)
        result = add_business_days_with(day, n, table, _table_years(table, day, last))
        if result.date <= last:
            return result
        # Only when the table declares a very long run of holidays: look further ahead.
        span *= 2


def explain(bd: BusinessDate) -> str:
    """A bilingual note for an estimated date; empty when the calendar was known (R-CAL-2)."""
    if not bd.estimated:
        return ""
    years = bd.estimated_years or (bd.date.year,)
    zh_years = "、".join(str(y) for y in years)
    en_years = ", ".join(str(y) for y in years)
    return (
        f"{zh_years} 年节假日尚未公布，按周末估算 / "
        f"{en_years} holidays not yet published: estimated on weekends only"
    )
