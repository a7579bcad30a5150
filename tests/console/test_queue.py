"""The lead queue: by SLA due time, overdue highlighted, waiting leads marked (R-LEAD-3,
R-ATT-3); the second-review queue (R-LEAD-4)."""

from __future__ import annotations

import datetime as dt

import pytest

from huoban import clock
from tests.leads.helpers import INVALID, judge, submit
from tests.portal.helpers import client_for

pytestmark = pytest.mark.django_db


def test_open_leads_are_sorted_by_due_time_and_overdue_ones_highlighted(actors):
    start = clock.now() - dt.timedelta(hours=30)
    with clock.frozen(start):
        old = submit(actors.alice, "东义集团")
    new = submit(actors.bob, "晋南钢铁集团")
    judge(actors.officer, submit(actors.alice, "已判定科技"), INVALID)
    response = client_for(actors.officer).get("/console/")
    rows = response.context["rows"]
    assert [r["lead"].pk for r in rows] == [old.pk, new.pk]
    assert [r["overdue"] for r in rows] == [True, False]
    html = response.content.decode()
    assert "table-overdue" in html
    assert "已判定科技" not in html
    overdue = client_for(actors.officer).get("/console/?view=overdue").context["rows"]
    assert [r["lead"].pk for r in overdue] == [old.pk]


def test_a_later_lead_on_the_same_customer_is_marked_waiting(actors):
    submit(actors.alice, "东义集团")
    later = submit(actors.bob, "东义集团")
    response = client_for(actors.officer).get("/console/")
    waiting = {r["lead"].pk: r["waiting"] for r in response.context["rows"]}
    assert waiting[later.pk] is True
    assert "排队中" in response.content.decode()


def test_the_queue_is_paginated(actors):
    for i in range(21):
        submit(actors.alice, f"测试客户{i:02d}号科技有限公司")
    client = client_for(actors.officer)
    assert len(client.get("/console/").context["rows"]) == 20
    assert len(client.get("/console/?page=2").context["rows"]) == 1


def test_the_review_queue_lists_appealed_leads(actors):
    lead = judge(actors.officer, submit(actors.alice), INVALID)
    from huoban.leads.services import appeal

    appeal(lead.pk, "客户已立项", actor=actors.alice)
    html = client_for(actors.presales).get("/console/reviews/").content.decode()
    assert f"/console/leads/{lead.pk}/" in html
