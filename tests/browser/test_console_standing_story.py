"""An officer answers a strategic application and records a violation in the console (issue #12,
R-TIER-2, R-VIOL-2): alpha applies, the officer approves with a reason and alpha is strategic;
a violation recorded afterwards shows on the partner page and refuses white-label."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from huoban import clock
from huoban.partners.models import Partner
from huoban.standing.tier_services import apply_for_strategic

pytestmark = pytest.mark.browser


def test_an_officer_approves_an_application_then_records_a_violation(actors, open_as):
    apply_for_strategic(actor=actors.alice, resources="省属国企集团资源", plan="三年合作计划")
    olivia = open_as("olivia")

    olivia.goto("/console/partners/")
    olivia.get_by_role("link", name=re.compile("战略伙伴申请")).click()
    card = olivia.locator("section", has_text="省属国企集团资源")
    expect(card).to_contain_text("答复截止")
    card.locator("select[name=approve]").select_option("yes")
    card.locator("textarea[name=note]").fill("集团资源属实")
    card.get_by_role("button", name="提交").click()
    expect(olivia.get_by_text(f"已批准：{actors.alpha.name} 升级为战略伙伴。")).to_be_visible()
    assert Partner.objects.get(pk=actors.alpha.pk).tier == "strategic"

    olivia.goto(f"/console/partners/{actors.alpha.code}/")
    olivia.get_by_text("记录伙伴违规").click()
    form = olivia.locator(f"form[action='/console/partners/{actors.alpha.code}/violations/']")
    form.locator("#violation_kind").select_option("fake_lead")
    form.locator("#violation_occurred_on").fill(clock.today().isoformat())
    form.locator("#violation_description").fill("虚构客户需求")
    form.get_by_role("button", name="记录违规").click()
    expect(olivia.get_by_text("已记录违规")).to_be_visible()
    expect(olivia.locator("li", has_text="虚构客户需求")).to_be_visible()

    olivia.get_by_role("button", name="授予贴牌输出").click()
    expect(olivia.get_by_text("12 个月内有违规记录，不能贴牌输出")).to_be_visible()
    assert Partner.objects.get(pk=actors.alpha.pk).white_label is False
