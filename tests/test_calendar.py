"""Business days: mainland holidays, 调休, the admin table, estimates (R-CAL-1…3).

Every expected date below was checked by hand against the State Council notices as encoded
in chinese-calendar 1.11 (weekday names written out so a reader can check them too).
"""

from __future__ import annotations

import datetime as dt

import pytest

from huoban.calendar import (
    BusinessDate,
    add_business_days,
    add_business_days_with,
    explain,
    is_business_day,
    is_business_day_with,
)
from huoban.core.models import Holiday

D = dt.date


# --- the pure functions (no database) -------------------------------------------------------


def test_it_counts_from_the_day_after_through_spring_festival_2026():
    # Fri 02-13 → Sat 02-14 is a make-up working day (1), 02-15 … 02-23 are Spring Festival,
    # Tue 02-24 (2), Wed 02-25 (3): the SPEC's own example (R-CAL-3).
    assert add_business_days_with(D(2026, 2, 13), 3) == BusinessDate(D(2026, 2, 25), False)


def test_it_counts_an_ordinary_week():
    # Mon 2026-03-02 → Tue 03 (1), Wed 04 (2), Thu 05 (3).
    assert add_business_days_with(D(2026, 3, 2), 3) == BusinessDate(D(2026, 3, 5), False)
    # Thu 2026-03-05 → Fri 06 (1), [Sat 07, Sun 08], Mon 09 (2), Tue 10 (3).
    assert add_business_days_with(D(2026, 3, 5), 3).date == D(2026, 3, 10)


def test_it_skips_national_day_2026_and_counts_the_make_up_saturday():
    # Wed 2026-09-30 → 10-01 … 10-07 National Day, Thu 10-08 (1), Fri 10-09 (2),
    # Sat 10-10 is a make-up working day (3).
    assert add_business_days_with(D(2026, 9, 30), 3) == BusinessDate(D(2026, 10, 10), False)


def test_a_day_that_is_itself_a_holiday_is_not_counted():
    # Starting on a holiday: Thu 2026-10-01 → the 1st business day after is Thu 10-08.
    assert add_business_days_with(D(2026, 10, 1), 1).date == D(2026, 10, 8)


def test_zero_days_is_the_day_itself_and_negative_is_refused():
    assert add_business_days_with(D(2026, 2, 15), 0) == BusinessDate(D(2026, 2, 15), False)
    with pytest.raises(ValueError):
        add_business_days_with(D(2026, 2, 15), -1)


def test_a_2027_date_is_estimated_on_weekends_only_without_crashing():
    # chinese-calendar stops at 2026. Fri 2027-02-05 → Mon 08 (1), Tue 09 (2), Wed 10 (3),
    # although the real Spring Festival 2027 will fall in that week: hence "estimated".
    result = add_business_days_with(D(2027, 2, 5), 3)
    assert result == BusinessDate(D(2027, 2, 10), True, (2027,))
    assert explain(result) == (
        "2027 年节假日尚未公布，按周末估算 / 2027 holidays not yet published: "
        "estimated on weekends only"
    )


def test_crossing_into_an_unpublished_year_marks_only_that_year():
    # Wed 2026-12-30 → Thu 12-31 (1, known), Fri 2027-01-01 (2, estimated — New Year's Day
    # will really be a holiday), [Sat, Sun], Mon 2027-01-04 (3).
    result = add_business_days_with(D(2026, 12, 30), 3)
    assert result == BusinessDate(D(2027, 1, 4), True, (2027,))


def test_a_known_date_has_no_estimate_note():
    assert explain(BusinessDate(D(2026, 2, 25), False)) == ""


def test_an_override_beats_the_package():
    # Sat 2026-03-07 is an ordinary weekend; the table makes it a working day.
    overrides = {D(2026, 3, 7): True}
    assert is_business_day_with(D(2026, 3, 7)) == (False, False)
    assert is_business_day_with(D(2026, 3, 7), overrides) == (True, False)
    # Fri 03-06 → Sat 03-07 is now the 1st business day after.
    assert add_business_days_with(D(2026, 3, 6), 1, overrides).date == D(2026, 3, 7)


