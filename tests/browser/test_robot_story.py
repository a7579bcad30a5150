"""adam connects the East China sales team's DingTalk chat, then switches it off (issue #14,
R-NOTE-2)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from huoban.notifications.models import Robot

pytestmark = pytest.mark.browser


def test_adam_registers_a_dingtalk_robot_for_a_team(actors, open_as, tmp_path):
    adam = open_as("adam")
    adam.goto("/console/home/")
    adam.get_by_role("link", name="群机器人").click()
    form = adam.locator("#new-robot")
    form.get_by_label("团队").fill("华东销售")
    form.get_by_label("名称").fill("线索提醒")
    form.get_by_label("类型").select_option("dingtalk")
    form.get_by_label("Webhook 地址").fill("https://oapi.dingtalk.com/robot/send?access_token=abc")
    form.get_by_label("lead.submitted").check()
    form.get_by_label("lead.sla_due").check()
    # without DingTalk's signing secret the field says why, and nothing is registered
    form.get_by_role("button", name="登记").click()
    expect(adam.locator("#new-robot")).to_contain_text("钉钉机器人须使用加签密钥")
    assert not Robot.objects.exists()
    form = adam.locator("#new-robot")
    form.get_by_label("签名密钥").fill("SEC0123456789")
    form.get_by_role("button", name="登记").click()
    rows = adam.locator("#robots tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("华东销售")
    expect(rows.first).to_contain_text("钉钉")
    adam.screenshot(path=str(tmp_path / "robots.png"), full_page=True)
    rows.first.get_by_role("button", name="停用").click()
    expect(adam.locator("#robots tbody tr").first).to_contain_text("停用")
    assert Robot.objects.get().active is False


def test_adam_checks_the_channels_and_sends_himself_a_test(actors, open_as, tmp_path):
    adam = open_as("adam")
    adam.goto("/console/home/")
    adam.get_by_role("link", name="通知渠道").click()
    expect(adam.locator("#by-channel")).to_contain_text("电子邮件")
    expect(adam.locator("#email-settings")).to_contain_text("HUOBAN_EMAIL_HOST")
    adam.locator("#send-test").get_by_role("button", name="发送测试通知").click()
    expect(adam.locator(".alert-success")).to_contain_text("测试通知已排入发送")
    adam.screenshot(path=str(tmp_path / "channels.png"), full_page=True)
