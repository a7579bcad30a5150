"""Invitations, reset links and password changes (issue #12, R-UI-1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from huoban import clock
from huoban.accounts.models import PasswordLink, User
from huoban.accounts.services import change_password, login_for_token, set_password_by_link
from huoban.audit.models import AuditEvent
from huoban.errors import Conflict, Forbidden, NotFound, ValidationFailed
from huoban.partners.users import (
    invite_partner_user,
    issue_partner_user_link,
    set_partner_user_active,
)

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)


def _invite(actors, username="carol"):
    with clock.frozen(T0):
        return invite_partner_user(
            actors.alpha, username=username, display_name="陈晨", actor=actors.officer
        )


def test_an_invited_user_cannot_sign_in_until_it_chooses_a_password(actors):
    issued = _invite(actors)
    user = issued.user
    assert (user.partner, user.role, user.has_usable_password()) == (actors.alpha, "partner", False)
    link = PasswordLink.objects.get(user=user)
    # Only the hash is kept; the link lives 7 days.
    assert issued.secret not in link.key_hash and link.expires_at == T0 + dt.timedelta(days=7)
    assert not Client().login(username="carol", password="")
    with clock.frozen(T0 + dt.timedelta(days=6)):
        set_password_by_link(issued.secret, "carol-pass-2026")
    assert Client().login(username="carol", password="carol-pass-2026")
    assert AuditEvent.objects.filter(action="user.password_set", object_id=str(user.pk)).exists()


def test_a_link_works_once(actors):
    issued = _invite(actors)
    with clock.frozen(T0):
        set_password_by_link(issued.secret, "carol-pass-2026")
        with pytest.raises(NotFound):
            set_password_by_link(issued.secret, "another-pass-2026")
    assert Client().login(username="carol", password="carol-pass-2026")


def test_an_expired_link_is_refused_and_changes_nothing(actors):
    issued = _invite(actors)
    with clock.frozen(T0 + dt.timedelta(days=7)), pytest.raises(NotFound):
        set_password_by_link(issued.secret, "carol-pass-2026")
    issued.user.refresh_from_db()
    assert not issued.user.has_usable_password()


def test_a_weak_password_is_refused_and_the_link_stays_usable(actors):
    issued = _invite(actors)
    with clock.frozen(T0):
        for weak in ("short", "12345678901"):
            with pytest.raises(ValidationFailed) as e:
                set_password_by_link(issued.secret, weak)
            assert set(e.value.errors) == {"password"}
        set_password_by_link(issued.secret, "carol-pass-2026")


def test_a_new_link_retires_the_old_one_and_a_reset_lives_a_day(actors):
    issued = _invite(actors)
    with clock.frozen(T0):
        set_password_by_link(issued.secret, "carol-pass-2026")
    t1 = T0 + dt.timedelta(days=30)
    with clock.frozen(t1):
        first = issue_partner_user_link(actors.alpha, issued.user.pk, actor=actors.officer)
        second = issue_partner_user_link(actors.alpha, issued.user.pk, actor=actors.officer)
        assert (
            PasswordLink.objects.get(
                key_hash__isnull=False, user=issued.user, used_at=None, expires_at__gt=t1
            ).purpose
            == "reset"
        )
        with pytest.raises(NotFound):
            set_password_by_link(first.secret, "forgot-pass-2026")
    with clock.frozen(t1 + dt.timedelta(hours=24)), pytest.raises(NotFound):
        set_password_by_link(second.secret, "forgot-pass-2026")
    assert Client().login(username="carol", password="carol-pass-2026")


def test_a_disabled_user_cannot_sign_in_or_use_its_link(actors):
    issued = _invite(actors)
    with clock.frozen(T0):
        set_partner_user_active(actors.alpha, issued.user.pk, False, actor=actors.officer)
        with pytest.raises(NotFound):
            set_password_by_link(issued.secret, "carol-pass-2026")
        with pytest.raises(Conflict):
            issue_partner_user_link(actors.alpha, issued.user.pk, actor=actors.officer)
    assert AuditEvent.objects.filter(action="user.disable").count() == 1


@pytest.mark.parametrize("who", ["presales", "pm", "finance", "alice"])
def test_only_officers_and_admins_manage_partner_users(actors, who):
    before = (User.objects.count(), PasswordLink.objects.count(), AuditEvent.objects.count())
    with pytest.raises(Forbidden):
        invite_partner_user(actors.alpha, username="dave", actor=getattr(actors, who))
    assert (
        User.objects.count(),
        PasswordLink.objects.count(),
        AuditEvent.objects.count(),
    ) == before


def test_a_user_of_another_partner_is_not_found(actors):
    with pytest.raises(NotFound):
        issue_partner_user_link(actors.beta, actors.alice.pk, actor=actors.officer)


def test_usernames_are_unique_whatever_the_case(actors):
    with pytest.raises(ValidationFailed) as e:
        invite_partner_user(actors.alpha, username="ALICE", actor=actors.officer)
    assert set(e.value.errors) == {"username"}


def test_change_password_asks_for_the_old_one(actors):
    alice = actors.alice
    alice.set_password("alice-pass-2026")
    alice.save()
    with pytest.raises(ValidationFailed) as e:
        change_password(alice, old_password="wrong", new_password="alice-new-2026", actor=alice)
    assert set(e.value.errors) == {"old_password"}
    with pytest.raises(ValidationFailed) as e:
        change_password(
            alice, old_password="alice-pass-2026", new_password="alice-pass-2026", actor=alice
        )
    assert set(e.value.errors) == {"new_password"}
    alice.must_change_password = True
    alice.save()
    change_password(
        alice, old_password="alice-pass-2026", new_password="alice-new-2026", actor=alice
    )
    alice.refresh_from_db()
    assert alice.check_password("alice-new-2026") and not alice.must_change_password


def test_who_must_change_the_password_gets_no_api_token(actors):
    alice = actors.alice
    alice.set_password("alice-pass-2026")
    alice.must_change_password = True
    alice.save()
    with pytest.raises(Forbidden):
        login_for_token("alice", "alice-pass-2026")
