"""The live "already registered" hint while typing a customer name: it never names the owner
(R-VIS-1)."""

from __future__ import annotations

import pytest

from tests.leads.helpers import VALID, judge, submit
from tests.portal.helpers import client_for

pytestmark = pytest.mark.django_db

URL = "/portal/leads/new/name-check/"


def _check(user, name: str, **extra: str) -> str:
    response = client_for(user).get(URL, {"customer_name": name, **extra}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_a_customer_owned_by_another_partner_is_already_registered(actors):
    judge(actors.officer, submit(actors.alice, "山西东义煤电铝集团有限公司"))
    html = _check(actors.bob, "东义煤电铝集团")
    assert "该客户已被报备" in html
    for secret in (actors.alpha.name, actors.alpha.code, "alice", "阿尔法"):
        assert secret not in html


def test_a_customer_the_partner_owns_itself_says_nothing(actors):
    judge(actors.officer, submit(actors.alice, "东义集团"), VALID)
    assert "已被报备" not in _check(actors.alice, "东义集团")


def test_an_unowned_or_unknown_customer_says_nothing(actors):
    submit(actors.alice, "东义集团")  # pending: registered but not yet owned
    assert _check(actors.bob, "东义集团").strip() == ""
    assert _check(actors.bob, "完全不同的名字科技").strip() == ""
    assert _check(actors.bob, "").strip() == ""


def test_a_possible_match_asks_the_officer(actors):
    judge(actors.officer, submit(actors.alice, "北京星河数字科技有限公司"))
    html = _check(actors.bob, "北京星河数码科技有限公司")
    assert "可能已被报备，提交后由伙伴关系官确认" in html
    assert actors.alpha.name not in html and actors.alpha.code not in html


def test_the_hint_follows_the_language(actors):
    judge(actors.officer, submit(actors.alice, "东义集团"))
    client = client_for(actors.bob)
    client.cookies["django_language"] = "en"
    html = client.get(URL, {"customer_name": "东义集团"}).content.decode()
    assert "already registered" in html.lower()


def test_only_partner_users_may_ask(actors):
    assert client_for(actors.officer).get(URL, {"customer_name": "东义集团"}).status_code == 404
    assert client_for(None).get(URL, {"customer_name": "东义集团"}).status_code == 302
