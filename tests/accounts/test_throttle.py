"""Login throttling: 5 failures for a username from one address in 15 minutes lock that username
*from that address* for 1 minute, doubling with each further lockout within a day up to 15
minutes; 20 failures from one address lock the address for 15 minutes; on the login page, the
admin login and POST /api/v1/auth/token alike (counted in the database). An admin, or the
operator with `huoban unlock`, lifts a username's lockouts (issue #10 finding 15)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from huoban import clock
from huoban.accounts.models import LoginFailure, LoginLockout
from huoban.accounts.throttle import client_ip
from huoban.audit.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LOCKED_ZH = "登录失败次数过多"


def web_login(username: str, password: str, ip: str = "10.0.0.1") -> tuple[int, str]:
    """POST the login form from ``ip``: (status, page text); 302 means signed in."""
    response = Client(REMOTE_ADDR=ip).post("/login/", {"username": username, "password": password})
    return response.status_code, response.content.decode()


def api_login(username: str, password: str, ip: str = "10.0.0.1") -> tuple[int, dict]:
    response = Client(REMOTE_ADDR=ip).post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
    )
    return response.status_code, response.json()


def signed_in(login, status: int) -> bool:
    """The login page redirects (302) once signed in; the API answers 200 with a token."""
    return status == (302 if login is web_login else 200)


def fail(login, username: str, times: int, ip: str = "10.0.0.1") -> None:
    for _ in range(times):
        status, _body = login(username, "wrong-password", ip)
        assert status in (200, 401)  # the form again, or the API's 401


@pytest.mark.parametrize("login", [web_login, api_login], ids=["web", "api"])
def test_five_failures_lock_the_username_from_that_address_only(actors, login):
    with clock.frozen(T0):
        fail(login, "alice", 5, ip="198.51.100.66")  # someone guessing from their machine
        status, body = login("alice", PASSWORD, "198.51.100.66")  # even the right password
        if login is web_login:
            assert status == 200 and LOCKED_ZH in body
        else:
            assert status == 429
            assert body["detail"].startswith(LOCKED_ZH)
            assert "Too many failed sign-ins" in body["detail"]
        # alice at her own desk is not locked out (the attack is not a denial of service)
        assert signed_in(login, login("alice", PASSWORD, "10.9.9.9")[0])
    assert list(LoginLockout.objects.values_list("scope", "key")) == [
        ("pair", "alice|198.51.100.66")
    ]


def test_the_lockouts_of_one_pair_grow_1_2_4_8_15_minutes(actors):
    """Five failures lock for 1 minute; each failure after a lockout ends locks again, twice as
    long, up to 15 minutes."""
    at = T0
    with clock.frozen(at):
        fail(api_login, "alice", 5)
    lengths = []
    for _ in range(6):
        lock = LoginLockout.objects.order_by("-since").first()
        lengths.append(round((lock.until - lock.since).total_seconds() / 60))
        at = lock.until
        with clock.frozen(at):
            assert api_login("alice", "wrong-password")[0] == 401  # not locked any more
    assert lengths == [1, 2, 4, 8, 15, 15]


def test_an_admin_or_the_operator_unlocks_a_username(actors, capsys):
    from huoban.access import Forbidden
    from huoban.accounts.throttle import unlock
    from huoban.cli import main as huoban

    with clock.frozen(T0):
        fail(api_login, "alice", 5, ip="198.51.100.66")
        with pytest.raises(Forbidden):
            unlock("alice", actor=actors.officer)
        assert api_login("alice", PASSWORD, "198.51.100.66")[0] == 429
        assert unlock("ALICE", actor=actors.admin) == 1
        assert api_login("alice", PASSWORD, "198.51.100.66")[0] == 200
        fail(api_login, "alice", 5, ip="198.51.100.66")
        assert huoban(["unlock", "alice"]) == 0
        assert "1 lockout(s) lifted" in capsys.readouterr().out
        assert api_login("alice", PASSWORD, "198.51.100.66")[0] == 200
    events = AuditEvent.objects.filter(action="login.unlock").order_by("id")
    assert [(e.actor_name, e.after["lifted"]) for e in events] == [("adam", 1), ("system", 1)]


@pytest.mark.parametrize("login", [web_login, api_login], ids=["web", "api"])
def test_four_failures_do_not_lock(actors, login):
    with clock.frozen(T0):
        fail(login, "alice", 4)
        assert signed_in(login, login("alice", PASSWORD)[0])
    assert not LoginLockout.objects.exists()


@pytest.mark.parametrize("login", [web_login, api_login], ids=["web", "api"])
def test_the_first_lock_ends_after_a_minute(actors, login):
    with clock.frozen(T0):
        fail(login, "alice", 5)
    with clock.frozen(T0 + dt.timedelta(seconds=59)):
        status, body = login("alice", PASSWORD)
        assert not signed_in(login, status) and LOCKED_ZH in str(body)
    with clock.frozen(T0 + dt.timedelta(minutes=1)):
        assert signed_in(login, login("alice", PASSWORD)[0])


@pytest.mark.parametrize("login", [web_login, api_login], ids=["web", "api"])
def test_a_successful_sign_in_resets_the_username_counter(actors, login):
    with clock.frozen(T0):
        fail(login, "alice", 4)
        assert signed_in(login, login("alice", PASSWORD)[0])
        fail(login, "alice", 4)  # 4 more: 8 in the window, but only 4 since the success
        assert signed_in(login, login("alice", PASSWORD)[0])
    assert not LoginLockout.objects.exists()


@pytest.mark.parametrize("login", [web_login, api_login], ids=["web", "api"])
def test_twenty_failures_from_one_address_lock_the_address(actors, login):
    with clock.frozen(T0):
        for n in range(20):
            fail(login, f"nobody{n}", 1, ip="203.0.113.7")  # 20 usernames, one failure each
        assert LOCKED_ZH in str(login("alice", PASSWORD, "203.0.113.7")[1])
        # Another address is not locked, nor is the username alice.
        assert signed_in(login, login("alice", PASSWORD, "203.0.113.8")[0])
    assert list(LoginLockout.objects.values_list("scope", "key")) == [("ip", "203.0.113.7")]


def test_failures_older_than_the_window_do_not_count(actors):
    with clock.frozen(T0):
        fail(api_login, "alice", 4)
    with clock.frozen(T0 + dt.timedelta(minutes=15, seconds=1)):
        fail(api_login, "alice", 1)
        assert api_login("alice", PASSWORD)[0] == 200
    assert LoginFailure.objects.filter(at__lte=T0).count() == 0  # pruned as failures arrive


def test_web_and_api_share_the_counter_and_usernames_are_case_folded(actors):
    with clock.frozen(T0):
        fail(web_login, "alice", 3)
        fail(api_login, "ALICE", 2)
        assert api_login("alice", PASSWORD)[0] == 429


def test_the_admin_login_is_throttled_too(actors):
    with clock.frozen(T0):
        fail(web_login, "adam", 5)
        response = Client(REMOTE_ADDR="10.0.0.1").post(
            "/admin/login/", {"username": "adam", "password": PASSWORD}
        )
    assert response.status_code == 200 and LOCKED_ZH in response.content.decode()


def test_each_lockout_is_audited_once(actors):
    with clock.frozen(T0):
        fail(api_login, "alice", 5)
        api_login("alice", PASSWORD)  # refused: no new failure, no new lockout
    events = AuditEvent.objects.filter(action="login.lockout")
    assert events.count() == 1
    after = events.get().after
    assert after["scope"] == "pair" and after["key"] == "alice|10.0.0.1"
    assert after["failures"] == 5
    assert after["until"].startswith("2026-03-02T09:01")


def test_the_lock_message_follows_the_language(actors):
    with clock.frozen(T0):
        fail(web_login, "alice", 5)
        client = Client(REMOTE_ADDR="10.0.0.1")
        client.cookies["django_language"] = "en"
        html = client.post("/login/", {"username": "alice", "password": PASSWORD}).content
    assert "Too many failed sign-ins: locked, try again in 1 minute." in html.decode()


def test_the_client_address_behind_trusted_proxies(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4")
    settings.HUOBAN = {**settings.HUOBAN, "TRUSTED_PROXIES": 0}
    assert client_ip(request) == "10.0.0.9"  # no proxy: the header is the client's own words
    settings.HUOBAN = {**settings.HUOBAN, "TRUSTED_PROXIES": 1}
    assert client_ip(request) == "198.51.100.4"  # what our proxy saw, not the forged 6.6.6.6
    settings.HUOBAN = {**settings.HUOBAN, "TRUSTED_PROXIES": 3}
    assert client_ip(request) == "10.0.0.9"  # fewer hops than proxies: fall back
