"""olivia runs seed 002's insurer selection from the need to `sign`; the new partner's draft
agreement goes through leo's (legal) review and grace's (the gm) approval (issue #15, R-SEL-1…4,
R-AGR-2)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_selection_from_need_to_sign_and_the_agreement_to_approval(actors, open_as, tmp_path):
    olivia = open_as("olivia")
    olivia.goto("/console/selections/")
    form = olivia.locator("#new-selection")
    form.get_by_label("标题").fill("车险保险合作伙伴甄选")
    form.get_by_label("伙伴类型").select_option("channel")
    form.get_by_label("初筛清单（每行一项）").fill("持牌经营\n线上理赔")
    form.get_by_label("试点成功标准（每行：指标 >= 或 <= 阈值 单位）").fill(
        "转化率 >= 15 %\nNPS >= 70\n投诉率 <= 5 %\n响应时效 <= 24 h"
    )
    form.get_by_role("button", name="发起").click()
    expect(olivia.get_by_text("甄选已发起。")).to_be_visible()

    add = olivia.locator("#new-candidate")
    add.get_by_label("名称").fill("众安在线")
    add.get_by_label("来源渠道").fill("行业会议")
    add.get_by_role("button", name="添加").click()
    card = olivia.locator("section[id^=candidate-]", has_text="众安在线")
    expect(card).to_contain_text("已接触")

    # screened (both items met) → NDA → due diligence (one red flag) → trial
    card = olivia.locator("section[id^=candidate-]", has_text="众安在线")
    card.get_by_label("持牌经营").check()
    card.get_by_label("线上理赔").check()
    for label, score in (("能力·资源", "4"), ("能力·技术", "5"), ("能力·运营", "4"),
                         ("能力·信誉", "4")):  # fmt: skip
        card.get_by_label(label).fill(score)
    card.get_by_role("button", name="确认").click()
    expect(olivia.locator("#comparison .assessed")).to_contain_text("4.3")  # 17 ÷ 4 = 4.25
    card = olivia.locator("section[id^=candidate-]", has_text="众安在线")
    card.get_by_role("button", name="确认").click()  # the NDA, signed today
    expect(olivia.locator("#comparison .files")).to_contain_text("保密协议签署件未上传")
    card = olivia.locator("section[id^=candidate-]", has_text="众安在线")
    card.get_by_text("上传文件（保密协议、尽调材料、试点报告）").click()
    card.get_by_label("类别").select_option("nda")
    card.get_by_label("文件（PDF/Word/Excel/图片，≤10 MB）").set_input_files(
        files=[{"name": "保密协议.pdf", "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )  # fmt: skip
    card.get_by_role("button", name="上传").click()
    expect(olivia.locator("#comparison .files")).to_contain_text("保密协议")
    card = olivia.locator("section[id^=candidate-]", has_text="众安在线")
    card.get_by_label("商务").fill("!诉讼：一起未结诉讼")
    card.get_by_role("button", name="确认").click()
    card = olivia.locator("section[id^=candidate-]", has_text="众安在线")
    card.get_by_label("试点范围").fill("华东区车险线上投保")
    card.get_by_role("button", name="确认").click()
    expect(olivia.locator("#comparison")).to_contain_text("试点中")
    expect(olivia.locator("#comparison")).to_contain_text("1")  # the red flag

    card = olivia.locator("section[id^=candidate-]", has_text="众安在线")
    card.get_by_label("转化率（≥ 15%）").fill("21")
    card.get_by_label("NPS（≥ 70）").fill("76")
    card.get_by_label("投诉率（≤ 5%）").fill("2.8")
    card.get_by_label("响应时效（≤ 24h）").fill("12")
    card.get_by_role("button", name="登记并按标准决定").click()
    expect(olivia.locator("#comparison .decision")).to_contain_text("签约")
    olivia.screenshot(path=str(tmp_path / "selection.png"), full_page=True)
    olivia.get_by_role("button", name="签约并起草协议").click()
    expect(olivia.locator("#agreement-status")).to_have_text("草稿（待法务审核）")
    expect(olivia.locator("main")).to_contain_text("众安在线")
    url = olivia.url

    leo = open_as("leo")
    leo.goto(url)
    leo.get_by_role("button", name="审核通过，提交总经理审批").click()
    expect(leo.locator("#agreement-status")).to_have_text("法务已审（待总经理审批）")
    grace = open_as("grace")
    grace.goto(url)
    grace.get_by_role("button", name="审批生效").click()
    expect(grace.locator("#agreement-status")).to_have_text("已生效")
    # approving its first agreement approved the new partner (R-AGR-2); its screening
    # assessment and its NDA went with it (R-SEL-4)
    grace.locator("main").get_by_role("link", name="众安在线").first.click()
    expect(grace.locator("main")).not_to_contain_text("待总经理批准")
    expect(grace.locator("#selection")).to_contain_text("保密协议")
