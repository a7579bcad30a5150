"""An admin creates a staff user with a first password; at the first sign-in the new user must
choose its own before any page opens (issue #12, R-UI-1)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESK, TIMEOUT_MS

pytestmark = pytest.mark.browser


def test_an_admin_creates_a_staff_user_who_changes_the_password_first(
    actors, open_as, browser, live_server
):
    adam = open_as(actors.admin.username)
    adam.get_by_role("navigation").get_by_role("link", name="员工账号").click()
    form = adam.locator("#new-staff")
    form.locator("#id_username").fill("wang.fang")
    form.locator("#id_display_name").fill("王芳")
    form.locator("#id_role").select_option("finance")
    form.locator("#id_password").fill("1234")
    form.get_by_role("button", name="创建").click()
    expect(adam.get_by_text("密码至少8位")).to_be_visible()
    expect(adam.locator("#id_display_name")).to_have_value("王芳")
    adam.locator("#id_password").fill("first-pass-1")
    adam.get_by_role("button", name="创建").click()
    expect(adam.get_by_text("已创建 wang.fang")).to_be_visible()
    expect(adam.locator("main")).to_contain_text("待修改密码")

    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **DESK)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        fang = context.new_page()
        fang.goto("/console/finance/")
        fang.locator("#id_username").fill("wang.fang")
        fang.locator("#id_password").fill("first-pass-1")
        fang.locator("form[action='/login/'] button[type=submit]").click()
        expect(fang).to_have_url(re.compile(r"/password/\?next="))
        expect(fang.get_by_text("您的密码由管理员设置")).to_be_visible()
        fang.goto("/console/")  # no other page opens
        expect(fang).to_have_url(re.compile(r"/password/\?next="))
        fang.locator("#id_old_password").fill("first-pass-1")
        fang.locator("#id_new_password").fill("fang-own-2026")
        fang.locator("#id_new_password2").fill("fang-own-2026")
        fang.get_by_role("button", name="修改密码").click()
        expect(fang).to_have_url(re.compile(r"/console/$"))
        expect(fang.get_by_text("密码已修改。")).to_be_visible()
    finally:
        context.close()

    adam.reload()
    expect(adam.locator("main")).not_to_contain_text("待修改密码")
