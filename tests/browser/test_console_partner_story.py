"""An officer registers a partner and signs its customer's project in the console (issue #12):
the preview shows the terms before anything is saved, then 确认签约 locks them.

A new partner starts at light. Its customer's new 300,000.00 project under policy v1 locks
r = 22%, T = 22% × 300,000.00 = 66,000.00 and the confirmation C = 8% × 300,000.00 = 24,000.00.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from huoban import clock
from huoban.partners.models import Partner
from huoban.projects.models import Project
from tests.customers.helpers import owned_customer
from tests.projects.helpers import ensure_policy_v1

pytestmark = pytest.mark.browser


def test_an_officer_registers_a_partner_then_signs_a_project_after_the_preview(actors, open_as):
    ensure_policy_v1()
    olivia = open_as("olivia")

    # Register: the 登记伙伴 button on the partner list, a bad USCC first, then a good one.
    olivia.goto("/console/partners/")
    olivia.get_by_role("link", name="登记伙伴").click()
    olivia.locator("#id_name").fill("伽马科技有限公司")
    olivia.locator("#id_uscc").fill("91110000710926094Q")
    # Checked as it is typed (HTMX), before the form is sent.
    expect(olivia.locator("#uscc-check")).to_contain_text("校验位")
    olivia.get_by_role("button", name="登记", exact=True).click()
    expect(olivia.get_by_text("统一社会信用代码校验位错误")).to_be_visible()
    expect(olivia.locator("#id_name")).to_have_value("伽马科技有限公司")  # what was typed stays
    olivia.locator("#id_uscc").fill("91110000710926094P")
    olivia.get_by_label("渠道伙伴").check()
    olivia.get_by_role("button", name="登记", exact=True).click()
    gamma = Partner.objects.get(name="伽马科技有限公司")
    expect(olivia).to_have_url(re.compile(rf"/console/partners/{gamma.code}/$"))
    expect(olivia.get_by_text(f"已登记伙伴 伽马科技有限公司（{gamma.code}）")).to_be_visible()

    # Sign: the customer's page, the preview, then 确认签约.
    customer = owned_customer(gamma)
    olivia.goto(f"/console/customers/{customer.pk}/")
    olivia.get_by_role("link", name="签约项目").click()
    olivia.locator("#id_title").fill("生产数据平台")
    olivia.locator("#id_contract_amount").fill("300000.00")
    olivia.locator("#id_signed_on").fill(clock.today().isoformat())
    olivia.get_by_role("button", name="预览佣金").click()
    terms = olivia.get_by_role("region", name="锁定条款")
    expect(terms).to_contain_text("22%")
    expect(terms).to_contain_text("¥66,000.00")
    expect(terms).to_contain_text("¥24,000.00")
    assert not Project.objects.filter(customer=customer).exists()  # the preview saved nothing
    olivia.get_by_role("button", name="确认签约").click()
    project = Project.objects.get(customer=customer)
    expect(olivia).to_have_url(re.compile(rf"/console/projects/{project.pk}/$"))
    expect(olivia.get_by_text("已签约：锁定费率 22%，佣金总额 ¥66,000.00。")).to_be_visible()
