"""fiona (finance) records a 20,000.00 event for alpha and reads the channel analytics: alpha's
300,000.00 received, 24,000.00 of confirmation commission + 20,000.00 = 44,000.00 of cost, ROI
581.8%; grace (gm) opens the programme KPI board and lowers the new-customers target to 1, which
this month's one new customer meets (R-ANL-1/2, issue #16)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from huoban import clock
from huoban.projects import services as projects
from tests.projects.helpers import ensure_policy_v1, make_customer

pytestmark = pytest.mark.browser


def test_costs_channels_and_the_board(actors, open_as, tmp_path):
    ensure_policy_v1()
    today = clock.today()
    project = projects.create_project(
        actor=actors.officer, customer_id=make_customer(actors.alpha).pk, title="生产数据平台",
        kind="new", high_margin=False, contract_amount=Decimal("300000.00"), signed_on=today,
    )  # fmt: skip
    projects.record_payment(project.pk, actor=actors.finance, amount=Decimal("300000.00"),
                            received_on=today, reference="BR-1")  # fmt: skip

    fiona = open_as("fiona")
    fiona.goto(f"/console/partners/{actors.alpha.code}/")
    fiona.locator("#costs-link a").click()
    form = fiona.locator("#new-cost")
    form.get_by_label("金额（元）").fill("20000.00")
    form.get_by_label("类别").select_option("event")
    form.get_by_label("说明").fill("客户沙龙")
    form.get_by_role("button", name="登记").click()
    expect(fiona.get_by_text("渠道费用已登记。")).to_be_visible()
    expect(fiona.locator("#costs")).to_contain_text("¥20,000.00")

    fiona.get_by_role("link", name="渠道分析").first.click()
    first = dt.date(today.year, 1, 1).isoformat()
    fiona.locator("#id_start").fill(first)
    fiona.locator("#id_end").fill(today.isoformat())
    fiona.get_by_role("button", name="查看").click()
    row = fiona.locator(f'#channels tr[data-channel="{actors.alpha.code}"]')
    expect(row).to_contain_text("¥300,000.00")
    expect(row).to_contain_text("¥44,000.00")
    expect(row).to_contain_text("581.8%")
    expect(fiona.locator("#funnel-chart canvas")).to_be_visible()
    fiona.screenshot(path=str(tmp_path / "analytics.png"), full_page=True)

    grace = open_as("grace")
    grace.goto("/console/analytics/board/")
    card = grace.locator('[data-kpi="new_customers"]')
    expect(card).to_contain_text("未达标")
    targets = grace.locator("#targets")
    targets.get_by_label("新增客户数量（每月）").fill("1")
    targets.get_by_role("button", name="保存").click()
    expect(grace.get_by_text("目标已更新。")).to_be_visible()
    expect(grace.locator('[data-kpi="new_customers"]')).to_contain_text("达标")
    expect(grace.locator('[data-kpi="new_customers"]')).not_to_contain_text("未达标")
    grace.screenshot(path=str(tmp_path / "board.png"), full_page=True)
