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
