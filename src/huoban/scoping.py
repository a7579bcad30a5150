"""Who a caller is, for scoping querysets (R-VIS-1): the one rule every `visible_to` starts from."""

from __future__ import annotations

from typing import Any, ClassVar, Final, Self, TypeVar

from django.db import models

from huoban.accounts.models import STAFF_ROLES, Role

STAFF: Final = "staff"
M = TypeVar("M", bound=models.Model)


def caller_scope(user: Any) -> str | int | None:
    """``STAFF`` for an active staff user, the partner id for an active partner user, else None."""

    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.role in STAFF_ROLES:
        return STAFF
    if user.role == Role.PARTNER and user.partner_id is not None:
        return int(user.partner_id)
    return None


class ScopedQuerySet(models.QuerySet[M]):
    """``visible_to(user)`` from the caller's scope (R-VIS-1): staff see every row; a partner
    user the rows whose ``partner_path`` is its partner; anyone else nothing.

    A model's queryset names the path to its partner (``"partner"``, ``"project__partner"``);
    ``None`` keeps the rows for staff only, ``"*"`` shows them to every signed-in user (the
    programme's published terms)."""

    partner_path: ClassVar[str | None] = "partner"

    def visible_to(self, user: Any) -> Self:
        scope = caller_scope(user)
        if scope is None:
            return self.none()
        if scope == STAFF or self.partner_path == "*":
            return self
        if self.partner_path is None:
            return self.none()
        return self.filter(**{self.partner_path: scope})
