"""Agreement reminders from `huoban tick` (SPEC §10.4 R-AGR-3, R-NOTE-1; issue #15): 60 and 30
days before the end, on the anniversary, after 10 business days of waiting — each once."""

from __future__ import annotations

import datetime as dt

import pytest

from huoban import clock
from huoban.agreements.reminders import due_anniversary, expiry_window, remind_agreements
from huoban.agreements.services import approve_agreement, draft_agreement, review_agreement
from huoban.notifications.models import OutboxEvent

pytestmark = pytest.mark.django_db


def approved(actors, starts_on, ends_on):
    a = draft_agreement(
        actors.alpha.code, kind="supply", starts_on=starts_on, ends_on=ends_on, actor=actors.officer
    )
    review_agreement(a.pk, note="", actor=actors.legal)
    return approve_agreement(a.pk, actor=actors.gm)


@pytest.mark.parametrize(
    ("day", "window"),
    [
        (dt.date(2026, 10, 31), None),  # 61 days left
        (dt.date(2026, 11, 1), 60),  # 60 days left
        (dt.date(2026, 12, 1), 30),  # 30 days left
        (dt.date(2026, 12, 31), 30),  # the last day
        (dt.date(2027, 1, 1), None),  # ended
    ],
)
def test_the_expiry_windows(day, window):
    assert expiry_window(dt.date(2026, 12, 31), day) == window


def test_the_anniversary_is_due_within_thirty_days():
    start, end = dt.date(2025, 3, 1), dt.date(2027, 2, 28)
    assert due_anniversary(start, end, dt.date(2026, 3, 1)) == dt.date(2026, 3, 1)
    assert due_anniversary(start, end, dt.date(2026, 3, 31)) == dt.date(2026, 3, 1)
    assert due_anniversary(start, end, dt.date(2026, 4, 1)) is None
    assert due_anniversary(start, end, dt.date(2025, 3, 10)) is None  # the start is no anniversary


def test_each_reminder_goes_once_to_officers_legal_and_the_gm(actors):
    with clock.frozen(dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)):
        approved(actors, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert remind_agreements(dt.date(2026, 11, 1)).expiring == 1
    assert remind_agreements(dt.date(2026, 11, 1)).expiring == 0  # tick again: nothing
    assert remind_agreements(dt.date(2026, 11, 15)).expiring == 0  # same window
    assert remind_agreements(dt.date(2026, 12, 2)).expiring == 1  # the 30-day one
    events = OutboxEvent.objects.filter(event="agreement.expiring").order_by("pk")
    assert events.count() == 2
    assert set(events[0].recipients) == {actors.officer.pk, actors.officer2.pk, actors.legal.pk,
                                         actors.gm.pk}  # fmt: skip
    assert "2026-12-31" in events[0].message["title"]


def test_the_yearly_review_and_the_long_wait(actors):
    with clock.frozen(dt.datetime(2025, 3, 1, 10, tzinfo=dt.UTC)):
        approved(actors, dt.date(2025, 3, 1), dt.date(2027, 2, 28))
    assert remind_agreements(dt.date(2026, 3, 3)).yearly == 1
    assert remind_agreements(dt.date(2026, 3, 4)).yearly == 0
    # a draft of Friday 2026-02-13 is late from 03-06 (10 business days, R-CAL-3): legal hears
    with clock.frozen(dt.datetime(2026, 2, 13, 10, tzinfo=dt.UTC)):
        draft_agreement(
            actors.alpha.code, kind="channel", starts_on=dt.date(2026, 3, 1),
            ends_on=dt.date(2027, 2, 28), actor=actors.officer,
        )  # fmt: skip
    assert remind_agreements(dt.date(2026, 3, 5)).waiting == 0
    assert remind_agreements(dt.date(2026, 3, 6)).waiting == 1
    assert remind_agreements(dt.date(2026, 3, 9)).waiting == 0
    [late] = [
        e for e in OutboxEvent.objects.filter(event="agreement.review_due")
        if "法务" in e.message["title"]
    ]  # fmt: skip
    assert late.recipients == [actors.legal.pk]


def test_legal_then_the_gm_are_told_when_it_is_their_turn(actors):
    # R-AGR-2 with R-NOTE-1: a draft goes to legal, a reviewed agreement to the gm
    a = draft_agreement(
        actors.alpha.code, kind="supply", starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31), actor=actors.officer,
    )  # fmt: skip
    review_agreement(a.pk, note="", actor=actors.legal)
    submitted = list(OutboxEvent.objects.filter(event="agreement.submitted").order_by("pk"))
    assert [(e.recipients, e.message["data"]["status"]) for e in submitted] == [
        ([actors.legal.pk], "draft"),
        ([actors.gm.pk], "reviewed"),
    ]
    assert "待法务审核" in submitted[0].message["title"]
    assert "waits for the general manager's approval" in submitted[1].message["title_en"]
    assert submitted[1].message["link"] == f"/console/agreements/{a.pk}/"
