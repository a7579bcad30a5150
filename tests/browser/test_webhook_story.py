"""adam registers a webhook from the console and keeps its secret (issue #14, R-HOOK-1)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from huoban.notifications.models import Webhook

pytestmark = pytest.mark.browser


def test_adam_registers_a_webhook_and_sees_the_secret_once(actors, open_as, tmp_path):
    adam = open_as("adam")
    adam.goto("/console/home/")
    adam.get_by_role("link", name="Webhook").click()
    form = adam.locator("#new-webhook")
    form.get_by_label("接收地址").fill("https://hooks.example.com/huoban")
    form.get_by_label("lead.submitted").check()
    form.get_by_label("lead.verdict").check()
    form.get_by_role("button", name="登记").click()
    secret = adam.locator("#webhook-secret code")
    expect(secret).to_have_text(Webhook.objects.get().secret)
    adam.screenshot(path=str(tmp_path / "webhooks.png"), full_page=True)
    # the list shows the webhook; the secret is gone once the page is left
    adam.goto("/console/webhooks/")
    expect(adam.locator("table").first).to_contain_text("https://hooks.example.com/huoban")
    expect(adam.locator("#webhook-secret")).to_have_count(0)
