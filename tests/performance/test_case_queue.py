"""Open cases and late risks where officers look (R-CRIS-6, R-RISK-1; issue #16): the case
queue page and its API, the officer's home cards and the dashboard's relationships section."""

from __future__ import annotations

import datetime as dt

import pytest

from huoban import clock
from huoban.notifications.models import OutboxEvent
from huoban.performance.cases import (
    record_data_breach,
    record_ownership_change,
    remind_due_cases,
)
from huoban.performance.models import Risk
from huoban.performance.risks import raise_risk
from huoban.performance.services import record_scorecard
from huoban.profiles.services import assess_criticality
from tests.portal.helpers import client_for

pytestmark = pytest.mark.django_db

DECEMBER = dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)


def _world(actors):
    with clock.frozen(dt.datetime(2026, 10, 1, 10, tzinfo=dt.UTC)):  # due 2026-10-31: late now
        record_ownership_change(actors.alpha.code, changed_on=dt.date(2026, 10, 1),
                                new_owner="晋商投资集团", actor=actors.officer)  # fmt: skip
        raise_risk(actors.alpha.code, title="技术依赖", category="technology", level="high",
                    actor=actors.officer)  # fmt: skip
    with clock.frozen(DECEMBER):
        record_data_breach(actors.beta.code, detected_on=dt.date(2026, 12, 6),
                           description="泄露", actor=actors.officer)  # fmt: skip


def test_the_queue_lists_open_cases_earliest_due_first_with_late_ones_marked(actors, api_client):
    _world(actors)
    with clock.frozen(DECEMBER):
        status, page = api_client.as_(actors.pm).get("/api/v1/cases?status=open")
        assert status == 200 and page["count"] == 2
        assert [c["trigger"] for c in page["items"]] == ["ownership_change", "data_breach"]
        status, page = api_client.as_(actors.officer).get("/api/v1/cases?trigger=data_breach")
        assert (status, page["count"], page["items"][0]["partner_code"]) == (
            200, 1, actors.beta.code,
        )  # fmt: skip
        assert api_client.as_(actors.officer).get("/api/v1/cases?status=shut")[0] == 422
        assert api_client.as_(actors.alice).get("/api/v1/cases")[0] == 403
        html = client_for(actors.officer).get("/console/cases/").content.decode()
    table = html[html.index('id="cases"') :]
    assert table.index("股权变更") < table.index("数据泄露")
    assert table.count("已逾期") == 1  # the ownership decision was due 2026-10-31
    assert "技术依赖" in html  # its high-risk response was due within 5 business days


def test_the_officers_home_and_the_dashboard_count_them(actors):
    _world(actors)
    with clock.frozen(DECEMBER):  # November 64.0 → unqualified
        record_scorecard(actors.alpha.code, period="2026-11", actor=actors.officer, kpis=[
            {"name": "签约量", "direction": "higher", "target": 500, "actual": 320}])  # fmt: skip
    assert Risk.objects.get().next_review < dt.date(2026, 12, 7)
    with clock.frozen(DECEMBER):
        home = client_for(actors.officer).get("/console/home/").content.decode()
        board = client_for(actors.gm).get("/console/dashboard/").content.decode()
        finance_home = client_for(actors.finance).get("/console/home/").content.decode()
    assert "处理中的危机事件" in home and "已过复核日的风险" in home
    assert "处理中的危机事件" not in finance_home
    assert 'id="relationships"' in board
    assert 'id="blocked-count">1<' in board and 'id="high-risks">1<' in board
    assert 'id="late-risk-count">1<' in board
    bands = board[board.index('id="scorecard-bands"') :]
    assert "不合格 1" in bands[: bands.index("</div>")]  # alpha's November, a total below 80


def test_a_case_past_its_due_date_reminds_its_owner_once(actors):
    _world(actors)  # the ownership decision was due 2026-10-31; the breach is due 2027-01-05
    with clock.frozen(DECEMBER):
        assert remind_due_cases(dt.date(2026, 12, 7)) == 1
        assert remind_due_cases(dt.date(2026, 12, 7)) == 0
    event = OutboxEvent.objects.get(event="case.due")
    assert event.message["data"]["trigger"] == "ownership_change"
    assert event.message["data"]["due_on"] == "2026-10-31"
    # alpha has no account manager: the officers are told
    assert set(event.recipients) == {actors.officer.pk, actors.officer2.pk}


def test_partners_with_a_meeting_past_due_are_counted_and_listed(actors):
    """R-MEET-2: alpha graded S on 09-01 with no meeting held — its monthly business review
    was due 10-01 and its quarterly executive review 12-01; beta has no grade and nothing due."""
    with clock.frozen(dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC)):
        assess_criticality(actors.alpha.code, strategic_value=5, substitutability="normal",
                           actor=actors.officer)  # fmt: skip
    with clock.frozen(DECEMBER):
        board = client_for(actors.gm).get("/console/dashboard/").content.decode()
        queue = client_for(actors.officer).get("/console/cases/").content.decode()
    assert 'id="late-meeting-count">1<' in board
    late = queue[queue.index('id="late-meetings"') :]
    assert "会议逾期的伙伴：1 家" in late and actors.alpha.name in late
    assert "2026-10-01" in late and "2026-12-01" in late and actors.beta.name not in late
