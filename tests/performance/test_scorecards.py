"""Monthly scorecards through the API (SPEC §10.7, R-KPI-1/2/3; ARCHITECTURE §6; issue #16):
seed 002's report → 129.7 excellent; the month again → 409; a correction is a revision that
keeps the old one; bad input is a field error that changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from huoban import clock
from huoban.audit.models import AuditEvent
from huoban.performance.models import Scorecard

pytestmark = pytest.mark.django_db

DECEMBER = dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)

SEED_002 = [
    {"name": "签约量", "direction": "higher", "target": 500, "actual": 580, "unit": "单",
     "dimension": "business"},
    {"name": "转化率", "direction": "higher", "target": "18", "actual": "19.2", "unit": "%"},
    {"name": "NPS", "direction": "higher", "target": 70, "actual": 74, "dimension": "customer"},
    {"name": "投诉率", "direction": "lower", "target": 5, "actual": "3.2", "unit": "%",
     "complaint_rate": True},
    {"name": "报价时效", "direction": "lower", "target": 24, "actual": 16, "unit": "h"},
    {"name": "故障率", "direction": "lower", "target": 1, "actual": "0.3", "unit": "%"},
]  # fmt: skip


def post(api_client, user, code, period, kpis):
    return api_client.as_(user).post(
        f"/api/v1/partners/{code}/scorecards", {"period": period, "kpis": kpis}
    )


def test_seed_002_through_the_api(actors, api_client):
    with clock.frozen(DECEMBER):
        status, card = post(api_client, actors.officer, actors.alpha.code, "2026-11", SEED_002)
    assert status == 201, card
    assert [(i["name"], i["score"]) for i in card["items"]] == [
        ("签约量", "116.0"), ("转化率", "106.7"), ("NPS", "105.7"),
        ("投诉率", "150.0"), ("报价时效", "150.0"), ("故障率", "150.0"),
    ]  # fmt: skip
    assert (card["period"], card["total"], card["band"]) == ("2026-11", "129.7", "excellent")
    # the primary KPI defaults to the first `higher` one; the complaint-rate mark is kept
    assert [i["name"] for i in card["items"] if i["primary"]] == ["签约量"]
    assert [i["name"] for i in card["items"] if i["complaint_rate"]] == ["投诉率"]
    # the same month again: 409, nothing written
    with clock.frozen(DECEMBER):
        status, _answer = post(api_client, actors.officer, actors.alpha.code, "2026-11", SEED_002)
    assert status == 409 and Scorecard.objects.count() == 1
    # alice reads her own partner's; bob does not see alpha's
    status, listed = api_client.as_(actors.alice).get(
        f"/api/v1/partners/{actors.alpha.code}/scorecards"
    )
    assert (status, listed["count"]) == (200, 1)
    assert (
        api_client.as_(actors.bob).get(f"/api/v1/partners/{actors.alpha.code}/scorecards")[0] == 404
    )


def test_a_correction_is_a_revision_that_keeps_the_old_one(actors, api_client):
    with clock.frozen(DECEMBER):
        status, card = post(api_client, actors.officer, actors.alpha.code, "2026-11", SEED_002)
        weighted = [{**k, "weight": 3 if k["name"] == "签约量" else 1} for k in SEED_002]
        officer = api_client.as_(actors.officer)
        status, answer = officer.post(
            f"/api/v1/scorecards/{card['id']}/revise", {"kpis": weighted, "note": " "}
        )
        assert status == 422 and "note" in answer["detail"]
        status, revised = officer.post(
            f"/api/v1/scorecards/{card['id']}/revise",
            {"kpis": weighted, "note": "签约量按合同权重 3 重算"},
        )
    # (348 + 106.67 + 105.71 + 450) ÷ 8 = 126.3
    assert (status, revised["revision"], revised["total"]) == (201, 2, "126.3")
    assert Scorecard.objects.count() == 2
    old = Scorecard.objects.get(pk=card["id"])
    assert old.superseded_by_id == revised["id"] and str(old.total) == "129.7"
    listed = officer.get(f"/api/v1/partners/{actors.alpha.code}/scorecards")[1]
    assert [(i["revision"], i["total"]) for i in listed["items"]] == [(2, "126.3")]
    event = AuditEvent.objects.get(action="scorecard.revise")
    assert event.before["total"] == "129.7" and event.after["total"] == "126.3"
    # only the latest revision can be corrected
    status, _answer = officer.post(
        f"/api/v1/scorecards/{card['id']}/revise", {"kpis": weighted, "note": "再改"}
    )
    assert status == 409


@pytest.mark.parametrize(
    ("period", "kpis", "field"),
    [
        ("2026-11", [{**SEED_002[0], "target": 0}], "kpis[0].target"),
        ("2026-11", [{**SEED_002[0], "target": -5}], "kpis[0].target"),
        ("2026-11", [{**SEED_002[0], "actual": -1}], "kpis[0].actual"),
        ("2026-11", [{**k, "weight": 0} for k in SEED_002], "kpis"),
        ("2026-11", [SEED_002[0], SEED_002[0]], "kpis[1].name"),
        ("2026-11", [{**SEED_002[0], "direction": "up"}], "kpis[0].direction"),
        ("2026-11", [], "kpis"),
        ("2026-13", SEED_002, "period"),
        ("2027-01", SEED_002, "period"),  # a month that has not begun
    ],
)
def test_bad_input_changes_nothing(actors, api_client, period, kpis, field):
    api_client.as_(actors.officer).get("/api/v1/agreements")  # the token's first use is audited
    before = AuditEvent.objects.count()
    with clock.frozen(DECEMBER):
        status, answer = post(api_client, actors.officer, actors.alpha.code, period, kpis)
    assert status == 422 and field in answer["detail"], answer
    assert not Scorecard.objects.exists() and AuditEvent.objects.count() == before


def test_who_records(actors, api_client):
    with clock.frozen(DECEMBER):
        for who in (actors.pm, actors.finance, actors.gm):
            assert post(api_client, who, actors.alpha.code, "2026-11", SEED_002)[0] == 403
        assert post(api_client, actors.alice, actors.alpha.code, "2026-11", SEED_002)[0] == 403
    assert not Scorecard.objects.exists()
