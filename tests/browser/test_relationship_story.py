"""olivia (officer) looks after alpha over time (issue #16): she assesses November's health
(seed 001's figures: 5, 4, pending, 4, 4 → 17 ÷ 4 = 4.3, green), raises a high risk and reviews
it down to medium, records the monthly business review with an action item and marks it done;
grace (gm) reads the programme's scorecard ranking, alpha's 129.7 above beta's 64.8
(R-HLTH-1, R-RISK-1, R-MEET-2, R-KPI-2)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from huoban.performance.services import record_scorecard

pytestmark = pytest.mark.browser

# seed 002's monthly report (129.7, excellent) and a partner far below target (64.8)
SEED_002 = [
    {"name": "签约量", "direction": "higher", "target": 500, "actual": 580},
    {"name": "转化率", "direction": "higher", "target": 18, "actual": "19.2"},
    {"name": "NPS", "direction": "higher", "target": 70, "actual": 74},
    {"name": "投诉率", "direction": "lower", "target": 5, "actual": "3.2",
     "complaint_rate": True},
    {"name": "报价时效", "direction": "lower", "target": 24, "actual": 16},
    {"name": "故障率", "direction": "lower", "target": 1, "actual": "0.3"},
]  # fmt: skip


def test_health_risks_meetings_and_the_ranking(actors, open_as, tmp_path):
    olivia = open_as("olivia")
    olivia.goto(f"/console/partners/{actors.alpha.code}/")
    card = olivia.locator("#health")
    card.get_by_text("评估本月健康度").click()
    form = olivia.locator("#health-form")
    form.get_by_label("月份").fill("2026-11")
    for label, value in (("信任程度", "excellent"), ("沟通效率", "good"),
                         ("利益分配", "pending"), ("风险可控", "good"),
                         ("长期价值", "good")):  # fmt: skip
        form.get_by_label(label).select_option(value)
    form.get_by_role("button", name="记录").click()
    expect(olivia.locator("#health")).to_contain_text("4.3")
    expect(olivia.locator("#health")).to_contain_text("良好")

    olivia.locator("#risks-link a").click()
    new = olivia.locator("#new-risk")
    new.locator("#new_title").fill("分成比例未定")
    new.get_by_label("类别").select_option("revenue_share")
    new.get_by_label("等级").select_option("high")
    new.get_by_label("应对措施").fill("本周内完成协商，签订明确协议")
    new.get_by_role("button", name="登记").click()
    expect(olivia.get_by_text("风险已登记。")).to_be_visible()
    risk = olivia.locator("section", has_text="分成比例未定").first
    expect(risk).to_contain_text("高")
    risk.get_by_text("复核", exact=True).click()
    risk.get_by_label("复核情况").fill("三方协议已明确分成")
    risk.get_by_label("等级").select_option("medium")
    risk.get_by_label("状态").select_option("mitigating")
    risk.get_by_role("button", name="记录复核").click()
    expect(olivia.get_by_text("复核已记录。")).to_be_visible()
    expect(olivia.locator("section", has_text="分成比例未定").first).to_contain_text("应对中")
    olivia.screenshot(path=str(tmp_path / "risks.png"), full_page=True)

    olivia.goto(f"/console/partners/{actors.alpha.code}/")
    olivia.locator("#meetings-link a").click()
    meeting = olivia.locator("#new-meeting")
    meeting.get_by_label("会议类型").select_option("business")
    meeting.get_by_label("会议日期").fill("2026-12-01")
    meeting.get_by_label("纪要").fill("十一月业务复盘；二期排期")
    meeting.get_by_label("待办事项（每行：事项，负责人，截止日）").fill(
        "提交运维月报模板，王博士，2026-12-20"
    )
    meeting.get_by_role("button", name="记录").click()
    record = olivia.locator("section", has_text="十一月业务复盘").first
    expect(record).to_contain_text("提交运维月报模板")
    record.get_by_role("button", name="完成").click()
    expect(olivia.locator("section", has_text="十一月业务复盘").first).to_contain_text("完成于")
    olivia.screenshot(path=str(tmp_path / "meetings.png"), full_page=True)

    record_scorecard(actors.alpha.code, period="2026-11", kpis=SEED_002, actor=actors.officer)
    record_scorecard(
        actors.beta.code,
        period="2026-11",
        kpis=[{"name": "签约量", "direction": "higher", "target": 500, "actual": 324}],
        actor=actors.officer,
    )
    grace = open_as("grace")
    grace.goto("/console/scorecards/")
    rows = grace.locator("#ranking tbody tr")
    expect(rows.nth(0)).to_contain_text(actors.alpha.name)
    expect(rows.nth(0)).to_contain_text("129.7")
    expect(rows.nth(1)).to_contain_text(actors.beta.name)
    expect(rows.nth(1)).to_contain_text("64.8")
    grace.screenshot(path=str(tmp_path / "ranking.png"), full_page=True)


def test_the_template_starts_each_month(actors, open_as, tmp_path):
    """R-KPI-1 (D-KPI-2): olivia sets alpha's template; the month's form starts from it and
    she fills in only the actuals: 580 of 500 → 116.0, 3.2% of ≤ 5% → 156.25 capped 150 →
    (116 + 150) ÷ 2 = 133.0 excellent."""
    olivia = open_as("olivia")
    olivia.goto(f"/console/partners/{actors.alpha.code}/scorecards/")
    template = olivia.locator("#template-form")
    template.get_by_role("textbox").fill(
        "签约量，越高，500，1，单，业务成果，主要\n投诉率，越低，5，1，%，客户体验，投诉率"
    )
    template.get_by_role("button", name="保存模板").click()
    expect(olivia.get_by_text("已保存记分卡模板：2 项指标。")).to_be_visible()
    expect(olivia.locator("#template-kpis")).to_contain_text("目标 500单")
    month = olivia.locator("#scorecard-form")
    lines = month.get_by_role("textbox", name="指标")
    expect(lines).to_have_value(
        "签约量，越高，500，，1，单，业务成果，主要\n投诉率，越低，5，，1，%，客户体验，投诉率"
    )
    lines.fill(
        "签约量，越高，500，580，1，单，业务成果，主要\n投诉率，越低，5，3.2，1，%，客户体验，投诉率"
    )
    month.get_by_role("button", name="登记并计分").click()
    expect(olivia.locator("#scorecard-table")).to_contain_text("133.0")
    expect(olivia.locator("#scorecard-table")).to_contain_text("优秀")
    olivia.screenshot(path=str(tmp_path / "template.png"), full_page=True)
