"""The programme dashboard on a small hand-made data set (SPEC §4, §5, §7, §8, R-ATT-5)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from huoban import clock
from huoban.customers.inbound import record_inbound_contact
from tests.console.helpers import TODAY, project_for
from tests.leads.helpers import judge, submit
from tests.portal.helpers import client_for
from tests.projects.helpers import pay

pytestmark = pytest.mark.django_db

TZ = clock.local_tz()


def _data_set(actors):
    """March 2026: two leads (one judged within its 24 h, one left overdue); a 300,000 project
    signed in January, paid 100,000 (confirmation 24,000.00); one inbound contact routed back
    to alpha, one unowned."""
    with clock.frozen(dt.datetime(2026, 3, 10, 9, 0, tzinfo=TZ)):
        judged = submit(actors.alice, "东义集团")
    with clock.frozen(dt.datetime(2026, 3, 10, 10, 0, tzinfo=TZ)):
        judge(actors.officer, judged)
    with clock.frozen(dt.datetime(2026, 3, 11, 9, 0, tzinfo=TZ)):
        submit(actors.bob, "晋能控股")
    with clock.frozen(TODAY):
        project = project_for(actors)  # signed 2026-01-05, alpha, light
        pay(actors.finance, project, "100000.00", dt.date(2026, 3, 2), "HK-1")
    with clock.frozen(dt.datetime(2026, 4, 2, 9, 0, tzinfo=TZ)):
        record_inbound_contact(name="晋城华东机械制造有限公司", actor=actors.presales)
        record_inbound_contact(name="无名客户有限公司", referral_answer="no", actor=actors.presales)


def _kpi(page: str, name: str) -> str:
    match = re.search(rf'id="kpi-{name}">([^<]*)<', page)
    assert match, name
    return match.group(1).strip()


def test_the_dashboard_shows_the_figures_of_the_data_set(actors, today):
    _data_set(actors)
    response = client_for(actors.finance).get("/console/dashboard/?year=2026")
    assert response.status_code == 200
    page = response.content.decode()
    assert _kpi(page, "leads") == "2"
    assert _kpi(page, "sla") == "50.0%"  # 1 on time of 1 judged + 1 overdue open
    assert _kpi(page, "signed") == "¥300,000.00"
    assert _kpi(page, "inbound") == "2 / 1"  # two contacts, one routed back
    assert _kpi(page, "owed") == "¥24,000.00"
    assert _kpi(page, "paid") == "¥0.00"
    data = json.loads(
        re.search(
            r'<script id="chart-data" type="application/json">(.*?)</script>', page, re.S
        ).group(1)
    )
    assert data["months"][:3] == ["2026-01", "2026-02", "2026-03"]
    assert data["leads"][2] == 2
    assert data["compliance"][2] == 50.0
    assert data["signed"][0] == "300000.00"
    assert data["partners_by_tier"][0] == 2  # alpha and beta, both light
    assert data["inbound"][3] == 2 and data["routed_back"][3] == 1
    assert data["commission"] == {"owed": "24000.00", "paid": "0.00"}
    # the tables are there for a browser without JavaScript
    assert 'id="tier-table"' in page
    assert "¥300,000.00" in page


def test_staff_outside_finance_see_no_commission_on_the_dashboard(actors, today):
    _data_set(actors)
    page = client_for(actors.officer).get("/console/dashboard/").content.decode()
    assert 'id="kpi-owed"' not in page
    assert "24,000.00" not in page
    assert '"commission": null' in page
    assert _kpi(page, "signed") == "¥300,000.00"


def test_the_monthly_figures_equal_the_reports_of_each_month(actors, today):
    from huoban.customers.inbound import inbound_by_month, inbound_report
    from huoban.leads.services import sla_by_month, sla_report

    _data_set(actors)
    start = dt.datetime(2026, 1, 1, tzinfo=TZ)
    end = dt.datetime(2027, 1, 1, tzinfo=TZ)
    by_month = sla_by_month(start, end)
    assert set(by_month) == {"2026-03"}
    march = sla_report(dt.datetime(2026, 3, 1, tzinfo=TZ), dt.datetime(2026, 4, 1, tzinfo=TZ))
    assert by_month["2026-03"] == march and march["compliance_percent"] == 50
    inbound = inbound_by_month(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert inbound == {"2026-04": inbound_report(dt.date(2026, 4, 1), dt.date(2026, 4, 30))}


def test_the_dashboard_runs_a_fixed_number_of_queries(actors, today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(actors.admin)
    client.get("/console/dashboard/?year=2026")
    with CaptureQueriesContext(connection) as empty:
        client.get("/console/dashboard/?year=2026")
    _data_set(actors)
    with CaptureQueriesContext(connection) as full:
        client.get("/console/dashboard/?year=2026")
    # Grouped queries, not one report per month: was over a hundred (three of them the
    # partners with a meeting past due, R-MEET-2).
    assert len(full) == len(empty) <= 18
