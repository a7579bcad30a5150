"""Where a user is signed in, and ending a session (issue #12, R-UI-1)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from huoban.accounts.models import UserSession
from huoban.audit.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(username: str, agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_a_user_sees_its_sessions_and_ends_the_phone(actors):
    desk = _sign_in("alice", "Desk Browser")
    phone = _sign_in("alice", "Phone Browser")
    _sign_in("bob", "Bob Browser")
    page = desk.get("/sessions/").content.decode()
    assert "Desk Browser" in page and "Phone Browser" in page and "Bob Browser" not in page
    assert "当前会话" in page
    phone_row = UserSession.objects.get(user_agent="Phone Browser")
    response = desk.post("/sessions/", {"session": phone_row.pk})
    assert response.status_code == 302
    assert phone.get("/portal/").status_code == 302  # signed out: back to the login page
    assert desk.get("/portal/").status_code == 200
    assert AuditEvent.objects.filter(action="session.end").count() == 1


def test_end_every_other_session(actors):
    desk = _sign_in("olivia", "Desk Browser")
    others = [_sign_in("olivia", f"Browser {n}") for n in range(3)]
    desk.post("/sessions/", {"all": "yes"})
    assert all(c.get("/console/").status_code == 302 for c in others)
    assert desk.get("/console/").status_code == 200
    assert UserSession.objects.filter(user=actors.officer).count() == 1


def test_a_session_of_another_user_cannot_be_ended(actors):
    bob = _sign_in("bob", "Bob Browser")
    alice = _sign_in("alice", "Desk Browser")
    bob_row = UserSession.objects.get(user=actors.bob)
    before = Session.objects.count()
    assert alice.post("/sessions/", {"session": bob_row.pk}).status_code == 404
    assert Session.objects.count() == before and bob.get("/portal/").status_code == 200


def test_sign_out_forgets_the_session_and_a_password_change_ends_the_others(actors):
    desk = _sign_in("alice", "Desk Browser")
    phone = _sign_in("alice", "Phone Browser")
    phone.post("/logout/")
    assert list(UserSession.objects.values_list("user_agent", flat=True)) == ["Desk Browser"]
    phone = _sign_in("alice", "Phone Browser")
    desk.post(
        "/password/",
        {
            "old_password": PASSWORD,
            "new_password": "alice-new-2026",
            "new_password2": "alice-new-2026",
        },
    )
    assert phone.get("/portal/").status_code == 302
    page = desk.get("/sessions/").content.decode()
    assert "Desk Browser" in page and "Phone Browser" not in page and "当前会话" in page
