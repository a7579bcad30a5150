"""lead.sla_due (R-NOTE-1): 4 hours before a verdict is due, `huoban tick` tells the judges,
once per lead however often it runs (issue #14)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command

from huoban import clock
from huoban.notifications.models import Notification
from tests.leads.helpers import judge, submit
from tests.notifications.helpers import told

T0 = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai, a Friday


def tick_at(moment: dt.datetime) -> str:
    out = io.StringIO()
    with clock.frozen(moment):
        call_command("tick", stdout=out)
    return out.getvalue()


def test_the_judges_are_reminded_once_four_hours_before_the_verdict_is_due(actors):
    with clock.frozen(T0):
        lead = submit(actors.alice, "东义集团")
    due = lead.sla_due_at
    # 4 h 1 min before: not yet
    assert "0 reminded" in tick_at(due - dt.timedelta(hours=4, minutes=1))
    assert told("lead.sla_due") == {}
    # 3 h 59 min before: the officers and presales, never the partner
    assert "1 reminded" in tick_at(due - dt.timedelta(hours=3, minutes=59))
    reminded = told("lead.sla_due")
    assert set(reminded) == {"olivia", "oscar", "peter"}
    [n] = reminded["olivia"]
    local_due = due.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")
    partner = f"阿尔法咨询有限公司 {actors.alpha.code}"
    assert n.title == f"线索 #{lead.pk} 东义集团（{partner}）将于 {local_due} 超时，请尽快评估"
    assert n.link == f"/console/leads/{lead.pk}/"
    # the next hours' ticks say nothing more
    assert "0 reminded" in tick_at(due - dt.timedelta(hours=2))
    assert "0 reminded" in tick_at(due - dt.timedelta(minutes=1))
    assert Notification.objects.filter(event="lead.sla_due").count() == 3


def test_a_judged_lead_or_an_overdue_one_is_not_reminded(actors):
    with clock.frozen(T0):
        judged = judge(actors.officer, submit(actors.alice, "东义集团"))
    with clock.frozen(T0 + dt.timedelta(hours=6)):
        late = submit(actors.alice, "云岭茶业股份有限公司")
    assert "0 reminded" in tick_at(judged.sla_due_at - dt.timedelta(hours=1))
    # a tick that first runs after the due time flags the lead overdue, no "due soon" reminder
    out = tick_at(late.sla_due_at + dt.timedelta(minutes=5))
    assert "0 reminded" in out and "1 newly overdue" in out
    assert told("lead.sla_due") == {}


def test_a_tick_as_of_a_date_runs_at_nine_in_the_morning(actors):
    # --date keeps its meaning (09:00 local time that day), for catch-ups and tests
    with clock.frozen(T0):
        lead = submit(actors.alice, "东义集团")
    out = io.StringIO()
    call_command("tick", date="2026-11-21", stdout=out)  # 09:00 on the 21st: due at 10:00
    assert lead.sla_due_at == dt.datetime(2026, 11, 21, 2, 0, tzinfo=dt.UTC)
    assert "1 reminded" in out.getvalue()
