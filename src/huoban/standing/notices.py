"""What a tier change tells the partner (R-NOTE-1, R-TIER): ``tier.changed`` when the tier
moves (promotion, an approved strategic application, a demotion after grace, inactivity), and
``tier.notice`` when it does not yet (the retention grace starts, an inactivity notice), so that
no tier is taken away by surprise. The partner's users are told, with the rule's reasons. A
strategic application tells the officers (``application.submitted``) and its decision the
partner (``application.decided``)."""

from __future__ import annotations

from huoban.accounts.models import Role
from huoban.notifications.services import (
    Message,
    console_link,
    in_both,
    notify,
    partner_users,
    portal_link,
    staff_with,
)
from huoban.partners.models import (
    ApplicationStatus,
    Tier,
    TierApplication,
    TierChange,
    TierChangeKind,
)


def _tier(value: str) -> tuple[str, str]:
    """A tier's name in Chinese and English, as the pages show it."""
    return in_both(Tier(value).label)


def tier_history(change: TierChange) -> None:
    """tier.changed or tier.notice → the partner's users."""
    lines = [line.partition(" / ") for line in change.reason.splitlines()]
    body = "\n".join(zh for zh, _, _ in lines)
    body_en = "\n".join(en or zh for zh, _, en in lines)
    kind_zh, kind_en = in_both(TierChangeKind(change.kind).label)
    if change.from_tier != change.to_tier:
        event = "tier.changed"
        (old, old_en), (new, new_en) = _tier(change.from_tier), _tier(change.to_tier)
        title = f"合作梯度调整：{old} → {new}（{kind_zh}）"
        title_en = f"Tier changed: {old_en} → {new_en} ({kind_en})"
    else:
        event = "tier.notice"
        now, now_en = _tier(change.to_tier)
        title = f"合作梯度提醒：{kind_zh}（当前 {now}）"
        title_en = f"Tier notice: {kind_en} (now {now_en})"
    message = Message(
        event,
        title,
        title_en,
        body,
        body_en,
        portal_link("tier"),
        data={
            "partner_code": change.partner.code,
            "from_tier": change.from_tier,
            "to_tier": change.to_tier,
            "kind": change.kind,
        },
    )
    notify(message, partner_users(change.partner_id), actor=change.actor)


def application_submitted(app: TierApplication) -> None:
    """application.submitted → the officers, who decide within 5 business days (R-TIER-2)."""
    partner = f"{app.partner.name} {app.partner.code}"
    due = app.due_on.isoformat() if app.due_on else "—"
    message = Message(
        "application.submitted",
        f"战略伙伴申请待审批：{partner}，截止 {due}",
        f"Strategic application to decide: {partner}, by {due}",
        app.plan[:500],
        app.plan[:500],
        console_link("applications"),
        data={"application_id": app.pk, "partner_code": app.partner.code, "status": app.status},
    )
    notify(message, staff_with(Role.OFFICER), actor=app.applied_by)


def application_decided(app: TierApplication) -> None:
    """application.decided → the partner's users: approved, or rejected with the reason."""
    approved = app.status == ApplicationStatus.APPROVED
    message = Message(
        "application.decided",
        "战略伙伴申请已批准" if approved else "战略伙伴申请未获批准",
        "Strategic application approved" if approved else "Strategic application rejected",
        app.decision_note,
        app.decision_note,
        portal_link("tier"),
        data={"application_id": app.pk, "partner_code": app.partner.code, "status": app.status},
    )
    notify(message, partner_users(app.partner_id), actor=app.decided_by)
