"""Guards that need to know a partner's standing: an exited partner is read-only (R-EXIT-1).

In the partners app, not in ``huoban.access``: the role guards there sit below every app and
must not import the partner registry (issue #11).
"""

from __future__ import annotations

from typing import Any

from huoban.accounts.models import Role, User
from huoban.errors import Conflict, Forbidden

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


def paused_message(partner: Partner) -> str:
    return (
        f"{partner.name} 的新业务已暂停（{partner.paused_reason}，自 {partner.paused_since}），"
        "事件关闭前不能报备新线索或承接新的合作交付 / New business is paused for "
        f"{partner.name} since {partner.paused_since}: no new lead or co-delivery project until "
        "the case is closed (R-CRIS-2)."
    )


def require_not_paused(partner_id: int | None) -> None:
    """R-CRIS-2: a partner paused by an open complaints case starts no new business."""
    if partner_id is None:
        return
    partner = Partner.objects.filter(pk=partner_id, paused_since__isnull=False).first()
    if partner is not None:
        raise Conflict(paused_message(partner))


def data_blocked_message(partner: Partner) -> str:
    return (
        f"{partner.name} 的数据交换已暂停（数据泄露事件处理中，自 {partner.data_blocked_since}），"
        "事件关闭前不能使用 API 令牌或导出数据 / Data exchange with "
        f"{partner.name} is stopped since {partner.data_blocked_since} (a data-breach case is "
        "open): no API token and no export until the case is closed (R-CRIS-3)."
    )


def require_data_exchange(user: Any) -> None:
    """R-CRIS-3: a partner user whose partner has an open data-breach case exports nothing.
    Staff pass: finance still needs the partner's statements."""
    if isinstance(user, User) and user.role == Role.PARTNER and user.partner_id is not None:
        partner = Partner.objects.filter(
            pk=user.partner_id, data_blocked_since__isnull=False
        ).first()
        if partner is not None:
            raise Forbidden(data_blocked_message(partner))
