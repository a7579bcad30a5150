"""Staff users, kept by an admin (issue #12, R-UI-1): first password to be changed, role,
reset, disable."""

from __future__ import annotations

import pytest
from django.test import Client

from huoban.accounts.models import User
from huoban.audit.models import AuditEvent
from huoban.errors import Conflict, Forbidden, NotFound, ValidationFailed
from huoban.staff import (
    change_staff_role,
    create_staff_user,
    reset_staff_password,
    set_staff_active,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _counts():
    return User.objects.count(), AuditEvent.objects.count()


def test_an_admin_creates_a_staff_user_who_must_change_the_password(actors):
    user = create_staff_user(
        username="wang.fang", role="finance", password="first-pass-1", actor=actors.admin
    )
    assert (user.role, user.must_change_password, user.is_superuser) == ("finance", True, False)
    assert user.check_password("first-pass-1")
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.actor_id == actors.admin.pk


@pytest.mark.parametrize("who", ["officer", "presales", "pm", "finance", "alice"])
def test_only_an_admin_manages_staff(actors, who):
    actor = getattr(actors, who)
    before = _counts()
    with pytest.raises(Forbidden):
        create_staff_user(username="x.y", role="pm", password="first-pass-1", actor=actor)
    with pytest.raises(Forbidden):
        change_staff_role(actors.pm.pk, "officer", actor=actor)
    with pytest.raises(Forbidden):
        reset_staff_password(actors.pm.pk, "temp-pass-1", actor=actor)
    with pytest.raises(Forbidden):
        set_staff_active(actors.pm.pk, False, actor=actor)
    assert _counts() == before
    actors.pm.refresh_from_db()
    assert (actors.pm.role, actors.pm.is_active) == ("pm", True)


def test_a_partner_role_and_bad_fields_are_refused_field_by_field(actors):
    before = _counts()
    with pytest.raises(ValidationFailed) as e:
        create_staff_user(username="alice", role="partner", password="short", actor=actors.admin)
    assert set(e.value.errors) == {"role"}
    with pytest.raises(ValidationFailed) as e:
        create_staff_user(username="alice", role="pm", password="short", actor=actors.admin)
    assert set(e.value.errors) == {"username", "password"}
    assert _counts() == before


def test_role_change_makes_and_unmakes_an_admin(actors):
    user = change_staff_role(actors.pm.pk, "admin", actor=actors.admin)
    assert user.is_superuser
    user = change_staff_role(actors.pm.pk, "officer", actor=actors.admin)
    assert (user.role, user.is_superuser) == ("officer", False)
    event = AuditEvent.objects.filter(action="user.role_change").latest("id")
    assert (event.before, event.after) == ({"role": "admin"}, {"role": "officer"})


def test_an_admin_cannot_demote_or_disable_itself(actors):
    before = _counts()
    with pytest.raises(Conflict):
        change_staff_role(actors.admin.pk, "pm", actor=actors.admin)
    with pytest.raises(Conflict):
        set_staff_active(actors.admin.pk, False, actor=actors.admin)
    with pytest.raises(Conflict):
        reset_staff_password(actors.admin.pk, "temp-pass-1", actor=actors.admin)
    assert _counts() == before


def test_partner_users_are_not_staff(actors):
    with pytest.raises(NotFound):
        change_staff_role(actors.alice.pk, "pm", actor=actors.admin)


def test_a_reset_ends_the_sessions_and_must_be_changed(actors):
    client = Client()
    client.force_login(actors.pm)
    assert client.get("/console/").status_code == 200
    reset_staff_password(actors.pm.pk, "temp-pass-1", actor=actors.admin)
    assert client.get("/console/").status_code == 302  # signed out: the password changed
    fresh = Client()
    fresh.post("/login/", {"username": actors.pm.username, "password": "temp-pass-1"})
    response = fresh.get("/console/")
    assert response.status_code == 302 and response["Location"].startswith("/password/")


def test_a_disabled_user_cannot_sign_in(actors):
    set_staff_active(actors.pm.pk, False, actor=actors.admin)
    client = Client()
    response = client.post("/login/", {"username": actors.pm.username, "password": PASSWORD})
    assert response.status_code == 200  # the form again
    assert AuditEvent.objects.filter(action="user.disable").count() == 1
