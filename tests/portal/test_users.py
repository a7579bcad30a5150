"""A partner's own administrator manages its organisation's users in the portal (issue #12,
R-UI-1); an officer appoints the administrator."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from huoban.accounts.models import PasswordLink, User
from huoban.audit.models import AuditEvent
from huoban.errors import Forbidden
from huoban.partners.users import invite_partner_user, set_partner_admin

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _counts():
    return User.objects.count(), PasswordLink.objects.count(), AuditEvent.objects.count()


def test_an_officer_appoints_alice_who_then_adds_a_colleague(actors):
    officer = _client(actors.officer)
    url = f"/console/partners/{actors.alpha.code}/users/{actors.alice.pk}/admin/"
    assert officer.post(url, {"admin": "yes"}).status_code == 302
    actors.alice.refresh_from_db()
    assert actors.alice.partner_admin

    alice = _client(actors.alice)
    assert "添加用户" in alice.get("/portal/users/").content.decode()
    response = alice.post("/portal/users/add/", {"username": "carol", "display_name": "陈晨"})
    assert response.status_code == 302
    page = alice.get("/portal/users/").content.decode()
    link = re.search(r'id="issued-url" value="http://testserver(/password/[^"]+/)"', page)
    assert link and "待设置密码" in page
    carol = User.objects.get(username="carol")
    assert carol.partner_id == actors.alpha.pk and not carol.partner_admin
    Client().post(link.group(1), {"password": "carol-pass-2026", "password2": "carol-pass-2026"})
    assert alice.post(f"/portal/users/{carol.pk}/active/", {"active": "no"}).status_code == 302
    carol.refresh_from_db()
    assert not carol.is_active


def test_a_user_who_is_not_the_administrator_only_reads(actors):
    alice = _client(actors.alice)
    page = alice.get("/portal/users/").content.decode()
    assert "alice" in page and "添加用户" not in page
    before = _counts()
    assert alice.post("/portal/users/add/", {"username": "carol"}).status_code == 403
    assert _counts() == before


def test_an_administrator_manages_its_own_partner_only(actors):
    set_partner_admin(actors.alpha, actors.alice.pk, True, actor=actors.officer)
    actors.alice.refresh_from_db()
    alice = _client(actors.alice)
    before = _counts()
    assert alice.post(f"/portal/users/{actors.bob.pk}/active/", {"active": "no"}).status_code == 404
    with pytest.raises(Forbidden):
        invite_partner_user(actors.beta, username="mallory", actor=actors.alice)
    assert _counts() == before
    actors.bob.refresh_from_db()
    assert actors.bob.is_active


def test_only_staff_appoint_administrators(actors):
    set_partner_admin(actors.alpha, actors.alice.pk, True, actor=actors.officer)
    actors.alice.refresh_from_db()
    invited = invite_partner_user(actors.alpha, username="carol", actor=actors.alice)
    with pytest.raises(Forbidden):
        set_partner_admin(actors.alpha, invited.user.pk, True, actor=actors.alice)
    assert AuditEvent.objects.filter(action="user.partner_admin").count() == 1
