"""Channel analytics in the console (R-ANL, R-UI-1; issue #16): officers and finance record a
partner's cost on its costs page; the analytics page shows each channel's figures and totals,
by region too; the Excel export carries the same figures; roles without it get 403."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from huoban.analytics.models import ChannelCost
from huoban.projects import services as projects
from tests.portal.helpers import client_for
from tests.projects.helpers import ensure_policy_v1, make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(actors, today):
    ensure_policy_v1()
    project = projects.create_project(
        actor=actors.officer, customer_id=make_customer(actors.alpha).pk, title="生产数据平台",
        kind="new", high_margin=False, contract_amount=Decimal("300000.00"),
        signed_on=dt.date(2026, 5, 4),
    )  # fmt: skip
    projects.record_payment(project.pk, actor=actors.finance, amount=Decimal("300000.00"),
                            received_on=dt.date(2026, 6, 1), reference="Q2-1")  # fmt: skip
    return project


def test_costs_and_the_analytics_page(actors, paid):
    costs = f"/console/partners/{actors.alpha.code}/costs/"
    officer = client_for(actors.officer)
    bad = officer.post(costs, {"amount": "-1", "spent_on": "2026-05-20", "category": "event"})
    assert bad.status_code == 422 and not ChannelCost.objects.exists()
    body = {"amount": "20000.00", "spent_on": "2026-05-20", "category": "event", "note": "沙龙"}
    assert officer.post(costs, body).status_code == 302
    assert "¥20,000.00" in officer.get(costs).content.decode()
    assert client_for(actors.pm).post(costs, body).status_code == 403
    assert client_for(actors.alice).get(costs).status_code == 404

    url = "/console/analytics/?start=2026-04-01&end=2026-06-30&group=partner"
    page = client_for(actors.gm).get(url).content.decode()
    # 300,000.00 received; 8% confirmation 24,000.00 earned + 20,000.00 = 44,000.00 of cost;
    # ROI (300,000.00 − 44,000.00) ÷ 44,000.00 = 5.8182 → 581.8%; CAC 44,000.00 ÷ 1
    row = page[page.index(f'data-channel="{actors.alpha.code}"') :]
    row = row[: row.index("</tr>")]
    for figure in ("¥300,000.00", "¥44,000.00", "581.8%"):
        assert figure in row, figure
    regions = (
        client_for(actors.finance)
        .get("/console/analytics/?start=2026-04-01&end=2026-06-30&group=region")
        .content.decode()
    )
    assert 'data-channel="北京"' in regions
    assert client_for(actors.pm).get(url).status_code == 403
    assert client_for(actors.alice).get(url).status_code == 404


def test_the_excel_export(actors, paid):
    answer = client_for(actors.finance).get(
        "/console/analytics/export.xlsx?start=2026-04-01&end=2026-06-30"
    )
    assert answer.status_code == 200
    assert "channels-2026-04-01-2026-06-30.xlsx" in answer["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    alpha = next(r for r in rows if r[0] == actors.alpha.code)
    assert alpha[7] == 300000 and alpha[8] == 24000  # revenue, cost (no recorded costs)
    assert rows[-1][0] == "合计 Total"
    assert client_for(actors.pm).get("/console/analytics/export.xlsx").status_code == 403
