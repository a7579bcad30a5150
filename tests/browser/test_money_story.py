"""Finance records a customer payment in the console and the partner's earnings follow on her
phone (R-PROJ-4, R-LED-4).

alpha's new project, 300,000.00, light tier: the first payment earns the referral confirmation
fee C = 8% × 300,000.00 = 24,000.00 (the rest, up to 22% × 300,000.00 = 66,000.00, comes at
acceptance). So once finance records 100,000.00, alice's earnings this year show 24,000.00
earned, 0.00 paid, 24,000.00 outstanding.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from huoban import clock
from tests.projects.helpers import sign

pytestmark = pytest.mark.browser


def test_finance_records_a_payment_and_alices_earnings_show_24000(actors, open_as):
    project = sign(actors.officer, actors.alpha, "300000.00", signed_on=clock.today())

    # alice, on her phone, has earned nothing this year yet.
    alice = open_as("alice", phone=True)
    earned = alice.locator("[data-figure=earned]")
    expect(earned).to_have_text("0.00")

    # fiona (finance), at her desk, opens the project and records the first payment.
    fiona = open_as("fiona")
    fiona.goto(f"/console/projects/{project.pk}/")
    payment = fiona.locator(f"form[action='/console/projects/{project.pk}/payments/']")
    expect(payment.locator("#id_kind")).to_have_value("payment")
    payment.locator("#id_amount").fill("100000.00")
    payment.locator("#id_received_on").fill(clock.today().isoformat())
    payment.locator("#id_reference").fill("HK-001")
    payment.get_by_role("button", name="登记").click()
    expect(fiona.get_by_text("已登记回款流水 HK-001。")).to_be_visible()
    expect(fiona).to_have_url(re.compile(rf"/console/projects/{project.pk}/$"))
    expect(fiona.locator("tr", has_text="HK-001")).to_contain_text("¥100,000.00")

    # alice reloads her home page: 8% × 300,000.00 = 24,000.00 earned, none of it paid yet.
    alice.reload()
    expect(earned).to_have_text("24,000.00")
    expect(alice.locator("[data-figure=paid]")).to_have_text("0.00")
    expect(alice.locator("[data-figure=outstanding]")).to_have_text("24,000.00")
