"""Channel analytics over the API (SPEC §10.13, R-ANL-1; ARCHITECTURE §6): alpha's 2026-Q2 —
10 leads, 6 valid, 3 projects of 300,000.00 for 3 new customers paid in full (not yet accepted:
the 8% confirmation, 24,000.00 each, is what the ledger has earned), 20,000.00 of recorded costs
— and its retention and CLV with two customers from 2025; costs recorded by officers and
finance, bad input changes nothing; the number of queries does not grow with the partners."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huoban.analytics.models import ChannelCost
from huoban.analytics.services import report
from huoban.audit.models import AuditEvent
from huoban.performance.services import record_scorecard
from huoban.projects import services as projects
from tests.factories import make_partner
from tests.leads.helpers import INVALID, judge, submit
from tests.projects.helpers import ensure_policy_v1, make_customer

pytestmark = pytest.mark.django_db

NAMES = ["东义集团", "晋中华泰煤化工有限公司", "太原智慧政务服务中心", "云岭茶业股份有限公司",
         "霍州恒通焦化有限公司", "大同云冈旅游发展有限公司", "运城盐湖化工有限公司",
         "长治潞安物流有限公司", "阳泉晶科光伏有限公司", "忻州五台山文旅有限公司"]  # fmt: skip


def _sign(actors, customer_id, signed_on, amount="300000.00"):
    return projects.create_project(
        actor=actors.officer, customer_id=customer_id, title="生产数据平台", kind="new",
        high_margin=False, contract_amount=Decimal(amount), signed_on=signed_on,
    )  # fmt: skip


def _pay(actors, project, amount, day, ref):
    projects.record_payment(project.pk, actor=actors.finance, amount=Decimal(amount),
                            received_on=day, reference=ref)  # fmt: skip


@pytest.fixture
def quarter(actors):
    ensure_policy_v1()
    # 2025: two customers with cash; one of them pays again in March 2026 (retained)
    kept = _sign(actors, make_customer(actors.alpha, "山西焦煤集团有限责任公司").pk,
                 dt.date(2025, 10, 1), "150000.00")  # fmt: skip
    lost = _sign(actors, make_customer(actors.alpha, "潞安化工集团有限公司").pk,
                 dt.date(2025, 10, 1), "100000.00")  # fmt: skip
    _pay(actors, kept, "100000.00", dt.date(2025, 12, 1), "K-1")
    _pay(actors, lost, "100000.00", dt.date(2025, 12, 1), "L-1")
    _pay(actors, kept, "50000.00", dt.date(2026, 3, 15), "K-2")
    # 2026-Q2 (today is 06-30): 10 leads, 6 valid; 3 of them signed and paid in full
    leads = [submit(actors.alice, name) for name in NAMES]
    for i, lead in enumerate(leads):
        judge(actors.officer, lead) if i < 6 else judge(actors.officer, lead, INVALID)
    for i, lead in enumerate(leads[:3]):
        project = _sign(actors, lead.customer_id, dt.date(2026, 5, 4))
        _pay(actors, project, "300000.00", dt.date(2026, 6, 1), f"Q2-{i}")
    record_scorecard(actors.alpha.code, period="2026-05", actor=actors.officer,
                     kpis=[{"name": "签约量", "direction": "higher", "target": 500,
                            "actual": 450, "primary": True}])  # fmt: skip


def test_the_quarter_of_a_partner(actors, api_client, quarter):
    status, _ = api_client.as_(actors.finance).post(
        f"/api/v1/partners/{actors.alpha.code}/costs",
        {"amount": "20000.00", "spent_on": "2026-05-20", "category": "event", "note": "客户沙龙"},
    )
    assert status == 201
    status, body = api_client.as_(actors.gm).get(
        "/api/v1/analytics/channels?from=2026-04-01&to=2026-06-30"
    )
    assert status == 200, body
    alpha = next(i for i in body["items"] if i["channel"] == actors.alpha.code)
    assert (alpha["leads"], alpha["valid_leads"], alpha["valid_rate"]) == (10, 6, "0.6000")
    assert (alpha["projects"], alpha["new_customers"]) == (3, 3)
    assert alpha["revenue"] == "900000.00"
    # earned: 3 × 8% × 300,000.00 = 72,000.00; + 20,000.00 of costs = 92,000.00
    assert alpha["cost"] == "92000.00"
    assert alpha["cac"] == "30666.67"  # 92,000.00 ÷ 3
    assert alpha["roi"] == "8.7826"  # (900,000.00 − 92,000.00) ÷ 92,000.00 = 8.78260…
    # 2025's customers: 2; the one that paid again in 2026 retained: 1 ÷ 2
    assert alpha["retention"] == "0.5000"
    # lifetime: 900,000.00 + 150,000.00 + 100,000.00 = 1,150,000.00 over 5 customers × 30%
    assert alpha["clv"] == "69000.00"
    assert alpha["achievement"] == "0.9000"  # 450 ÷ 500
    beta = next(i for i in body["items"] if i["channel"] == actors.beta.code)
    assert (beta["leads"], beta["cost"], beta["roi"], beta["cac"]) == (0, "0.00", None, None)
    assert body["totals"]["revenue"] == "900000.00"
    assert not any(i["channel"] == "direct" for i in body["items"])
    # by region: alpha is 北京, beta 山西
    regions = api_client.as_(actors.officer).get(
        "/api/v1/analytics/channels?from=2026-04-01&to=2026-06-30&group=region"
    )[1]
    assert {i["channel"]: i["revenue"] for i in regions["items"]} == {
        "北京": "900000.00", "山西": "0.00",
    }  # fmt: skip


def test_who_reads_and_who_records(actors, api_client):
    path = "/api/v1/analytics/channels"
    for who, expected in ((actors.officer, 200), (actors.finance, 200), (actors.gm, 200),
                          (actors.admin, 200), (actors.pm, 403), (actors.presales, 403),
                          (actors.legal, 403), (actors.alice, 403)):  # fmt: skip
        assert api_client.as_(who).get(path)[0] == expected, who.username
    costs = f"/api/v1/partners/{actors.alpha.code}/costs"
    body = {"amount": "1000.00", "spent_on": "2026-06-01", "category": "travel"}
    assert api_client.as_(actors.officer).post(costs, body)[0] == 201
    assert api_client.as_(actors.pm).post(costs, body)[0] == 403
    assert api_client.as_(actors.bob).post(costs, body)[0] == 404


def test_bad_input_changes_nothing(actors, api_client):
    costs = f"/api/v1/partners/{actors.alpha.code}/costs"
    api_client.as_(actors.finance).get(costs)
    before = (AuditEvent.objects.count(), ChannelCost.objects.count())
    for body, field in (
        ({"amount": "-5", "spent_on": "2026-06-01", "category": "event"}, "amount"),
        ({"amount": "5.001", "spent_on": "2026-06-01", "category": "event"}, "amount"),
        ({"amount": "5", "spent_on": "2026-13-01", "category": "event"}, "spent_on"),
        ({"amount": "5", "spent_on": "2026-07-01", "category": "event"}, "spent_on"),  # future
        ({"amount": "5", "spent_on": "2026-06-01", "category": "party"}, "category"),
    ):
        status, answer = api_client.as_(actors.finance).post(costs, body)
        assert status == 422 and field in answer["detail"], (body, answer)
    assert (AuditEvent.objects.count(), ChannelCost.objects.count()) == before
    status, answer = api_client.as_(actors.gm).get(
        "/api/v1/analytics/channels?from=2026-06-30&to=2026-01-01"
    )
    assert status == 422 and "to" in answer["detail"]
    status, answer = api_client.as_(actors.gm).get("/api/v1/analytics/channels?group=colour")
    assert status == 422 and "group" in answer["detail"]


def test_the_queries_do_not_grow_with_the_partners(actors, quarter):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            report(dt.date(2026, 4, 1), dt.date(2026, 6, 30))
        return len(queries)

    few = count()
    for i in range(20):
        make_partner(f"第{i}号渠道科技有限公司")
    assert count() == few
