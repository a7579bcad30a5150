"""Finance reverses a wrongly booked entry and the admin gives the second approval; only then
does the partner's phone show the lower figure (issue #12, R-LED-2).

alpha's new 300,000.00 light project is paid 100,000.00: the confirmation fee is
8% × 300,000.00 = 24,000.00. Reversing it books −24,000.00, which counts only once finance and
admin have both approved it: alice's earnings go from 24,000.00 to 24,000.00 − 24,000.00 = 0.00.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from huoban import clock
from huoban.commissions.models import EntryKind, LedgerEntry
from tests.projects.helpers import pay, sign

pytestmark = pytest.mark.browser


def test_finance_and_admin_approve_a_reversal(actors, open_as):
    project = sign(actors.officer, actors.alpha, "300000.00", signed_on=clock.today())
    pay(actors.finance, project, "100000.00", clock.today(), "HK-001")
    confirmation = LedgerEntry.objects.get(kind=EntryKind.CONFIRMATION)

    alice = open_as("alice", phone=True)
    earned = alice.locator("[data-figure=earned]")
    expect(earned).to_have_text("24,000.00")

    fiona = open_as("fiona")
    fiona.goto("/console/finance/")
    fiona.get_by_role("link", name="冲销调整").click()
    form = fiona.locator("#new-adjustment")
    form.locator("#id_partner").fill(actors.alpha.code)
    form.locator("#id_reverses").fill(str(confirmation.pk))
    form.locator("#id_reason").fill("客户合同作废，冲销确认费")
    form.get_by_role("button", name="预览").click()
    summary = fiona.get_by_role("region", name="将记入")
    expect(summary).to_contain_text("¥-24,000.00")
    expect(summary).to_contain_text(f"冲销条目 #{confirmation.pk}")
    assert not LedgerEntry.objects.filter(kind=EntryKind.ADJUSTMENT).exists()
    fiona.get_by_role("button", name="确认提交").click()
    expect(fiona.get_by_role("alert")).to_contain_text(
        "（¥-24,000.00）：财务与管理员各批准一次后生效"
    )
    row = fiona.locator("tbody tr", has_text="客户合同作废")
    row.get_by_role("button", name="批准").click()
    expect(fiona.get_by_text("等待另一方批准")).to_be_visible()
    expect(row.get_by_role("button", name="批准")).to_have_count(0)

    alice.reload()
    expect(earned).to_have_text("24,000.00")  # one approval is not enough

    adam = open_as("adam")
    adam.goto("/console/finance/adjustments/")
    row = adam.locator("tbody tr", has_text="客户合同作废")
    expect(row).to_contain_text("fiona")
    row.get_by_role("button", name="批准").click()
    expect(adam.get_by_text("已生效。")).to_be_visible()
    expect(adam).to_have_url(re.compile(r"/console/finance/adjustments/$"))

    alice.reload()
    expect(earned).to_have_text("0.00")
