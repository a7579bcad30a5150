"""The holiday table kept in the console (issue #12, R-CAL-2, R-CAL-3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from huoban import calendar
from huoban.audit.models import AuditEvent
from huoban.core.models import Holiday
from huoban.errors import Forbidden, ValidationFailed
from huoban.holidays import delete_holiday, import_holidays, parse_line, set_holiday

pytestmark = pytest.mark.django_db

# A made-up 2027 Spring Festival (the State Council has not published 2027): Mon 02-08 to
# Wed 02-10 off, Saturday 02-20 a make-up working day. chinese-calendar does not know 2027.
YEAR_2027 = """
2027-02-08 春节 休
2027-02-09 春节 休
2027-02-10,春节,休
2027-02-20	春节调休	班
"""


def _counts():
    return Holiday.objects.count(), AuditEvent.objects.count()


def test_parse_line_reads_both_orders_and_both_languages():
    assert parse_line("2027-02-20 班 春节调休") == parse_line("2027-02-20,春节调休,work")
    line = parse_line("2027/10/01 国庆节 休")
    assert (line.date, line.is_workday, line.name) == (dt.date(2027, 10, 1), False, "国庆节")
    with pytest.raises(ValueError, match="休"):
        parse_line("2027-10-01 国庆节")


def test_a_pasted_year_makes_2027_due_dates_exact(actors):
    # Before: 2027 is unknown to chinese-calendar, so 3 business days after Fri 2027-02-05 are
    # the weekdays 02-08, 02-09, 02-10 → 2027-02-10, estimated.
    before = calendar.add_business_days(dt.date(2027, 2, 5), 3)
    assert (before.date, before.estimated) == (dt.date(2027, 2, 10), True)
    assert import_holidays(YEAR_2027, year=2027, actor=actors.admin) == 4
    # After: 02-08..02-10 are off, so 02-11 (Thu) is the 1st, 02-12 (Fri) the 2nd and
    # 02-15 (Mon) the 3rd business day.
    after = calendar.add_business_days(dt.date(2027, 2, 5), 3)
    assert after.date == dt.date(2027, 2, 15)
    # The make-up Saturday 02-20 counts: 5 business days after Fri 02-19 end on Thu 02-25
    # (02-20, 02-22, 02-23, 02-24, 02-25).
    assert calendar.add_business_days(dt.date(2027, 2, 19), 5).date == dt.date(2027, 2, 25)
    assert AuditEvent.objects.filter(action="holiday.import").count() == 1


def test_one_bad_line_imports_nothing_and_names_every_bad_line(actors):
    before = _counts()
    with pytest.raises(ValidationFailed) as e:
        import_holidays(
            "2027-02-08 春节 休\n2027-13-01 休\n2026-12-31 元旦 休\n2027-02-08 春节 班",
            year=2027,
            actor=actors.admin,
        )
    message = e.value.errors["text"]
    assert "第2行" in message and "第3行" in message and "第4行" in message
    assert "line 3: not in 2027" in message and "same date as line 1" in message
    assert _counts() == before


def test_set_and_delete_one_day(actors):
    set_holiday(dt.date(2027, 1, 1), is_workday=False, name="元旦", actor=actors.admin)
    set_holiday(dt.date(2027, 1, 1), is_workday=False, name="元旦节", actor=actors.admin)
    assert Holiday.objects.get(date=dt.date(2027, 1, 1)).name == "元旦节"
    delete_holiday(dt.date(2027, 1, 1), actor=actors.admin)
    assert not Holiday.objects.exists()
    assert AuditEvent.objects.filter(action__startswith="holiday.").count() == 3


@pytest.mark.parametrize("who", ["officer", "presales", "pm", "finance", "alice"])
def test_only_the_admin_edits_the_table(actors, who):
    before = _counts()
    with pytest.raises(Forbidden):
        set_holiday(dt.date(2027, 1, 1), is_workday=False, actor=getattr(actors, who))
    with pytest.raises(Forbidden):
        import_holidays(YEAR_2027, actor=getattr(actors, who))
    assert _counts() == before


def test_the_page(actors):
    admin = Client()
    admin.force_login(actors.admin)
    response = admin.post("/console/holidays/import/", {"year": "2027", "text": YEAR_2027})
    assert response.status_code == 302 and response["Location"] == "/console/holidays/?year=2027"
    page = admin.get(response["Location"]).content.decode()
    assert "2027-02-20" in page and "春节调休" in page
    response = admin.post("/console/holidays/import/", {"year": "2027", "text": "2027-02-30 休"})
    assert response.status_code == 422 and "第1行" in response.content.decode()
    assert admin.post("/console/holidays/2027-02-20/delete/").status_code == 302
    assert admin.post("/console/holidays/2027-02-20/delete/").status_code == 404

    officer = Client()
    officer.force_login(actors.officer)
    page = officer.get("/console/holidays/?year=2027").content.decode()
    assert "2027-02-08" in page and "粘贴全年安排" not in page
    before = _counts()
    response = officer.post("/console/holidays/", {"date": "2027-05-01", "is_workday": "no"})
    assert response.status_code == 403 and _counts() == before
