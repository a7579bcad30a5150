"""The staff-user pages (admin only; issue #12, R-UI-1)."""

from __future__ import annotations

import pytest
from django.test import Client

from huoban.accounts.models import User
from huoban.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _client(user, language: str | None = None) -> Client:
    client = Client()
    client.force_login(user)
    if language:
        client.cookies["django_language"] = language
    return client


def _counts():
    return User.objects.count(), AuditEvent.objects.count()


def test_the_admin_sees_the_menu_and_creates_a_user(actors):
    admin = _client(actors.admin)
    assert "员工账号" in admin.get("/console/").content.decode()
    response = admin.post(
        "/console/staff/",
        {
            "username": "wang.fang",
            "display_name": "王芳",
            "role": "finance",
            "password": "first-pass-1",
        },
    )
    user = User.objects.get(username="wang.fang")
    assert response.status_code == 302 and response["Location"] == f"/console/staff/{user.pk}/"
    page = admin.get(response["Location"]).content.decode()
    assert "王芳" in page and "待修改密码" in page
    assert "wang.fang" in admin.get("/console/staff/?role=finance").content.decode()
    assert "wang.fang" not in admin.get("/console/staff/?role=pm").content.decode()


def test_bad_input_keeps_the_form_and_changes_nothing(actors):
    admin = _client(actors.admin, "en")
    before = _counts()
    response = admin.post(
        "/console/staff/",
        {"username": "wang.fang", "display_name": "Wang Fang", "role": "pm", "password": "1234"},
    )
    page = response.content.decode()
    assert response.status_code == 422 and _counts() == before
    assert "password must be at least 8 characters" in page and "Wang Fang" in page


def test_role_reset_and_disable_from_the_user_page(actors):
    admin = _client(actors.admin)
    url = f"/console/staff/{actors.pm.pk}/"
    assert admin.post(f"{url}role/", {"role": "officer"}).status_code == 302
    assert admin.post(f"{url}password/", {"password": "temp-pass-1"}).status_code == 302
    assert admin.post(f"{url}active/", {"active": "no"}).status_code == 302
    actors.pm.refresh_from_db()
    assert (actors.pm.role, actors.pm.must_change_password, actors.pm.is_active) == (
        "officer",
        True,
        False,
    )
    before = _counts()
    response = admin.post(f"{url}password/", {"password": "short"})
    assert response.status_code == 422 and _counts() == before


def test_the_admin_own_page_offers_no_forms(actors):
    page = _client(actors.admin).get(f"/console/staff/{actors.admin.pk}/").content.decode()
    assert "修改角色" not in page and "停用账号" not in page


def test_a_partner_user_has_no_staff_page(actors):
    assert _client(actors.admin).get(f"/console/staff/{actors.alice.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["officer", "presales", "pm", "finance"])
def test_other_staff_get_the_403_page_and_no_menu(actors, who):
    client = _client(getattr(actors, who))
    assert "员工账号" not in client.get("/console/").content.decode()
    response = client.get("/console/staff/")
    assert response.status_code == 403 and "由管理员维护" in response.content.decode()
    before = _counts()
    response = client.post(
        "/console/staff/",
        {"username": "x.y", "role": "admin", "password": "first-pass-1"},
    )
    assert response.status_code == 403
    assert client.post(f"/console/staff/{actors.pm.pk}/role/", {"role": "admin"}).status_code == 403
    assert _counts() == before


def test_the_admin_lifts_a_lockout(actors):
    from huoban.accounts.models import LoginLockout

    client = Client()
    for _ in range(6):
        client.post("/login/", {"username": actors.pm.username, "password": "wrong-password"})
    assert LoginLockout.objects.filter(key__startswith=actors.pm.username).exists()
    admin = _client(actors.admin)
    page = admin.get("/console/staff/lockouts/").content.decode()
    assert actors.pm.username in page
    response = admin.post("/console/staff/lockouts/", {"username": actors.pm.username})
    assert response.status_code == 302
    assert not LoginLockout.objects.filter(key__startswith=actors.pm.username).exists()
    assert AuditEvent.objects.filter(action="login.unlock").count() == 1
    officer = _client(actors.officer)
    assert officer.get("/console/staff/lockouts/").status_code == 403
    assert officer.post("/console/staff/lockouts/", {"username": "x"}).status_code == 403
