"""Guards that need to know a partner's standing: an exited partner is read-only (R-EXIT-1).

In the partners app, not in ``huoban.access``: the role guards there sit below every app and
must not import the partner registry (issue #11).
"""

from __future__ import annotations

from typing import Any

from huoban.accounts.models import Role, User
from huoban.errors import Conflict

from .models import Partner, PartnerStatus

EXITED_READ_ONLY = "伙伴已退出，仅可查看 / The partner has exited: read-only access."


def require_active_partner(user: Any) -> Any:
    """Refuse any write by a partner user whose partner has exited (R-EXIT-1: read-only).

    Staff pass; an exited partner's users keep reading their ledger and statements.
    """
    if isinstance(user, User) and user.role == Role.PARTNER and user.partner_id is not None:
        status = Partner.objects.filter(pk=user.partner_id).values_list("status", flat=True)
        if status.first() == PartnerStatus.EXITED:
            raise Conflict(EXITED_READ_ONLY)
    return user
