"""A partner registers a lead on her phone and learns the verdict an officer records at his desk
(R-LEAD-1, R-LEAD-3): two people, two browser contexts, one live server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_alice_submits_a_lead_on_her_phone_and_sees_the_officers_verdict(actors, open_as):
    # alice (partner alpha) signs in on a 390×844 phone and lands in the portal.
    alice = open_as("alice", phone=True)
    assert alice.viewport_size == {"width": 390, "height": 844}
    expect(alice).to_have_url(re.compile(r"/portal/$"))

    # She opens the form from the bottom navigation and registers 东义集团.
    alice.get_by_role("link", name="报备线索").click()
    expect(alice.get_by_role("heading", name="报备线索")).to_be_visible()
    alice.fill("#id_customer_name", "东义集团")
    alice.fill("#id_customer_region", "山西")
    alice.fill("#id_customer_industry", "煤化工")
    alice.fill("#id_contact_name", "李明")
    alice.fill("#id_contact_title", "信息中心主任")
    alice.fill("#id_contact_phone", "13812345678")
    alice.check("#id_contact_is_decision_maker")
    alice.select_option("#id_category", "ai")
    # HTMX narrows the item list to the category (no more per-category groups): wait for it,
    # so the swap cannot undo the item chosen next.
    alice.wait_for_function("() => !document.querySelector('#id_item optgroup')")
    alice.select_option("#id_item", "industry_ai_model")
    alice.fill("#id_need", "煤化工生产数据分析与 AI 预测平台")
    alice.fill("#id_budget_min", "200000")
    alice.fill("#id_budget_max", "500000")
    alice.get_by_role("button", name="提交报备").click()

    # The lead page: pending, with its SLA countdown.
    expect(alice.get_by_text("线索已提交，等待评估。")).to_be_visible()
    expect(alice).to_have_url(re.compile(r"/portal/leads/\d+/$"))
    lead_url = alice.url
    lead_id = int(lead_url.rstrip("/").rsplit("/", 1)[1])
    expect(alice.locator("h1")).to_have_text("东义集团")
    expect(alice.locator(".badge.status-pending")).to_have_text("待评估")
    expect(alice.get_by_text("还剩")).to_be_visible()

    # olivia (officer), at her desk in another context, finds it in the queue.
    olivia = open_as("olivia")
    expect(olivia).to_have_url(re.compile(r"/console/home/$"))  # her 工作台: one lead waits
    card = olivia.get_by_role("link", name=re.compile("待研判线索"))
    expect(card).to_contain_text("1")
    card.click()
    expect(olivia).to_have_url(re.compile(r"/console/$"))
    olivia.get_by_role("link", name="东义集团").click()
    expect(olivia).to_have_url(re.compile(rf"/console/leads/{lead_id}/$"))
    # She records a valid verdict with a quote range of ¥200,000–¥300,000.
    olivia.locator("label[for=id_verdict_0]").click()
    olivia.fill("#id_feasibility", "需求明确，具备落地条件")
    olivia.fill("#id_quote_min", "200000")
    olivia.fill("#id_quote_max", "300000")
    olivia.get_by_role("button", name="记录结论").click()
    expect(olivia.get_by_text("结论已记录。")).to_be_visible()

    # alice reloads her lead: valid, with the quote range and the feasibility note.
    alice.reload()
    expect(alice.locator(".badge.status-valid")).to_have_text("有效")
    expect(alice.get_by_text("¥200000.00 – ¥300000.00")).to_be_visible()
    expect(alice.get_by_text("需求明确，具备落地条件")).to_be_visible()
