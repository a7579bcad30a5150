"""A partner's scorecard template (R-KPI-1; D-KPI-2; issue #16): the officer sets the KPIs a
partner is judged on — through the API and the console — and each month's form starts from it,
the actuals left to fill; bad input is a field error that changes nothing; only officers and
admins set it; the partner's own users read it."""

from __future__ import annotations

import datetime as dt

import pytest

from huoban import clock
from huoban.audit.models import AuditEvent
from huoban.performance.forms import parse_line
from huoban.performance.models import ScorecardTemplate
from tests.portal.helpers import client_for

pytestmark = pytest.mark.django_db

DECEMBER = dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)

SEED_002 = [
    {"name": "签约量", "direction": "higher", "target": 500, "unit": "单", "dimension": "business"},
    {"name": "转化率", "direction": "higher", "target": "18", "unit": "%"},
    {"name": "NPS", "direction": "higher", "target": 70, "dimension": "customer"},
    {"name": "投诉率", "direction": "lower", "target": 5, "unit": "%", "complaint_rate": True},
    {"name": "报价时效", "direction": "lower", "target": 24, "unit": "h",
     "dimension": "operations"},
    {"name": "故障率", "direction": "lower", "target": 1, "unit": "%"},
]  # fmt: skip


def url(code: str) -> str:
    return f"/api/v1/partners/{code}/scorecard-template"


def test_the_officer_sets_it_and_the_partner_reads_it(actors, api_client):
    status, empty = api_client.as_(actors.officer).get(url(actors.alpha.code))
    assert (status, empty["items"], empty["updated_at"]) == (200, [], None)
    with clock.frozen(DECEMBER):
        status, template = api_client.as_(actors.officer).put(
            url(actors.alpha.code), {"kpis": SEED_002}
        )
    assert status == 200, template
    assert [(k["name"], k["target"], k["dimension"]) for k in template["items"]] == [
        ("签约量", "500", "business"), ("转化率", "18", "custom"), ("NPS", "70", "customer"),
        ("投诉率", "5", "custom"), ("报价时效", "24", "operations"), ("故障率", "1", "custom"),
    ]  # fmt: skip
    # R-KPI-1: the primary KPI defaults to the first `higher` one; equal weights by default
    assert [k["name"] for k in template["items"] if k["primary"]] == ["签约量"]
    assert {k["weight"] for k in template["items"]} == {"1"}
    assert all("actual" not in k for k in ScorecardTemplate.objects.get().items)
    event = AuditEvent.objects.get(action="scorecard.template")
    assert event.before is None and len(event.after["kpis"]) == 6
    # alice reads her own partner's; bob does not see alpha
    status, read = api_client.as_(actors.alice).get(url(actors.alpha.code))
    assert (status, len(read["items"])) == (200, 6)
    assert api_client.as_(actors.bob).get(url(actors.alpha.code))[0] == 404
    # set again: replaced, the audit trail keeps what it was
    status, _template = api_client.as_(actors.officer).put(
        url(actors.alpha.code), {"kpis": SEED_002[:2]}
    )
    assert status == 200 and len(ScorecardTemplate.objects.get().items) == 2
    again = AuditEvent.objects.filter(action="scorecard.template").latest("id")
    assert len(again.before["kpis"]) == 6 and len(again.after["kpis"]) == 2


@pytest.mark.parametrize(
    ("kpis", "field"),
    [
        ([{"name": "签约量", "direction": "higher", "target": 0}], "kpis[0].target"),
        ([{"name": "签约量", "direction": "higher", "target": -5}], "kpis[0].target"),
        ([{"name": "签约量", "direction": "up", "target": 5}], "kpis[0].direction"),
        ([{"name": "a", "direction": "higher", "target": 5, "weight": 0},
          {"name": "b", "direction": "lower", "target": 5, "weight": 0}], "kpis"),
        ([{"name": "a", "direction": "higher", "target": 5},
          {"name": "a", "direction": "lower", "target": 5}], "kpis[1].name"),
        ([{"name": "a", "direction": "higher", "target": 5, "dimension": "mood"}],
         "kpis[0].dimension"),
        ([], "kpis"),
    ],
)  # fmt: skip
def test_bad_input_changes_nothing(actors, api_client, kpis, field):
    status, answer = api_client.as_(actors.officer).put(url(actors.alpha.code), {"kpis": kpis})
    assert status == 422 and field in answer["detail"], answer
    assert not ScorecardTemplate.objects.exists()
    assert not AuditEvent.objects.filter(action="scorecard.template").exists()


def test_who_sets_it(actors, api_client):
    for user in (actors.finance, actors.alice):
        status, _answer = api_client.as_(user).put(url(actors.alpha.code), {"kpis": SEED_002})
        assert status == 403
    assert not ScorecardTemplate.objects.exists()
    assert api_client.as_(actors.admin).put(url(actors.alpha.code), {"kpis": SEED_002})[0] == 200


def test_template_lines_are_read_without_an_actual():
    assert parse_line("签约量，越高，500，2，单，业务成果，主要", actual=False) == {
        "name": "签约量", "direction": "higher", "target": "500", "weight": "2", "unit": "单",
        "dimension": "business", "primary": True,
    }  # fmt: skip
    assert parse_line("签约量，越高", actual=False) is None
    # a month's line still needs its actual
    assert parse_line("签约量，越高，500", actual=True) is None


def test_the_console_sets_it_and_the_month_starts_from_it(actors):
    page = f"/console/partners/{actors.alpha.code}/scorecards/"
    officer = client_for(actors.officer)
    lines = "签约量，越高，500，1，单，业务成果，主要\n投诉率，越低，5，1，%，投诉率"
    bad = officer.post(page + "template/", {"template": "签约量，越高，0"})
    assert bad.status_code == 422 and "第 1 行：目标值须大于 0" in bad.content.decode()
    assert not ScorecardTemplate.objects.exists()
    response = officer.post(page + "template/", {"template": lines})
    assert response.status_code == 302 and response["Location"].endswith("#template")
    template = ScorecardTemplate.objects.get()
    assert [(k["name"], k["dimension"], k["complaint_rate"]) for k in template.items] == [
        ("签约量", "business", False),
        ("投诉率", "custom", True),
    ]
    with clock.frozen(DECEMBER):
        html = officer.get(page).content.decode()
    # the month's form: the template's KPIs, the actuals blank
    assert "签约量，越高，500，，1，单，业务成果，主要" in html
    assert "投诉率，越低，5，，1，%，投诉率" in html
    # finance reads the page, sees the template, but has no form
    seen = client_for(actors.finance).get(page).content.decode()
    assert 'id="template-kpis"' in seen and 'id="template-form"' not in seen
    assert (
        client_for(actors.finance).post(page + "template/", {"template": lines}).status_code == 403
    )
