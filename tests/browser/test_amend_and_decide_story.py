"""Two console workflows end to end (issue #12): a pm corrects a project's contract amount
before the first payment, and the admin confirms a company violation a partner reported,
after which the partner claims the liquidated damages on its phone.

alpha's new 300,000.00 light project under policy v1 locks 22% (T = 66,000.00). Corrected to
600,000.00 it is re-priced above the last bound: 30% (the cap also 30%), T = 180,000.00. The
liquidated damages are 30% of the contract amount: 30% × 600,000.00 = 180,000.00.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from huoban import clock
from huoban.partners.models import CompanyViolation
from huoban.standing.violations import report_company_violation
from tests.projects.helpers import sign

pytestmark = pytest.mark.browser


def test_a_pm_amends_then_the_admin_confirms_a_violation_and_alice_claims(actors, open_as):
    project = sign(actors.officer, actors.alpha, "300000.00", signed_on=clock.today())

    mia = open_as("mia")
    mia.goto(f"/console/projects/{project.pk}/")
    mia.get_by_text("更正合同金额").click()
    mia.locator("#amend_contract_amount").fill("600000.00")
    mia.locator("#amend_reason").fill("补充协议：增加二期范围")
    mia.get_by_role("button", name="更正并重新计价").click()
    expect(mia).to_have_url(re.compile(rf"/console/projects/{project.pk}/$"))
    expect(mia.get_by_role("alert")).to_contain_text("180,000.00")
    project.refresh_from_db()
    assert str(project.commission_total) == "180000.00"

    report_company_violation(
        actor=actors.alice,
        project_id=project.pk,
        kind="bypass",
        description="贵司售前绕开我方直接报价",
    )
    violation = CompanyViolation.objects.get()
    adam = open_as("adam")
    adam.goto(f"/console/partners/{actors.alpha.code}/")
    form = adam.locator(
        f"form[action='/console/partners/{actors.alpha.code}/company-violations/{violation.pk}/decide/']"
    )
    form.locator("select").select_option("yes")
    form.locator("textarea").fill("核实属实")
    form.get_by_role("button", name="提交").click()
    expect(adam.get_by_text("已处理伙伴报告的违约。")).to_be_visible()

    alice = open_as("alice", phone=True)
    alice.goto("/portal/violations/")
    alice.get_by_role("button", name="主张违约金").click()
    expect(alice.get_by_text("已记入违约金 ¥180,000.00").first).to_be_visible()
