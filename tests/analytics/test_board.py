"""The programme KPI board (SPEC §10.13, R-ANL-2; seed 003): this month's new customers, this
year's ROI and retention, the agents' achievement, the rating accuracy, each against its target;
the gm edits the targets, bad targets change nothing; the console page shows the same."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from huoban.analytics.board import new_customers_by_month
from huoban.analytics.models import ProgrammeTarget
from huoban.audit.models import AuditEvent
from huoban.projects import services as projects
from tests.portal.helpers import client_for
from tests.projects.helpers import ensure_policy_v1, make_customer

pytestmark = pytest.mark.django_db


def _sign(actors, customer, day):
    return projects.create_project(
        actor=actors.officer, customer_id=customer.pk, title="平台", kind="new",
        high_margin=False, contract_amount=Decimal("100000.00"), signed_on=day,
    )  # fmt: skip


@pytest.fixture
def signed(actors):
    ensure_policy_v1()
    first = make_customer(actors.alpha, "山西焦煤集团有限责任公司")
    second = make_customer(actors.alpha, "潞安化工集团有限公司")
    third = make_customer(actors.alpha, "阳泉煤业集团有限公司")
    _sign(actors, first, dt.date(2026, 5, 4))
    _sign(actors, second, dt.date(2026, 5, 18))
    _sign(actors, first, dt.date(2026, 6, 2))  # a repeat: not new
    _sign(actors, third, dt.date(2026, 6, 9))


def test_new_customers_by_month(signed):
    trend = new_customers_by_month(dt.date(2026, 6, 30))
    assert len(trend) == 12 and trend[0] == ("2025-07", 0)
    assert trend[-2:] == [("2026-05", 2), ("2026-06", 1)]


def test_the_board_and_its_targets(actors, api_client, signed):
    status, body = api_client.as_(actors.officer).get("/api/v1/analytics/board")
    assert status == 200
    kpis = {k["key"]: k for k in body["kpis"]}
    assert (kpis["new_customers"]["actual"], kpis["new_customers"]["target"]) == ("1", "100")
    assert kpis["new_customers"]["met"] is False
    assert kpis["rating_accuracy"]["actual"] is None  # no review has ended
    assert kpis["channel_roi"]["target"] == "1.2000"
    path = "/api/v1/analytics/targets"
    for who in (actors.finance, actors.officer):
        assert api_client.as_(who).put(path, {"new_customers": 1})[0] == 403
    api_client.as_(actors.gm).get("/api/v1/analytics/board")  # a token's first use is audited
    before = AuditEvent.objects.count()
    for body_in, field in (({"new_customers": "1.5"}, "new_customers"),
                           ({"new_customers": -1}, "new_customers"),
                           ({"channel_roi": "11"}, "channel_roi"),
                           ({"retention": "八成"}, "retention")):  # fmt: skip
        status, answer = api_client.as_(actors.gm).put(path, body_in)
        assert status == 422 and field in answer["detail"], answer
    assert AuditEvent.objects.count() == before and not ProgrammeTarget.objects.exists()
    status, body = api_client.as_(actors.gm).put(path, {"new_customers": 1, "retention": "0.9"})
    assert status == 200
    kpis = {k["key"]: k for k in body["kpis"]}
    assert kpis["new_customers"]["met"] is True and kpis["retention"]["target"] == "0.9000"
    event = AuditEvent.objects.filter(action="programme.targets").get()
    assert (event.before["new_customers"], event.after["new_customers"]) == ("100", "1")


def test_the_console_board(actors, signed):
    url = "/console/analytics/board/"
    gm = client_for(actors.gm)
    page = gm.get(url).content.decode()
    assert 'data-kpi="new_customers"' in page and 'id="targets"' in page
    officer = client_for(actors.officer)
    assert 'id="targets"' not in officer.get(url).content.decode()
    assert officer.post(url, {"new_customers": "1"}).status_code == 403
    form = {"new_customers": "120", "channel_roi": "1.2", "retention": "0.85",
            "agent_achievement": "0.9", "rating_accuracy": "0.95"}  # fmt: skip
    assert gm.post(url, {**form, "channel_roi": "abc"}).status_code == 422
    assert gm.post(url, form).status_code == 302
    assert ProgrammeTarget.objects.get(key="new_customers").value == Decimal("120")
    assert client_for(actors.pm).get(url).status_code == 403
    assert client_for(actors.alice).get(url).status_code == 404
