"""The policy module: each visibility rule once, by role (R-VIS-2, R-ATT-7), and no template
or view deciding it by comparing role strings itself (issue #11)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from huoban import policy

pytestmark = pytest.mark.django_db

SRC = Path(policy.__file__).parent


def test_sees_money_is_finance_and_admin(actors):
    seen = {
        who: policy.sees_money(getattr(actors, who))
        for who in ("alice", "officer", "presales", "pm", "finance", "admin")
    }
    assert seen == {
        "alice": False,
        "officer": False,
        "presales": False,
        "pm": False,
        "finance": True,
        "admin": True,
    }
    assert not policy.sees_money(None)


def test_a_partners_money_is_also_for_its_own_users(actors):
    alpha = actors.alpha.pk
    assert policy.sees_partner_money(actors.alice, alpha)
    assert not policy.sees_partner_money(actors.bob, alpha)
    assert not policy.sees_partner_money(actors.officer, alpha)
    assert policy.sees_partner_money(actors.finance, alpha)


def test_consents_are_managed_by_the_owner_officers_and_admins(actors):
    alpha = actors.alpha.pk
    allowed = {
        who
        for who in ("alice", "bob", "officer", "presales", "pm", "finance", "admin")
        if policy.may_manage_consents(getattr(actors, who), alpha)
    }
    assert allowed == {"alice", "officer", "admin"}


def test_an_inactive_user_sees_nothing(actors):
    actors.finance.is_active = False
    assert not policy.sees_money(actors.finance)


def test_no_template_compares_role_strings():
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.html")
        if re.search(r"\.role\s*==", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
