"""olivia grades alpha's criticality on its console page, then raises it with a reason (issue
#15, R-CRIT-1/2)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_olivia_grades_a_partner_and_a_change_needs_a_reason(actors, open_as, tmp_path):
    olivia = open_as("olivia")
    olivia.goto(f"/console/partners/{actors.alpha.code}/")
    card = olivia.locator("#criticality")
    expect(card).to_contain_text("尚未评定")
    card.get_by_label("战略价值").select_option("3")
    card.get_by_label("可替代性").select_option("normal")
    card.get_by_role("button", name="评定").click()
    card = olivia.locator("#criticality")
    expect(card.locator("#grade")).to_have_text("A")
    expect(card).to_contain_text("战略价值 3 星 → 基础等级 A")
    # raising it without a reason is refused on the field
    card.get_by_label("战略价值").select_option("4")
    card.get_by_label("可替代性").select_option("hard")
    card.get_by_role("button", name="评定").click()
    card = olivia.locator("#criticality")
    expect(card).to_contain_text("等级变化须说明理由")
    card.get_by_label("理由").fill("独家 AI 算法，短期无替代")
    card.get_by_role("button", name="评定").click()
    card = olivia.locator("#criticality")
    expect(card.locator("#grade")).to_have_text("S")
    expect(card).to_contain_text("上调一级 → S")
    card.scroll_into_view_if_needed()
    olivia.screenshot(path=str(tmp_path / "criticality.png"), full_page=True)


def test_olivia_assesses_alphas_willingness(actors, open_as, tmp_path):
    olivia = open_as("olivia")
    olivia.goto(f"/console/partners/{actors.alpha.code}/")
    section = olivia.locator("#assessments")
    expect(section).to_contain_text("尚未评估")
    section.get_by_text("评估合作意愿").click()
    form = section.locator("#assess-willingness")
    form.get_by_label("高层支持", exact=True).select_option("5")
    form.get_by_label("资源投入", exact=True).select_option("4")
    form.get_by_label("长期承诺（≥ 3 年）", exact=True).select_option("4")
    form.get_by_label("资源投入 · 说明").fill("专职团队 6 人")
    form.get_by_role("button", name="记录评估").click()
    expect(olivia.locator('#assessments [data-kind="willingness"]')).to_contain_text("4.3")
    expect(olivia.locator("#assessments")).to_contain_text("13 ÷ 3 = 4.3")
    olivia.locator("#assessments").scroll_into_view_if_needed()
    olivia.screenshot(path=str(tmp_path / "assessments.png"))
