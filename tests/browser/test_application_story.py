"""From the public application to a signed-in partner user (issue #12, R-UI-1): someone applies
on a phone without an account, an officer finds it in the queue, turns it into a partner from
the prefilled registration form, adds its user, and that user sets a password and signs in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from huoban.partners.models import Partner
from tests.browser.conftest import PHONE, TIMEOUT_MS

pytestmark = pytest.mark.browser


def test_an_application_becomes_a_partner_whose_user_signs_in(
    actors, open_as, browser, live_server
):
    visitor_context = browser.new_context(base_url=live_server.url, locale="zh-CN", **PHONE)
    visitor_context.set_default_timeout(TIMEOUT_MS)
    try:
        visitor = visitor_context.new_page()
        visitor.goto("/login/")
        visitor.get_by_role("link", name="申请成为合作伙伴").click()
        visitor.locator("#id_name").fill("晋城云启信息技术有限公司")
        visitor.locator("#id_contact").fill("赵云")
        visitor.locator("#id_phone").fill("电话")
        visitor.get_by_label("战略伙伴").check()
        visitor.locator("#id_resources").fill("煤矿集团信息化部门")
        visitor.get_by_role("button", name="提交").click()
        expect(visitor.get_by_text("电话号码格式不正确")).to_be_visible()
        expect(visitor.locator("#id_name")).to_have_value("晋城云启信息技术有限公司")
        visitor.locator("#id_phone").fill("138 0000 1234")
        visitor.get_by_role("button", name="提交").click()
        expect(visitor).to_have_url(re.compile(r"/apply/thanks/$"))
        expect(visitor.get_by_text("已收到您的申请")).to_be_visible()
        expect(visitor.get_by_text("回执编号")).to_be_visible()

        olivia = open_as("olivia")
        olivia.goto("/console/partners/")
        olivia.get_by_role("link", name=re.compile("合作申请")).click()
        row = olivia.locator("tbody tr", has_text="晋城云启信息技术有限公司")
        expect(row).to_contain_text("战略伙伴")
        row.get_by_role("link", name="转为伙伴").click()
        expect(olivia.locator("#id_name")).to_have_value("晋城云启信息技术有限公司")
        expect(olivia.locator("#id_contact_phone")).to_have_value("138 0000 1234")
        olivia.locator("#id_uscc").fill("91110000710926094P")
        olivia.get_by_role("button", name="登记", exact=True).click()
        partner = Partner.objects.get(name="晋城云启信息技术有限公司")
        expect(olivia).to_have_url(re.compile(rf"/console/partners/{partner.code}/$"))

        users = olivia.locator("#users")
        users.get_by_text("添加用户").click()
        users.locator("#id_username").fill("zhaoyun")
        users.locator("#id_display_name").fill("赵云")
        users.get_by_role("button", name="添加并生成邀请链接").click()
        link = olivia.locator("#issued-url").input_value()

        visitor.goto(link)
        visitor.locator("#id_password").fill("zhaoyun-2026")
        visitor.locator("#id_password2").fill("zhaoyun-2026")
        visitor.get_by_role("button", name="设置密码").click()
        visitor.locator("#id_username").fill("zhaoyun")
        visitor.locator("#id_password").fill("zhaoyun-2026")
        visitor.locator("form[action='/login/'] button[type=submit]").click()
        expect(visitor).to_have_url(re.compile(r"/portal/$"))
        expect(visitor.locator("body")).to_contain_text(partner.code)

        olivia.goto("/console/partners/inquiries/")
        expect(olivia.get_by_text("没有待处理的申请。")).to_be_visible()
    finally:
        visitor_context.close()
