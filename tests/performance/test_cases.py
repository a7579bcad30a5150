"""Crisis cases opened by a month's scorecard (SPEC §10.8, R-CRIS-1/2/5/6; issue #16): each
trigger exactly at its boundary (below 60%, not at it; above 10%, not at it; below 80), never
twice; a complaints case pauses the partner — no new lead (409, in the portal too), no new
co-delivery — while everything else goes on, until an officer closes it."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import call_command

from huoban import clock
from huoban.leads.models import Lead
from huoban.notifications.models import OutboxEvent
from huoban.partners.models import Partner
from huoban.performance.cases import close_case, evaluate_cases
from huoban.performance.models import Case
from huoban.performance.rules import Kpi, triggers
from huoban.performance.services import record_scorecard, revise_scorecard
from huoban.selection.models import Selection
from huoban.sharing.models import ProjectShare
from tests.leads.helpers import api_lead_body
from tests.portal.helpers import client_for, form_data
from tests.projects.helpers import sign

D = Decimal
DECEMBER = dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)


def kpis(signed, complaints):
    return [
        {"name": "签约量", "direction": "higher", "target": 500, "actual": signed},
        {"name": "投诉率", "direction": "lower", "target": 5, "actual": complaints, "unit": "%",
         "complaint_rate": True},
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("now", "before", "opened"),
    [(D(299), D(299), True), (D(300), D(299), False), (D(299), D(300), False)],
)
def test_performance_drop_needs_two_months_below_60_percent(now, before, opened):
    # 300 of 500 is exactly 60%: not below
    found = triggers(
        [Kpi("签约量", "higher", D(500), now)],
        total=D(100), primary=0, complaint_rate=None,
        previous_primary=Kpi("签约量", "higher", D(500), before),
    )  # fmt: skip
    assert [t.trigger for t in found] == (["performance_drop"] if opened else [])


@pytest.mark.parametrize(
    ("rate", "total", "expected"),
    [
        (D("10.01"), D(100), ["complaints"]),
        (D(10), D(100), []),  # at 10%: not above
        (D(3), D("79.9"), ["unqualified"]),
        (D(3), D(80), []),  # at 80: qualified
    ],
)
def test_complaints_above_ten_percent_and_unqualified_below_80(rate, total, expected):
    found = triggers(
        [Kpi("签约量", "higher", D(500), D(500)), Kpi("投诉率", "lower", D(5), rate)],
        total=total, primary=0, complaint_rate=1, previous_primary=None,
    )  # fmt: skip
    assert [t.trigger for t in found] == expected


@pytest.mark.django_db
def test_a_complaints_month_pauses_the_partner_until_the_case_closes(actors, api_client):
    with clock.frozen(DECEMBER):
        project = sign(actors.officer, actors.beta, "300000.00", name="贝塔客户有限公司")
        card = record_scorecard(
            actors.alpha.code, period="2026-11", kpis=kpis(500, "12"), actor=actors.officer
        )
        # 5 ÷ 12 = 41.7; (100 + 41.7) ÷ 2 = 70.8 → unqualified too
        assert (str(card.total), card.band) == ("70.8", "unqualified")
        assert sorted(Case.objects.values_list("trigger", flat=True)) == [
            "complaints", "unqualified",
        ]  # fmt: skip
        alpha = Partner.objects.get(pk=actors.alpha.pk)
        assert alpha.paused_since == dt.date(2026, 12, 7)
        # the same month corrected (still 12%): nothing opens twice
        revise_scorecard(card.pk, kpis=kpis(500, "12"), note="复核", actor=actors.officer)
        assert Case.objects.count() == 2
        # paused: no new lead (API and portal), no new co-delivery
        status, answer = api_client.as_(actors.alice).post("leads", api_lead_body())
        assert status == 409 and "暂停" in answer["detail"]
        page = client_for(actors.alice).post("/portal/leads/new/", form_data())
        assert page.status_code == 422 and "暂停" in page.content.decode()  # on the form
        status, answer = api_client.as_(actors.officer).post(
            f"/api/v1/projects/{project.pk}/shares",
            {"partner_code": actors.alpha.code, "share": "0.30"},
        )
        assert status == 409 and not ProjectShare.objects.exists()
        assert not Lead.objects.exists()
        # staff see the cases; partner users do not
        listed = api_client.as_(actors.pm).get(f"/api/v1/partners/{actors.alpha.code}/cases")[1]
        assert {i["trigger"] for i in listed["items"]} == {"complaints", "unqualified"}
        assert (
            api_client.as_(actors.alice).get(f"/api/v1/partners/{actors.alpha.code}/cases")[0]
            == 403
        )
        # an officer closes the complaints case: the pause lifts, leads flow again
        complaints = Case.objects.get(trigger="complaints")
        status, answer = api_client.as_(actors.officer).post(
            f"/api/v1/cases/{complaints.pk}/close", {"outcome": "已回访全部客户，补偿到位"}
        )
        assert (status, answer["status"]) == (200, "closed")
        assert Partner.objects.get(pk=actors.alpha.pk).paused_since is None
        assert api_client.as_(actors.alice).post("leads", api_lead_body())[0] == 201


@pytest.mark.django_db
def test_two_months_below_60_percent_open_a_performance_drop_once(actors):
    with clock.frozen(DECEMBER):
        record_scorecard(actors.alpha.code, period="2026-10", kpis=kpis(250, "3"),
                         actor=actors.officer)  # fmt: skip
        assert not Case.objects.filter(trigger="performance_drop").exists()
        record_scorecard(actors.alpha.code, period="2026-11", kpis=kpis(280, "3"),
                         actor=actors.officer)  # fmt: skip
        case = Case.objects.get(trigger="performance_drop")
        assert (case.opened_on, case.due_on) == (dt.date(2026, 12, 7), dt.date(2027, 1, 6))
        assert [s["due_on"] for s in case.steps] == ["2026-12-14", "2026-12-21", "2027-01-06"]
        assert "50.0" in case.reason and "56.0" in case.reason  # 250/500, 280/500
        with pytest.raises(Exception):  # noqa: B017 - the outcome is required
            close_case(case.pk, outcome=" ", actor=actors.officer)
        html = (
            client_for(actors.officer)
            .get(f"/console/partners/{actors.alpha.code}/cases/")
            .content.decode()
        )
        assert "业绩下滑" in html and "联合诊断" in html
        response = client_for(actors.officer).post(
            f"/console/partners/{actors.alpha.code}/cases/{case.pk}/close/",
            {"outcome": "制定整改计划"},
        )
        assert response.status_code == 302
        assert Case.objects.get(pk=case.pk).status == "closed"


@pytest.mark.django_db
def test_still_below_60_percent_after_the_due_date_escalates_to_replacement(actors):
    with clock.frozen(DECEMBER):  # Oct and Nov below 60%: a performance drop due 2027-01-06
        for period, signed in (("2026-10", 250), ("2026-11", 280)):
            record_scorecard(actors.alpha.code, period=period, kpis=kpis(signed, "3"),
                             actor=actors.officer)  # fmt: skip
    drop = Case.objects.get(trigger="performance_drop")
    assert drop.due_on == dt.date(2027, 1, 6)
    with clock.frozen(dt.datetime(2027, 1, 5, 10, tzinfo=dt.UTC)):  # before the due date
        record_scorecard(actors.alpha.code, period="2026-12", kpis=kpis(260, "3"),
                         actor=actors.officer)  # fmt: skip
    assert not Case.objects.filter(trigger="replacement").exists()
    with clock.frozen(dt.datetime(2027, 2, 3, 10, tzinfo=dt.UTC)):  # the first one after it
        record_scorecard(actors.alpha.code, period="2027-01", kpis=kpis(270, "3"),
                         actor=actors.officer)  # fmt: skip
    replacement = Case.objects.get(trigger="replacement")
    selection = Selection.objects.get(pk=replacement.log[0]["selection_id"])
    assert selection.draft and selection.criteria[0]["metric"] == "签约量"
    assert "54.0" in replacement.reason  # 270 ÷ 500
    # R-NOTE-1: an escalation is its own event.
    escalated = OutboxEvent.objects.get(event="case.escalated")
    assert escalated.message["data"]["trigger"] == "replacement"
    with clock.frozen(dt.datetime(2027, 3, 3, 10, tzinfo=dt.UTC)):  # once only
        record_scorecard(actors.alpha.code, period="2027-02", kpis=kpis(200, "3"),
                         actor=actors.officer)  # fmt: skip
    assert Case.objects.filter(trigger="replacement").count() == 1
    assert Selection.objects.count() == 1


@pytest.mark.django_db
def test_tick_opens_what_an_unevaluated_scorecard_owes_once(actors):
    """R-CRIS-6: a scorecard that reached the database without being evaluated (an import, data
    from before the rule) opens its case at the next tick, and its escalation after the due
    date; a second tick opens nothing."""
    with (
        clock.frozen(DECEMBER),
        mock.patch("huoban.performance.services.open_cases_for", return_value=[]),
    ):
        for period, signed in (("2026-10", 250), ("2026-11", 280)):
            record_scorecard(actors.alpha.code, period=period, kpis=kpis(signed, "3"),
                             actor=actors.officer)  # fmt: skip
    assert not Case.objects.exists()
    with clock.frozen(DECEMBER):
        assert evaluate_cases(dt.date(2026, 12, 7)).startswith("cases: 1 opened")
        assert evaluate_cases(dt.date(2026, 12, 7)).startswith("cases: 0 opened")
    drop = Case.objects.get(trigger="performance_drop")
    assert drop.due_on == dt.date(2027, 1, 6)
    with (
        clock.frozen(dt.datetime(2027, 2, 3, 10, tzinfo=dt.UTC)),
        mock.patch("huoban.performance.services.open_cases_for", return_value=[]),
    ):
        record_scorecard(actors.alpha.code, period="2027-01", kpis=kpis(270, "3"),
                         actor=actors.officer)  # fmt: skip
    with clock.frozen(dt.datetime(2027, 2, 3, 11, tzinfo=dt.UTC)):
        call_command("tick", date="2027-02-03", stdout=io.StringIO())
        call_command("tick", date="2027-02-03", stdout=io.StringIO())
    replacement = Case.objects.get(trigger="replacement")
    selection = Selection.objects.get(pk=replacement.log[0]["selection_id"])
    assert selection.created_by is None and replacement.log[0]["by"] == "huoban tick"
    assert Selection.objects.count() == 1


@pytest.mark.django_db
def test_an_ownership_change_opens_a_case_with_its_30_day_decision(actors, api_client):
    url = f"/api/v1/partners/{actors.alpha.code}/ownership-changes"
    with clock.frozen(DECEMBER):
        status, answer = api_client.as_(actors.officer).post(
            url, {"changed_on": "2026-12-01", "new_owner": "晋商投资集团"}
        )
        assert (status, answer["trigger"], answer["due_on"]) == (
            201, "ownership_change", "2026-12-31",
        )  # fmt: skip
        assert "重新评估" in answer["steps"][0]["text"]
        again = api_client.as_(actors.officer).post(
            url, {"changed_on": "2026-12-01", "new_owner": "晋商投资集团"}
        )
        assert again[0] == 409
        bad = api_client.as_(actors.officer).post(
            url, {"changed_on": "2026-12-31", "new_owner": " "}
        )
        assert (
            bad[0] == 422 and "changed_on" in bad[1]["detail"] and "new_owner" in bad[1]["detail"]
        )
        assert api_client.as_(actors.pm).post(url, {"changed_on": "2026-11-01",
                                                   "new_owner": "某集团"})[0] == 403  # fmt: skip
        page = client_for(actors.officer).post(
            f"/console/partners/{actors.alpha.code}/cases/ownership/",
            {"changed_on": "2026-11-15", "new_owner": "另一集团"},
        )
        assert page.status_code == 302
    assert Case.objects.filter(trigger="ownership_change").count() == 2
