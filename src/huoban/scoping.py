"""Who a caller is, for scoping querysets (R-VIS-1): the one rule every `visible_to` starts from."""

from __future__ import annotations

from typing import Any, Final

from huoban.accounts.models import STAFF_ROLES, Role

STAFF: Final = "staff"


def caller_scope(user: Any) -> str | int | None:
    """``STAFF`` for an active staff user, the partner id for an active partner user, else None."""

    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.role in STAFF_ROLES:
        return STAFF
    if user.role == Role.PARTNER and user.partner_id is not None:
        return int(user.partner_id)
    return None
