"""A partner's users in the console (issue #12, R-UI-1): add with an invitation link shown once,
issue a reset link, disable; the link's page sets the password."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from huoban.accounts.models import PasswordLink, User
from huoban.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _counts() -> tuple[int, int, int]:
    return User.objects.count(), PasswordLink.objects.count(), AuditEvent.objects.count()


def _link_on(page: str) -> str:
    match = re.search(r'id="issued-url" value="http://testserver(/password/[^"]+/)"', page)
    assert match, "no link on the page"
    return match.group(1)


def test_an_officer_adds_a_user_who_sets_a_password_and_signs_in(actors):
    officer = _client(actors.officer)
    url = f"/console/partners/{actors.alpha.code}/"
    response = officer.post(
        f"{url}users/", {"username": "carol", "display_name": "陈晨", "email": "c@alpha.cn"}
    )
    assert response.status_code == 302 and response["Location"] == f"{url}#users"
    page = officer.get(url).content.decode()
    link = _link_on(page)
    assert "待设置密码" in page
    # Shown once: the next view of the page has no link.
    assert 'id="issued-url"' not in officer.get(url).content.decode()

    visitor = Client()
    assert "carol" in visitor.get(link).content.decode()
    response = visitor.post(link, {"password": "carol-pass-2026", "password2": "carol-pass-2026"})
    assert response.status_code == 302 and response["Location"] == "/login/"
    response = visitor.post("/login/", {"username": "carol", "password": "carol-pass-2026"})
    assert response.status_code == 302
    assert visitor.get("/portal/").status_code == 200
    # The link is spent.
    assert visitor.get(link).status_code == 404


def test_mismatched_passwords_keep_the_link_usable(actors):
    officer = _client(actors.officer)
    officer.post(f"/console/partners/{actors.alpha.code}/users/", {"username": "carol"})
    link = _link_on(officer.get(f"/console/partners/{actors.alpha.code}/").content.decode())
    visitor = Client()
    response = visitor.post(link, {"password": "carol-pass-2026", "password2": "carol-pass-2027"})
    assert response.status_code == 422 and "两次输入的密码不一致" in response.content.decode()
    response = visitor.post(link, {"password": "1234567890", "password2": "1234567890"})
    assert response.status_code == 422 and "不能全是数字" in response.content.decode()
    assert not User.objects.get(username="carol").has_usable_password()
    assert visitor.get(link).status_code == 200


def test_an_unknown_link_says_so(db):
    response = Client().get("/password/not-a-real-link/")
    assert response.status_code == 404 and "无效" in response.content.decode()


def test_a_taken_username_is_refused_on_the_field_and_changes_nothing(actors):
    officer = _client(actors.officer)
    before = _counts()
    response = officer.post(
        f"/console/partners/{actors.alpha.code}/users/",
        {"username": "alice", "display_name": "重名的人"},
    )
    page = response.content.decode()
    assert response.status_code == 422 and _counts() == before
    assert "用户名已存在" in page and "重名的人" in page


def test_english_field_errors(actors):
    officer = _client(actors.officer)
    officer.cookies["django_language"] = "en"
    response = officer.post(
        f"/console/partners/{actors.alpha.code}/users/", {"username": "bad name!"}
    )
    assert response.status_code == 422
    assert "a username has only letters" in response.content.decode()


def test_reset_link_and_disable(actors):
    officer = _client(actors.officer)
    url = f"/console/partners/{actors.alpha.code}/"
    response = officer.post(f"{url}users/{actors.alice.pk}/link/")
    assert response.status_code == 302
    page = officer.get(url).content.decode()
    link = _link_on(page)
    assert "重置密码链接（24 小时内有效" in page
    response = officer.post(f"{url}users/{actors.alice.pk}/active/", {"active": "no"})
    assert response.status_code == 302
    actors.alice.refresh_from_db()
    assert not actors.alice.is_active
    assert Client().get(link).status_code == 404  # a disabled user's link is void
    officer.post(f"{url}users/{actors.alice.pk}/active/", {"active": "yes"})
    actors.alice.refresh_from_db()
    assert actors.alice.is_active


def test_a_user_of_another_partner_is_not_found(actors):
    officer = _client(actors.officer)
    before = _counts()
    response = officer.post(f"/console/partners/{actors.beta.code}/users/{actors.alice.pk}/link/")
    assert response.status_code == 404 and _counts() == before


@pytest.mark.parametrize("who", ["presales", "pm", "finance"])
def test_other_staff_see_no_form_and_cannot_add(actors, who):
    client = _client(getattr(actors, who))
    url = f"/console/partners/{actors.alpha.code}/"
    page = client.get(url).content.decode()
    assert "添加用户" not in page and "重置密码链接" not in page
    before = _counts()
    assert client.post(f"{url}users/", {"username": "carol"}).status_code == 403
    assert client.post(f"{url}users/{actors.alice.pk}/active/", {"active": "no"}).status_code == 403
    assert _counts() == before


def test_who_must_change_the_password_sees_only_that_page(actors):
    alice = actors.alice
    alice.set_password("alice-pass-2026")
    alice.must_change_password = True
    alice.save()
    client = Client()
    client.post("/login/", {"username": "alice", "password": "alice-pass-2026"})
    response = client.get("/portal/leads/")
    assert response.status_code == 302
    assert response["Location"] == "/password/?next=%2Fportal%2Fleads%2F"
    assert client.get("/api/v1/leads").status_code == 403
    response = client.post(
        "/password/",
        {
            "old_password": "alice-pass-2026",
            "new_password": "alice-own-2026",
            "new_password2": "alice-own-2026",
            "next": "/portal/leads/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/portal/leads/"
    assert client.get("/portal/leads/").status_code == 200  # still signed in


def test_change_password_refuses_an_outside_next(actors):
    alice = actors.alice
    alice.set_password("alice-pass-2026")
    alice.save()
    client = Client()
    client.force_login(alice)
    response = client.post(
        "/password/",
        {
            "old_password": "alice-pass-2026",
            "new_password": "alice-own-2026",
            "new_password2": "alice-own-2026",
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/"
