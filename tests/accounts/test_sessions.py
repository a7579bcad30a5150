"""Sessions end 8 hours after sign-in however busy, after 30 minutes without a request, and with
the browser; API tokens end 90 days after they were issued (all on the project clock)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.test import Client

from huoban import clock
from huoban.accounts.services import issue_token
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
PORTAL = "/portal/"


def signed_in_client(username: str) -> Client:
    client = Client()
    with clock.frozen(T0):
        assert (
            client.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302
        )
    return client


def get_at(client: Client, moment: dt.datetime, path: str = PORTAL):
    with clock.frozen(moment):
        return client.get(path)


def test_a_session_ends_after_30_idle_minutes(actors):
    client = signed_in_client("alice")
    assert get_at(client, T0 + dt.timedelta(minutes=29, seconds=59)).status_code == 200
    # 29:59 after that request the session is still alive: the idle clock restarted.
    assert get_at(client, T0 + dt.timedelta(minutes=59, seconds=58)).status_code == 200
    response = get_at(client, T0 + dt.timedelta(minutes=59, seconds=58) + dt.timedelta(minutes=30))
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    login_page = get_at(client, T0 + dt.timedelta(hours=2), "/login/").content.decode()
    assert "30 分钟未操作" in login_page


def test_the_idle_limit_is_configurable(actors, settings):
    settings.HUOBAN = {**settings.HUOBAN, "SESSION_IDLE_MINUTES": 5}
    client = signed_in_client("alice")
    assert get_at(client, T0 + dt.timedelta(minutes=5)).status_code == 302


def test_a_busy_session_still_ends_8_hours_after_sign_in(actors):
    client = signed_in_client("olivia")
    for minutes in range(20, 8 * 60, 20):  # a request every 20 minutes, the last at 7:40
        moment = T0 + dt.timedelta(minutes=minutes)
        assert get_at(client, moment, "/console/").status_code == 200, moment
    response = get_at(client, T0 + dt.timedelta(hours=8), "/console/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    login_page = get_at(client, T0 + dt.timedelta(hours=8), "/login/").content.decode()
    assert "登录已满 8 小时" in login_page


def test_the_session_cookie_dies_with_the_browser(actors):
    client = signed_in_client("alice")
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # no persistent cookie


def test_api_tokens_expire_after_90_days(actors):
    with clock.frozen(T0):
        raw = issue_token(actors.alice)
    headers = {"Authorization": f"Bearer {raw}"}
    with clock.frozen(T0 + dt.timedelta(days=90) - dt.timedelta(seconds=1)):
        assert Client().get("/api/v1/leads", headers=headers).status_code == 200
    with clock.frozen(T0 + dt.timedelta(days=90)):
        response = Client().get("/api/v1/leads", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"detail": "未登录或令牌无效 / Not authenticated."}


def test_the_token_answer_says_when_it_expires(actors):
    with clock.frozen(T0):
        response = Client().post(
            "/api/v1/auth/token",
            {"username": "alice", "password": PASSWORD},
            content_type="application/json",
        )
    assert response.status_code == 200
    assert response.json()["expires_at"].startswith("2026-05-31T01:00:00")


def test_token_lifetime_zero_means_no_expiry(actors, settings):
    settings.HUOBAN = {**settings.HUOBAN, "API_TOKEN_DAYS": 0}
    with clock.frozen(T0):
        raw = issue_token(actors.alice)
    with clock.frozen(T0 + dt.timedelta(days=3650)):
        response = Client().get("/api/v1/leads", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
