"""mia (pm) puts beta on alpha's project as its co-delivery partner at 40%; fiona (finance)
records a payment of 300,000.00 received Thu 2026-09-24; bob (beta's user) sees on his phone
his revenue share of 120,000.00 due Fri 2026-10-09 (issue #15, R-RS-1/2/3); alice sees none of
it (R-VIS-2)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.projects.helpers import sign

pytestmark = pytest.mark.browser


def test_a_payment_shows_the_co_delivery_partner_its_share_with_the_due_date(
    actors, open_as, tmp_path
):
    project = sign(actors.officer, actors.alpha, "1000000.00", signed_on=dt.date(2026, 9, 1))
    page = f"/console/projects/{project.pk}/"

    mia = open_as("mia")
    mia.goto(page)
    card = mia.locator("#shares")
    card.get_by_text("登记合作方").click()
    form = card.locator("#share-form")
    form.get_by_label("合作方伙伴编号").fill(actors.beta.code)
    form.get_by_label("分成比例").fill("0.40")
    form.get_by_label("分工").fill("方案A：技术开发")
    form.get_by_role("button", name="登记").click()
    expect(mia.locator("#shares")).to_contain_text(actors.beta.name)

    fiona = open_as("fiona")
    fiona.goto(page)
    payment = fiona.locator(f"form[action='/console/projects/{project.pk}/payments/']")
    payment.locator("#id_amount").fill("300000.00")
    payment.locator("#id_received_on").fill("2026-09-24")
    payment.locator("#id_reference").fill("HK-924")
    payment.get_by_role("button", name="登记").click()
    expect(fiona.get_by_text("已登记回款流水 HK-924。")).to_be_visible()
    expect(fiona.locator("#shares")).to_contain_text("40%")

    bob = open_as("bob", phone=True)
    bob.goto("/portal/ledger/")
    entry = bob.locator(".list-group-item", has_text="合作分成")
    expect(entry).to_contain_text("¥120,000.00")
    expect(entry).to_contain_text("到期 2026-10-09")
    bob.screenshot(path=str(tmp_path / "share.png"), full_page=True)

    alice = open_as("alice", phone=True)
    alice.goto(f"/portal/projects/{project.pk}/")
    expect(alice.locator("main")).not_to_contain_text(actors.beta.name)
    alice.goto("/portal/ledger/")
    expect(alice.locator("main")).not_to_contain_text("合作分成")
