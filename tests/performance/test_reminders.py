"""Performance reminders from `huoban tick` (R-HLTH-2, R-RISK-1; issue #16): last month's health
missing after the 5th business day, a risk past its review — each once."""

from __future__ import annotations

import datetime as dt

import pytest

from huoban import clock
from huoban.notifications.models import OutboxEvent
from huoban.performance.meetings import mark_action_done, record_meeting
from huoban.performance.reminders import health_due_on, remind_performance
from huoban.performance.risks import raise_risk
from huoban.performance.services import record_health

pytestmark = pytest.mark.django_db

RATINGS = dict.fromkeys(("trust", "communication", "benefit", "risk", "long_term"), "good")


def test_the_fifth_business_day():
    # November 2026 ends on Mon 11-30: Tue 12-01 … Fri 12-04 are the 1st to 4th, Mon 12-07 the 5th
    assert health_due_on(2026, 11) == dt.date(2026, 12, 7)


def test_health_is_reminded_after_the_fifth_business_day_once(actors):
    due = health_due_on(2026, 11)
    with clock.frozen(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)):
        record_health(actors.alpha.code, period="2026-10", ratings=RATINGS, actor=actors.officer)
    assert "0 partners" in remind_performance(due)  # on the due day: not yet
    line = remind_performance(due + dt.timedelta(days=1))
    assert line.startswith("performance: 2 partners reminded")  # alpha and beta
    assert "0 partners" in remind_performance(due + dt.timedelta(days=2))  # once
    events = OutboxEvent.objects.filter(event="health.due")
    assert events.count() == 2 and actors.officer.pk in events.first().recipients


def test_a_risk_past_its_review_is_reminded_once(actors):
    with clock.frozen(dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)):
        risk = raise_risk(actors.alpha.code, title="分成比例未定", category="revenue_share",
                          level="high", actor=actors.officer)  # fmt: skip
    assert risk.next_review == dt.date(2026, 12, 14)
    assert "0 risks" in remind_performance(dt.date(2026, 12, 14))
    assert "1 risks" in remind_performance(dt.date(2026, 12, 15))
    assert "0 risks" in remind_performance(dt.date(2026, 12, 16))


def test_an_overdue_meeting_is_reminded_once(actors):
    from huoban.profiles.services import assess_criticality

    with clock.frozen(dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC)):
        assess_criticality(
            actors.alpha.code, strategic_value=2, substitutability="normal", actor=actors.officer
        )  # ★2 → B: quarterly
    assert "0 meetings" in remind_performance(dt.date(2026, 12, 1))  # due 12-01: not yet
    assert "1 meetings" in remind_performance(dt.date(2026, 12, 2))
    assert "0 meetings" in remind_performance(dt.date(2026, 12, 3))


def test_an_overdue_action_item_is_reminded_once_until_done(actors):
    with clock.frozen(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)):
        meeting = record_meeting(
            actors.alpha.code, kind="business", held_on=dt.date(2026, 11, 20),
            actions=[{"text": "提交运维月报模板", "owner": "王博士", "due_on": "2026-11-30"},
                     {"text": "确认知识产权归属", "owner": "刘婷", "due_on": "2026-12-15"}],
            actor=actors.officer,
        )  # fmt: skip
    assert "0 action items" in remind_performance(dt.date(2026, 11, 30))  # due that day
    assert "1 action items overdue" in remind_performance(dt.date(2026, 12, 1))
    assert "0 action items" in remind_performance(dt.date(2026, 12, 2))  # once
    event = OutboxEvent.objects.filter(event="meeting.due").latest("id")
    data = event.message["data"]
    assert data["reason"] == "action_item" and data["meeting_id"] == meeting.pk
    with clock.frozen(dt.datetime(2026, 12, 16, 10, tzinfo=dt.UTC)):
        mark_action_done(meeting.pk, 1, actor=actors.officer)
    assert "0 action items" in remind_performance(dt.date(2026, 12, 20))  # the other is done
