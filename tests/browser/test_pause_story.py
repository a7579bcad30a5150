"""olivia (officer) records alpha's November with complaints at 12% — above 10%: a complaints
case opens and alpha is paused; alice, on her phone, is told so on the lead form and her lead is
refused with the reason (issue #16, R-CRIS-2); olivia closes the case and alice may register
again."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LINES = "签约量，越高，500，480，1，单，主要\n投诉率，越低，5，12，1，%，投诉率"


def test_complaints_above_ten_percent_pause_the_partner(actors, open_as, tmp_path):
    olivia = open_as("olivia")
    olivia.goto(f"/console/partners/{actors.alpha.code}/scorecards/")
    form = olivia.locator("#scorecard-form")
    form.get_by_label("月份").fill("2026-11")
    form.locator("textarea").fill(LINES)
    form.get_by_role("button", name="登记并计分").click()
    expect(olivia.get_by_text("已登记 2026-11 记分卡")).to_be_visible()
    olivia.goto(f"/console/partners/{actors.alpha.code}/")
    expect(olivia.locator("#cases-link")).to_contain_text("暂停新业务")
    olivia.locator("#cases-link a").click()
    expect(olivia.locator("#paused")).to_be_visible()
    expect(olivia.locator("main")).to_contain_text("投诉激增")

    alice = open_as("alice", phone=True)
    alice.goto("/portal/leads/new/")
    expect(alice.locator("#paused")).to_contain_text("暂停")
    alice.fill("#id_customer_name", "太原某客户有限公司")
    alice.fill("#id_contact_name", "王强")
    alice.select_option("#id_category", "ai")
    alice.wait_for_function("() => !document.querySelector('#id_item optgroup')")
    alice.fill("#id_need", "生产数据平台")
    alice.get_by_role("button", name="提交报备").click()
    expect(alice.get_by_role("alert")).to_contain_text("新业务已暂停")
    alice.screenshot(path=str(tmp_path / "paused.png"), full_page=True)

    case = olivia.locator("section[id^=case-]", has_text="投诉激增")
    case.get_by_text("关闭事件").click()
    case.get_by_label("关闭结论").fill("已回访全部客户，共性原因已整改，补偿到位")
    case.get_by_role("button", name="关闭").click()
    expect(olivia.get_by_text("事件已关闭。")).to_be_visible()
    alice.goto("/portal/leads/new/")
    expect(alice.locator("#paused")).to_have_count(0)
