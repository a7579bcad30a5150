"""The site's own error pages (issue #12): in its style and language, with a way home."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client


@pytest.mark.django_db
def test_an_unknown_address_answers_the_sites_404_page():
    response = Client().get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and 'href="/"' in body and "bootstrap.min.css" in body


def test_the_500_page_renders_without_a_request():
    body = render_to_string("500.html")
    assert "出错了" in body and "返回首页" in body


@pytest.mark.django_db
def test_a_partner_user_gets_the_404_page_for_the_console(actors):
    client = Client()
    client.force_login(actors.alice)
    response = client.get("/console/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()
