"""fiona (finance) records a credit review of alpha's customer — medium, a limit of
200,000.00 —; olivia (officer) signs a project of 150,000.00, is refused a second of 100,000.00
with both figures (exposure 250,000.00) and signs it cash-only instead; fiona sets the first
project's billing plan line by line (R-CRED-1/2/3, issue #16)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from huoban import clock
from huoban.credit.models import Instalment
from huoban.projects.models import Project
from tests.projects.helpers import ensure_policy_v1, make_customer

pytestmark = pytest.mark.browser


def _sign(page, customer_id: int, amount: str, *, cash_only: bool = False) -> None:
    page.goto(f"/console/customers/{customer_id}/sign/")
    page.locator("#id_title").fill("生产数据平台")
    page.locator("#id_contract_amount").fill(amount)
    page.locator("#id_signed_on").fill(clock.today().isoformat())
    if cash_only:
        page.get_by_label("全额预付（开工前付清 100%）").check()
    page.get_by_role("button", name="预览佣金").click()
    page.get_by_role("button", name="确认签约").click()


def test_finance_sets_a_limit_and_the_signing_is_held_to_it(actors, open_as, tmp_path):
    ensure_policy_v1()
    customer = make_customer(actors.alpha)
    credit = f"/console/customers/{customer.pk}/credit/"

    fiona = open_as("fiona")
    fiona.goto(f"/console/customers/{customer.pk}/")
    fiona.locator("#credit-link").click()
    expect(fiona).to_have_url(re.compile(rf"{credit}$"))
    form = fiona.locator("#new-review")
    form.get_by_label("信用评级").select_option("B")
    form.get_by_label("信用风险").select_option("medium")
    form.get_by_label("信用额度（元）").fill("200000.00")
    form.get_by_label("信息来源（每行一个）").fill("国家企业信用信息公示系统\n中国执行信息公开网")
    form.get_by_role("button", name="登记").click()
    expect(fiona.get_by_text("资信调查已登记并生效。")).to_be_visible()
    standing = fiona.locator("#credit-standing")
    expect(standing).to_contain_text("¥200,000.00")
    expect(fiona.locator("#credit-risk")).to_have_text("中")

    olivia = open_as("olivia")
    _sign(olivia, customer.pk, "150000.00")
    expect(olivia.get_by_text(re.compile("已签约：锁定费率"))).to_be_visible()
    _sign(olivia, customer.pk, "100000.00")
    refusal = olivia.get_by_text(re.compile("信用敞口将达 250,000.00，超过信用额度 200,000.00"))
    expect(refusal).to_be_visible()
    expect(olivia.locator("#signing-credit")).to_contain_text("当前敞口 ¥150,000.00")
    olivia.screenshot(path=str(tmp_path / "credit-refused.png"), full_page=True)
    assert Project.objects.filter(customer=customer).count() == 1
    _sign(olivia, customer.pk, "100000.00", cash_only=True)
    expect(olivia.get_by_text(re.compile("已签约：锁定费率"))).to_be_visible()
    expect(olivia.get_by_text("全额预付", exact=True)).to_be_visible()

    first = Project.objects.get(customer=customer, cash_only=False)
    fiona.goto(f"/console/projects/{first.pk}/")
    fiona.locator("#billing-plan-link").click()
    fiona.get_by_label("各期：金额，应收日（每行一期）").fill(
        "50000.00，2026-10-01\n100000.00，2027-06-30"
    )
    fiona.get_by_role("button", name="保存").click()
    expect(fiona.get_by_text("收款计划已保存。")).to_be_visible()
    plan = fiona.locator("#plan")
    expect(plan).to_contain_text("¥150,000.00")
    expect(plan.locator("tbody tr").first).to_contain_text("逾期")
    expect(plan.locator("tbody tr").nth(1)).to_contain_text("未到期")
    assert Instalment.objects.filter(project=first).count() == 2
    fiona.screenshot(path=str(tmp_path / "billing-plan.png"), full_page=True)
