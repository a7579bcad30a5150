"""olivia (officer) records that alpha leaked a customer list (issue #16, R-CRIS-3): alpha's API
tokens are revoked and its exports blocked — alice, on her phone, finds the statement's
downloads gone and the reason said — the case lists the claim and the customers; olivia finds
it in the case queue from her home page and closes it, and alice's downloads come back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_breach_stops_exchange_until_the_case_closes(actors, open_as, tmp_path):
    olivia = open_as("olivia")
    olivia.goto(f"/console/partners/{actors.alpha.code}/cases/")
    breach = olivia.locator("#breach")
    breach.get_by_text("登记数据泄露").click()
    breach.get_by_label("发现日期").fill("2026-12-01")
    breach.get_by_label("泄露情况").fill("客户联系人清单被上传到公开网盘")
    breach.get_by_role("button", name="登记并暂停数据交换").click()
    expect(olivia.get_by_text("已登记数据泄露")).to_be_visible()
    expect(olivia.locator("#data-blocked")).to_be_visible()
    case = olivia.locator("section[id^=case-]", has_text="数据泄露").first
    expect(case).to_contain_text("由法务评估索赔金额")
    expect(case).to_contain_text("受影响客户 0 家")
    olivia.screenshot(path=str(tmp_path / "breach.png"), full_page=True)

    alice = open_as("alice", phone=True)
    alice.goto("/portal/statements/2026-11/")
    expect(alice.locator("#data-blocked")).to_contain_text("数据交换已暂停")
    expect(alice.get_by_role("link", name="Excel")).to_have_count(0)
    alice.screenshot(path=str(tmp_path / "blocked.png"), full_page=True)

    olivia.goto("/console/home/")
    olivia.get_by_role("link", name="处理中的危机事件").click()
    row = olivia.locator("#cases tr", has_text="数据泄露")
    expect(row).to_contain_text(actors.alpha.name)
    olivia.screenshot(path=str(tmp_path / "queue.png"), full_page=True)
    row.get_by_role("link").first.click()
    case = olivia.locator("section[id^=case-]", has_text="数据泄露").first
    case.get_by_text("关闭事件").click()
    case.get_by_label("关闭结论").fill("已删除外泄文件，签署补充保密协议")
    case.get_by_role("button", name="关闭").click()
    expect(olivia.get_by_text("事件已关闭。")).to_be_visible()
    expect(olivia.locator("#data-blocked")).to_have_count(0)
    alice.goto("/portal/statements/2026-11/")
    expect(alice.get_by_role("link", name="Excel")).to_be_visible()
