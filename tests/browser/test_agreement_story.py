"""olivia drafts alpha's channel agreement with seed 002's per-unit scheme, leo (legal) reviews
it, grace (the gm) approves it (issue #15, R-AGR-1/2, R-UI-1)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_an_agreement_from_draft_through_legal_review_to_gm_approval(actors, open_as, tmp_path):
    olivia = open_as("olivia")
    olivia.goto(f"/console/partners/{actors.alpha.code}/")
    olivia.locator("#agreements").get_by_role("link", name="起草协议").click()
    form = olivia.locator("#agreement-form")
    expect(form.get_by_label("伙伴编号")).to_have_value(actors.alpha.code)
    form.get_by_label("协议类型").select_option("channel")
    form.get_by_label("标题").fill("车险渠道合作协议")
    form.get_by_label("生效日").fill("2026-01-01")
    form.get_by_label("到期日").fill("2026-12-31")
    form.get_by_label("对方职责").fill("承保与理赔")
    form.get_by_label("按件计价方向").select_option("receivable")
    form.get_by_label("方案年度").fill("2026")
    form.get_by_label("基础目标（件）").fill("5000")
    form.get_by_label("目标以下单价").fill("200")
    # a bracket that overlaps the one before is refused on the field
    form.get_by_label("阶梯（每行：累计上限 单价；最后一行上限写 -）").fill(
        "5000 250\n4000 280\n- 350"
    )
    form.get_by_role("button", name="起草并提交法务审核").click()
    form = olivia.locator("#agreement-form")
    expect(form).to_contain_text("阶梯不得重叠")
    form.get_by_label("阶梯（每行：累计上限 单价；最后一行上限写 -）").fill(
        "5000 250\n8000 280\n12000 320\n- 350"
    )
    form.get_by_role("button", name="起草并提交法务审核").click()
    expect(olivia.locator("#agreement-status")).to_have_text("草稿（待法务审核）")
    expect(olivia.locator("main")).to_contain_text("协议条款仅财务、总经理、法务")  # R-PRF-3
    url = olivia.url

    leo = open_as("leo")
    leo.goto(url)
    expect(leo.locator("#scheme")).to_contain_text("≤ 12000 → 320")
    leo.get_by_label("审核意见").fill("数据条款已核")
    leo.get_by_role("button", name="审核通过，提交总经理审批").click()
    expect(leo.locator("#agreement-status")).to_have_text("法务已审（待总经理审批）")

    grace = open_as("grace")
    grace.goto("/console/home/")
    grace.get_by_role("link", name="待审批的协议").click()
    grace.locator("#agreements").get_by_role("link", name="HZ").first.click()
    grace.get_by_role("button", name="审批生效").click()
    expect(grace.locator("#agreement-status")).to_have_text("已生效")
    expect(grace.locator("#approvals")).to_contain_text("总经理审批 · grace")
    grace.screenshot(path=str(tmp_path / "agreement.png"), full_page=True)
