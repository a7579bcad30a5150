"""Meetings (SPEC §10.11, R-MEET-1/2; issue #16): the cadence from the criticality grade and an
active co-delivery, each due one cadence after the last meeting of its kind; records with
action items; bad input changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from huoban import clock
from huoban.partners.models import PartnerStatus
from huoban.performance.meetings import overdue_meetings, schedule, schedules
from huoban.performance.models import Meeting
from huoban.performance.rules import meeting_schedule
from huoban.profiles.services import assess_criticality
from huoban.sharing.services import add_share
from tests.projects.helpers import sign

D = dt.date


def test_the_cadences_by_grade():
    today = D(2026, 12, 7)
    s = meeting_schedule("S", None, {"business": D(2026, 11, 10)}, D(2026, 9, 1), today)
    assert [(d.kind, d.next_due, d.overdue) for d in s] == [
        ("executive", D(2026, 12, 1), True),  # graded 09-01 + 3 months, none held
        ("business", D(2026, 12, 10), False),  # 11-10 + 1 month
        ("workshop", D(2027, 3, 1), False),  # 09-01 + 6 months
    ]
    a = meeting_schedule("A", D(2026, 12, 1), {}, D(2026, 12, 1), today)
    assert [(d.kind, d.next_due) for d in a] == [
        ("business", D(2027, 1, 1)), ("commercial", D(2027, 3, 1)), ("project", D(2026, 12, 8)),
    ]  # fmt: skip
    assert meeting_schedule("C", None, {}, today, today) == []
    assert [d.kind for d in meeting_schedule("B", None, {}, today, today)] == ["business"]


@pytest.mark.django_db
def test_through_the_api(actors, api_client):
    code = actors.alpha.code
    with clock.frozen(dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC)):
        assess_criticality(
            code, strategic_value=5, substitutability="normal", actor=actors.officer
        )  # fmt: skip  (★5 → S)
    with clock.frozen(dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)):
        project = sign(actors.officer, actors.beta, "300000.00", name="贝塔客户有限公司")
        add_share(project.pk, partner_code=code, share="0.20", actor=actors.officer)
        url = f"/api/v1/partners/{code}/meetings"
        status, meeting = api_client.as_(actors.officer).post(
            url,
            {"kind": "business", "held_on": "2026-11-10", "ours": "刘婷", "theirs": "王博士",
             "decisions": "下月上线", "actions": [{"text": "提交部署方案", "owner": "王博士",
                                                    "due_on": "2026-11-20"}]},
        )  # fmt: skip
        assert status == 201 and meeting["actions"][0]["due_on"] == "2026-11-20"
        listed = api_client.as_(actors.pm).get(url)[1]
        due = {d["kind"]: (d["next_due"], d["overdue"]) for d in listed["schedule"]}
        assert due == {
            "executive": ("2026-12-01", True),
            "business": ("2026-12-10", False),
            "workshop": ("2027-03-01", False),
            "project": ("2026-12-14", False),  # co-delivering since today, weekly
        }
        for body, field in (
            ({"kind": "party", "held_on": "2026-11-10"}, "kind"),
            ({"kind": "business", "held_on": "2026-12-31"}, "held_on"),
        ):
            status, answer = api_client.as_(actors.officer).post(url, body)
            assert status == 422 and field in answer["detail"]
        assert api_client.as_(actors.pm).post(url, {"kind": "business",
                                                    "held_on": "2026-11-10"})[0] == 403  # fmt: skip
        assert api_client.as_(actors.alice).get(url)[0] == 403
    assert Meeting.objects.count() == 1


@pytest.mark.django_db
def test_overdue_meetings_across_partners(actors):
    """R-MEET-2 for the dashboard, the case queue and tick: the grouped schedule gives each
    partner what its own page gives it; only the partners with a meeting past due are listed,
    an exited partner never."""
    with clock.frozen(dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC)):
        for partner in (actors.alpha, actors.beta):
            assess_criticality(
                partner.code, strategic_value=5, substitutability="normal", actor=actors.officer
            )  # fmt: skip  (★5 → S)
    today = D(2026, 12, 7)
    with clock.frozen(dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)):
        Meeting.objects.create(partner=actors.beta, kind="executive", held_on=D(2026, 11, 30),
                               recorded_by=actors.officer, recorded_at=clock.now())  # fmt: skip
    grouped = schedules(today)
    for partner in (actors.alpha, actors.beta):
        assert grouped[partner.pk] == schedule(partner, today)
    # both graded S on 09-01 with no meeting: the quarterly executive review due 12-01 and the
    # monthly business review due 10-01 are late; beta held its executive review on 11-30
    # (next due 2027-02-28), so only its business review is
    late = overdue_meetings(today)
    assert {pk: [d.kind for d in due] for pk, due in late.items()} == {
        actors.alpha.pk: ["executive", "business"],
        actors.beta.pk: ["business"],
    }
    actors.alpha.status = PartnerStatus.EXITED
    actors.alpha.save(update_fields=["status"])
    assert set(overdue_meetings(today)) == {actors.beta.pk}