@pytest.mark.parametrize(
    "day",
    [D.min, D.max, D(2003, 12, 31), D(2004, 1, 1), D(2026, 12, 31), D(2027, 1, 1), D(2100, 2, 1)],
)
def test_it_never_raises_for_any_date(day):
    working, estimated = is_business_day_with(day)
    assert isinstance(working, bool) and isinstance(estimated, bool)
    assert estimated == (not 2004 <= day.year <= 2026)


def test_it_accepts_a_datetime_as_its_date():
    assert add_business_days_with(dt.datetime(2026, 2, 13, 18, 30), 3).date == D(2026, 2, 25)


# --- the table-backed functions --------------------------------------------------------------


@pytest.mark.django_db
def test_the_table_backed_function_agrees_with_the_package(django_assert_num_queries):
    with django_assert_num_queries(1):
        result = add_business_days(D(2026, 2, 13), 3)
    assert result == BusinessDate(D(2026, 2, 25), False)


@pytest.mark.django_db
def test_a_holiday_row_in_2027_changes_the_answer():
    # Without a row: Fri 2027-02-05 + 3 = Wed 02-10, estimated.
    assert add_business_days(D(2027, 2, 5), 3) == BusinessDate(D(2027, 2, 10), True, (2027,))
    Holiday.objects.create(date=D(2027, 2, 8), is_workday=False, name="春节")
    # Mon 02-08 is now a holiday: Tue 09 (1), Wed 10 (2), Thu 11 (3). A year with rows in the
    # table counts as published (docs/decisions.md), so the answer is no longer estimated.
    assert add_business_days(D(2027, 2, 5), 3) == BusinessDate(D(2027, 2, 11), False)
    assert is_business_day(D(2027, 2, 8)) == (False, False)
    assert is_business_day(D(2027, 2, 9)) == (True, False)


@pytest.mark.django_db
def test_a_holiday_row_overrides_a_known_year():
    # Declare Wed 2026-02-25 a holiday (say an extra day of Spring Festival): Fri 02-13 + 3 →
    # Sat 02-14 (1), Tue 02-24 (2), Thu 02-26 (3).
    Holiday.objects.create(date=D(2026, 2, 25), is_workday=False, name="加休")
    assert add_business_days(D(2026, 2, 13), 3) == BusinessDate(D(2026, 2, 26), False)


@pytest.mark.django_db
def test_a_holiday_row_makes_a_saturday_a_working_day():
    # Fri 2026-03-06 + 1 is Mon 03-09 until Sat 03-07 is declared a working day.
    assert add_business_days(D(2026, 3, 6), 1).date == D(2026, 3, 9)
    Holiday.objects.create(date=D(2026, 3, 7), is_workday=True, name="调休上班")
    assert is_business_day(D(2026, 3, 7)) == (True, False)
    assert add_business_days(D(2026, 3, 6), 1) == BusinessDate(D(2026, 3, 7), False)


@pytest.mark.django_db
def test_it_loads_the_table_once_even_for_a_long_run_of_holidays(django_assert_num_queries):
    # A 2027 table with 60 holidays in a row: the first window is too short, one more query.
    Holiday.objects.bulk_create(
        Holiday(date=D(2027, 3, 1) + dt.timedelta(days=i), is_workday=False) for i in range(60)
    )
    with django_assert_num_queries(2):
        result = add_business_days(D(2027, 2, 26), 1)
    # Fri 02-26 → 03-01 … 04-29 are holidays, Fri 04-30 is the 1st business day.
    assert result == BusinessDate(D(2027, 4, 30), False)
    with django_assert_num_queries(1):
        add_business_days(D(2027, 6, 1), 3)


@pytest.mark.django_db
@pytest.mark.parametrize("day", [D.min, D(2003, 5, 1), D(2027, 1, 1), D(9999, 12, 30)])
def test_the_table_backed_function_never_raises(day):
    working, estimated = is_business_day(day)
    assert estimated and working == (day.weekday() < 5)
