"""An officer adds a user to a partner and hands over the one-time invitation link; the new
user chooses a password on a phone and signs in to the portal (issue #12, R-UI-1)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, TIMEOUT_MS

pytestmark = pytest.mark.browser


def test_an_officer_invites_a_partner_user_who_signs_in(actors, open_as, browser, live_server):
    olivia = open_as("olivia")
    olivia.goto(f"/console/partners/{actors.alpha.code}/")
    users = olivia.locator("#users")
    users.get_by_text("添加用户").click()
    users.locator("#id_username").fill("alice")  # taken: refused on the field, nothing saved
    users.locator("#id_display_name").fill("陈晨")
    users.get_by_role("button", name="添加并生成邀请链接").click()
    expect(olivia.get_by_text("用户名已存在")).to_be_visible()
    expect(olivia.locator("#id_display_name")).to_have_value("陈晨")
    olivia.locator("#id_username").fill("carol")
    olivia.get_by_role("button", name="添加并生成邀请链接").click()
    expect(olivia.get_by_text("已添加用户 carol。")).to_be_visible()
    expect(olivia.locator("#users")).to_contain_text("待设置密码")
    link = olivia.locator("#issued-url").input_value()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/password/[\w-]+/", link)
    olivia.reload()
    expect(olivia.locator("#issued-url")).to_have_count(0)  # shown once

    context = browser.new_context(locale="zh-CN", **PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        carol = context.new_page()
        carol.goto(link)
        expect(carol.get_by_text("carol")).to_be_visible()
        carol.locator("#id_password").fill("carol-pass-2026")
        carol.locator("#id_password2").fill("carol-pass-2027")
        carol.get_by_role("button", name="设置密码").click()
        expect(carol.get_by_text("两次输入的密码不一致")).to_be_visible()
        carol.locator("#id_password").fill("carol-pass-2026")
        carol.locator("#id_password2").fill("carol-pass-2026")
        carol.get_by_role("button", name="设置密码").click()
        expect(carol).to_have_url(re.compile(r"/login/$"))
        expect(carol.get_by_text("密码已设置，请用用户名 carol 登录。")).to_be_visible()
        carol.locator("#id_username").fill("carol")
        carol.locator("#id_password").fill("carol-pass-2026")
        carol.locator("form[action='/login/'] button[type=submit]").click()
        expect(carol).to_have_url(re.compile(r"/portal/$"))
        carol.goto(link)
        expect(carol.get_by_text("此链接无效、已使用或已过期。")).to_be_visible()
    finally:
        context.close()

    olivia.reload()
    expect(olivia.locator("#users")).to_contain_text("正常")
