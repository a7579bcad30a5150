"""Meetings in the console (R-MEET-1/2, R-UI-1; issue #16): an S-grade partner's cadence, the
officer records a business review with action items, the partner page flags what is overdue."""

from __future__ import annotations

import datetime as dt

from huoban import clock
from huoban.performance.models import Meeting
from huoban.profiles.services import assess_criticality
from tests.portal.helpers import client_for


def test_record_a_meeting_and_see_the_cadence(actors):
    code = actors.alpha.code
    with clock.frozen(dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC)):
        assess_criticality(code, strategic_value=5, substitutability="normal",
                           actor=actors.officer)  # fmt: skip
    url = f"/console/partners/{code}/meetings/"
    officer = client_for(actors.officer)
    with clock.frozen(dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)):
        page = officer.get(f"/console/partners/{code}/").content.decode()
        assert "2 项会议逾期" in page  # S, none held: executive due 12-01, business 10-01
        bad = officer.post(url, {"kind": "business", "held_on": "2026-12-01",
                                 "actions": "提交方案，王博士，12月20日"})  # fmt: skip
        assert bad.status_code == 422 and not Meeting.objects.exists()
        body = {
            "kind": "business",
            "held_on": "2026-12-01",
            "ours": "刘婷",
            "theirs": "王博士",
            "minutes": "复盘 11 月交付",
            "actions": "提交部署方案，王博士，2026-12-20",
        }
        assert officer.post(url, body).status_code == 302
        meeting = Meeting.objects.get()
        assert meeting.actions == [
            {"text": "提交部署方案", "owner": "王博士", "due_on": "2026-12-20", "done_on": None}
        ]
        html = officer.get(url).content.decode()
        assert "2027-01-01" in html  # the next business review, a month after 12-01
        assert client_for(actors.pm).post(url, body).status_code == 403


def test_an_action_item_is_marked_done_once(actors):
    from huoban.performance.meetings import record_meeting

    code = actors.alpha.code
    with clock.frozen(dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)):
        meeting = record_meeting(
            code, kind="business", held_on=dt.date(2026, 12, 1), actor=actors.officer,
            actions=[{"text": "提交部署方案", "owner": "王博士", "due_on": "2026-12-20"}],
        )  # fmt: skip
        url = f"/console/partners/{code}/meetings/{meeting.pk}/actions/0/done/"
        assert client_for(actors.pm).post(url).status_code == 403
        assert client_for(actors.officer).post(url).status_code == 302
        meeting.refresh_from_db()
        assert meeting.actions[0]["done_on"] == "2026-12-07"
        assert client_for(actors.officer).post(url).status_code == 409  # once
        missing = f"/console/partners/{code}/meetings/{meeting.pk}/actions/5/done/"
        assert client_for(actors.officer).post(missing).status_code == 404
