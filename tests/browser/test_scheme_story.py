"""grace (gm) records seed 001's two revenue-share schemes for beta on alpha's project — A 40%,
B 30% — compares their amounts on the 1,000,000.00 contract side by side, and approves B: its
share is locked on the project and A is set aside (issue #15, R-RS-1). olivia (officer) sees
the schemes without the figures (R-PRF-3)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.projects.helpers import sign

pytestmark = pytest.mark.browser


def test_the_gm_compares_two_schemes_and_locks_one(actors, open_as, tmp_path):
    project = sign(actors.officer, actors.alpha, "1000000.00", signed_on=dt.date(2026, 9, 1))
    page = f"/console/projects/{project.pk}/"

    grace = open_as("grace")
    grace.goto(page)
    card = grace.locator("#schemes")
    for label, share, role in (
        ("方案A", "0.40", "我方负责项目管理与销售"),
        ("方案B", "0.30", "仅负责技术开发"),
    ):
        grace.locator("#schemes").get_by_text("提出分成方案").click()
        form = grace.locator("#scheme-form")
        form.get_by_label("方案名称").fill(label)
        form.get_by_label("合作方伙伴编号").fill(actors.beta.code)
        form.get_by_label("分成比例").fill(share)
        form.get_by_label("分工").fill(role)
        form.get_by_role("button", name="记录方案").click()
        expect(grace.get_by_text("已记录分成方案")).to_be_visible()
    card = grace.locator("#schemes")
    a = card.locator("tr", has_text="方案A")
    b = card.locator("tr", has_text="方案B")
    expect(a).to_contain_text("¥400,000.00")
    expect(a).to_contain_text("¥600,000.00")
    expect(b).to_contain_text("¥300,000.00")
    expect(b).to_contain_text("¥700,000.00")
    card.screenshot(path=str(tmp_path / "schemes.png"))

    olivia = open_as("olivia")
    olivia.goto(page)
    expect(olivia.locator("#schemes")).to_contain_text("方案A")
    expect(olivia.locator("#schemes")).not_to_contain_text("400,000.00")

    b.get_by_role("button", name="批准").click()
    expect(grace.get_by_text("已批准方案B")).to_be_visible()
    expect(grace.locator("#schemes tr", has_text="方案B")).to_contain_text("已批准")
    expect(grace.locator("#schemes tr", has_text="方案A")).to_contain_text("未采用")
    expect(grace.locator("#shares")).to_contain_text("30%")
    grace.screenshot(path=str(tmp_path / "schemes-approved.png"), full_page=True)
