"""Who may do what: role checks shared by the API and the views (SPEC §1, §2)."""

from __future__ import annotations

from typing import Any

from huoban.accounts.models import Role, User
from huoban.errors import Conflict, DomainError


class Forbidden(DomainError):
    """The caller may see the thing but its role may not do this (403).

    Used only where existence is not secret (a collection, or an object the caller can see);
    objects the caller may not see answer 404 (R-VIS-4).
    """

    status = 403


def require_role(user: Any, *roles: str) -> User:
    """Return the user if it holds one of `roles` (admin holds all); raise Forbidden otherwise."""
    if not isinstance(user, User) or not user.is_active or not user.has_role(*roles):
        raise Forbidden("无权执行此操作 / Your role may not do this.")
    return user


STAFF = (Role.OFFICER, Role.PRESALES, Role.PM, Role.FINANCE, Role.ADMIN)


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


EXITED_READ_ONLY = "伙伴已退出，仅可查看 / The partner has exited: read-only access."


def require_active_partner(user: Any) -> Any:
    """Refuse any write by a partner user whose partner has exited (R-EXIT-1: read-only).

    Staff pass; an exited partner's users keep reading their ledger and statements.
    """
    from huoban.partners.models import Partner, PartnerStatus

    if isinstance(user, User) and user.role == Role.PARTNER and user.partner_id is not None:
        status = Partner.objects.filter(pk=user.partner_id).values_list("status", flat=True)
        if status.first() == PartnerStatus.EXITED:
            raise Conflict(EXITED_READ_ONLY)
    return user
