"""Who may do what: role checks shared by the API and the views (SPEC §1, §2)."""

from __future__ import annotations

from typing import Any

from huoban.accounts.models import Role, User
from huoban.errors import Forbidden

__all__ = ["STAFF", "Forbidden", "partner_id_of", "require_partner_user", "require_role"]


def require_role(user: Any, *roles: str) -> User:
    """Return the user if it holds one of `roles` (admin holds all); raise Forbidden otherwise."""
    if not isinstance(user, User) or not user.is_active or not user.has_role(*roles):
        raise Forbidden("无权执行此操作 / Your role may not do this.")
    return user


STAFF = tuple(r for r in Role if r != Role.PARTNER)  # every staff role, gm and legal too


def require_partner_user(user: Any) -> User:
    """Return the user if it is a partner user (admins do not act for partners)."""
    if (
        not isinstance(user, User)
        or not user.is_active
        or user.role != Role.PARTNER
        or user.partner_id is None
    ):
        raise Forbidden("只有伙伴用户可以执行此操作 / Only a partner user may do this.")
    return user


def partner_id_of(user: Any) -> int:
    """The partner a partner user acts for (:func:`require_partner_user`, typed as an int)."""
    partner_id = require_partner_user(user).partner_id
    assert partner_id is not None  # require_partner_user refused a user without one
    return partner_id
