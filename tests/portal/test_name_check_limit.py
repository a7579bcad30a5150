"""The live "already registered" hint answers at most 30 checks a minute per partner user, so
the registry cannot be probed name by name (the counter lives in the database: every worker
shares it)."""

from __future__ import annotations

import datetime as dt

import pytest

from huoban import clock
from tests.leads.helpers import judge, submit
from tests.portal.helpers import client_for

pytestmark = pytest.mark.django_db

URL = "/portal/leads/new/name-check/"
T0 = dt.datetime(2026, 3, 2, 9, 0, 0, tzinfo=dt.UTC)


def _check(client, name: str = "东义集团"):
    return client.get(URL, {"customer_name": name}, HTTP_HX_REQUEST="true")


def test_the_31st_check_in_a_minute_is_refused_and_the_next_minute_works(actors):
    judge(actors.officer, submit(actors.alice, "东义集团"))
    client = client_for(actors.bob)
    with clock.frozen(T0):
        for _ in range(30):
            response = _check(client)
            assert response.status_code == 200 and "该客户已被报备" in response.content.decode()
    with clock.frozen(T0 + dt.timedelta(seconds=59)):
        refused = _check(client)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "查询过于频繁，请稍后再试" in html and "该客户已被报备" not in html
    with clock.frozen(T0 + dt.timedelta(seconds=60)):
        assert _check(client).status_code == 200


def test_the_limit_is_per_user(actors):
    with clock.frozen(T0):
        for _ in range(31):
            _check(client_for(actors.bob))
        assert _check(client_for(actors.bob)).status_code == 429
        assert _check(client_for(actors.alice)).status_code == 200


def test_the_refusal_follows_the_language(actors, settings):
    settings.HUOBAN = {**settings.HUOBAN, "NAME_CHECKS_PER_MINUTE": 0}
    client = client_for(actors.bob)
    client.cookies["django_language"] = "en"
    assert "Too many name checks" in _check(client).content.decode()
