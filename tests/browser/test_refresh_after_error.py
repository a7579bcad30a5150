"""After a refused form the address is the page's own, so a refresh shows the page again and
never re-sends the form (issue #12)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from huoban.partners.models import Partner, PartnerViolation

pytestmark = pytest.mark.browser


def test_a_refused_violation_form_leaves_the_partner_page_address(actors, open_as):
    olivia = open_as("olivia")
    page_url = f"/console/partners/{actors.alpha.code}/"
    olivia.goto(page_url)
    olivia.get_by_text("退出合作").scroll_into_view_if_needed()
    exit_form = olivia.locator(f"form[action='{page_url}exit/']")
    exit_form.locator("#exit_kind").select_option("company_violation")
    exit_form.locator("#exit_on").fill("2099-01-01")
    exit_form.get_by_role("button", name="记录退出").click()
    expect(olivia.get_by_text("因我方违约的退出立即生效")).to_be_visible()
    # The refused POST answered at /exit/, but the address is the partner page's own.
    expect(olivia).to_have_url(re.compile(rf"{re.escape(page_url)}$"))
    olivia.reload()
    expect(olivia.get_by_text("因我方违约的退出立即生效")).to_have_count(0)
    assert Partner.objects.get(pk=actors.alpha.pk).status == "active"
    assert not PartnerViolation.objects.exists()
