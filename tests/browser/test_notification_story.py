"""alice hears of her verdict by the bell, and opens the lead from it (issue #14)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.leads.helpers import judge, submit
from tests.notifications.helpers import fanned

pytestmark = pytest.mark.browser


def test_alice_follows_the_bell_to_her_judged_lead(actors, open_as, tmp_path):
    lead = judge(actors.officer, submit(actors.alice, "东义集团"))
    fanned()  # what the worker does within seconds

    alice = open_as("alice")
    alice.goto("/portal/")
    bell = alice.locator("#bell")
    expect(bell.locator("[data-unread]")).to_have_text("1")
    bell.click()
    expect(alice).to_have_url(re.compile(r"/notifications/$"))
    item = alice.locator("#inbox form").first
    expect(item).to_contain_text(f"线索 #{lead.pk} 东义集团：有效")
    expect(item).to_contain_text("报价区间 ¥200,000.00–300,000.00")
    alice.screenshot(path=str(tmp_path / "inbox.png"), full_page=True)
    item.get_by_role("button").click()
    expect(alice).to_have_url(re.compile(rf"/portal/leads/{lead.pk}/$"))
    # read now: the bell is quiet
    expect(alice.locator("#bell [data-unread]")).to_have_count(0)


def test_peter_sees_the_new_lead_in_the_console_in_english(actors, open_as, tmp_path):
    lead = submit(actors.alice, "东义集团")
    fanned()
    peter = open_as("peter")
    peter.goto("/console/home/")
    peter.get_by_role("button", name="English").click()
    peter.locator("#bell").click()
    expect(peter.locator("#inbox")).to_contain_text(f"New lead #{lead.pk} 东义集团")
    peter.screenshot(path=str(tmp_path / "inbox-en.png"), full_page=True)
    peter.locator("#inbox form").first.get_by_role("button").click()
    expect(peter).to_have_url(re.compile(rf"/console/leads/{lead.pk}/$"))


def test_alice_turns_off_payment_emails_and_keeps_the_bell(actors, open_as, tmp_path):
    from huoban.notifications.models import OptOut

    alice = open_as("alice")
    alice.goto("/notifications/")
    alice.locator("#settings-link").click()
    expect(alice).to_have_url(re.compile(r"/notifications/settings/$"))
    form = alice.locator("#preferences")
    expect(form).to_contain_text("线索评估结论")
    expect(form).not_to_contain_text("新线索待评估")  # staff's event, not a partner's
    form.get_by_label("客户回款 · 邮件").uncheck()
    form.get_by_role("button", name="保存").click()
    expect(alice.locator(".alert-success")).to_contain_text("通知设置已保存")
    expect(alice.locator("#preferences").get_by_label("客户回款 · 邮件")).not_to_be_checked()
    expect(alice.locator("#preferences").get_by_label("客户回款 · 站内")).to_be_checked()
    alice.screenshot(path=str(tmp_path / "preferences.png"), full_page=True)
    assert list(OptOut.objects.values_list("event", "channel")) == [("payment.recorded", "email")]
