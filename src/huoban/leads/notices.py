"""What the lead events tell people (R-NOTE-1), in Chinese and English, and who hears them.

One function per event, called by the service that does the action, inside its transaction.
Partners hear of their own leads; the staff who judge leads hear of new leads and appeals. A
message to a partner never names another partner or another partner's customer (R-VIS): a
duplicate says only that the customer was already registered.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from huoban.accounts.models import Role, User
from huoban.explain import yuan
from huoban.notifications.services import (
    Message,
    console_link,
    in_both,
    notify,
    partner_users,
    portal_link,
    staff_with,
)

from .models import Lead, ReasonCode, Status

JUDGES = (Role.OFFICER, Role.PRESALES)  # the staff who judge leads and sign second reviews


def _name(lead: Lead) -> str:
    return f"#{lead.pk} {lead.customer_name}"


def _data(lead: Lead) -> dict[str, object]:
    """What a webhook receives of the lead besides the words (R-HOOK-1)."""
    return {"lead_id": lead.pk, "partner_code": lead.partner.code, "status": lead.status}


def submitted(lead: Lead, *, actor: User) -> None:
    """lead.submitted → the officers and presales: a lead to judge within the SLA."""
    due = timezone.localtime(lead.sla_due_at).strftime("%Y-%m-%d %H:%M")  # the company's time
    partner = f"{lead.partner.name} {lead.partner.code}"
    if lead.status == Status.NEEDS_REVIEW:
        body, body_en = (
            "先确认客户匹配，再评估。",
            "Decide the customer match first, then judge it.",
        )
    else:
        body, body_en = "", ""
    message = Message(
        "lead.submitted",
        f"新线索 {_name(lead)}（{partner}）待评估，截止 {due}",
        f"New lead {_name(lead)} ({partner}) to judge by {due}",
        body,
        body_en,
        console_link("lead", lead_id=lead.pk),
        data=_data(lead),
    )
    notify(message, staff_with(*JUDGES), actor=actor)


def sla_due(lead: Lead) -> None:
    """lead.sla_due → the officers and presales: a lead whose verdict is due within hours."""
    hours = settings.HUOBAN["LEAD_SLA_HOURS"]
    due = timezone.localtime(lead.sla_due_at).strftime("%Y-%m-%d %H:%M")
    partner = f"{lead.partner.name} {lead.partner.code}"
    message = Message(
        "lead.sla_due",
        f"线索 {_name(lead)}（{partner}）将于 {due} 超时，请尽快评估",
        f"Lead {_name(lead)} ({partner}) is due for its verdict at {due}",
        f"线索提交后 {hours} 小时内须给出评估结论（R-LEAD-3）。",
        f"A verdict is due within {hours} hours of submission (R-LEAD-3).",
        console_link("lead", lead_id=lead.pk),
        data=_data(lead) | {"sla_due_at": lead.sla_due_at},
    )
    notify(message, staff_with(*JUDGES))


def _verdict_message(lead: Lead, event: str, zh: str, en: str) -> Message:
    link = portal_link("lead", lead_id=lead.pk)
    if lead.status == Status.VALID:
        quote = ""
        if lead.quote_min is not None and lead.quote_max is not None:
            quote = f"{yuan(lead.quote_min)}–{yuan(lead.quote_max)}"
        return Message(
            event,
            f"{zh}线索 {_name(lead)}：有效",
            f"{en}lead {_name(lead)}: valid",
            f"报价区间 ¥{quote}。" if quote else "",
            f"Quote range ¥{quote}." if quote else "",
            link,
            data=_data(lead),
        )
    if lead.status == Status.DUPLICATE:
        return Message(
            event,
            f"{zh}线索 {_name(lead)}：重复报备",
            f"{en}lead {_name(lead)}: duplicate",
            "该客户已由其他伙伴在先报备并判为有效。",
            "The customer was registered earlier by another partner, and judged valid.",
            link,
            data=_data(lead),
        )
    reason, reason_en = (
        in_both(ReasonCode(lead.reason_code).label) if lead.reason_code else ("", "")
    )
    appeal = "" if lead.appealed_at else "可在 30 天内申诉。"
    appeal_en = "" if lead.appealed_at else " You may appeal within 30 days."
    return Message(
        event,
        f"{zh}线索 {_name(lead)}：无效",
        f"{en}lead {_name(lead)}: invalid",
        f"原因：{reason}。{lead.explanation}\n{appeal}".strip(),
        f"Reason: {reason_en}. {lead.explanation}{appeal_en}".strip(),
        link,
        data=_data(lead),
    )


def verdict(lead: Lead, made_duplicate: list[int], *, actor: User) -> None:
    """lead.verdict → the partner's users; the leads it made duplicates → their partners'."""
    notify(_verdict_message(lead, "lead.verdict", "", "Your "), partner_users(lead.partner_id))
    for other in Lead.objects.filter(pk__in=made_duplicate).select_related("partner"):
        notify(
            _verdict_message(other, "lead.verdict", "", "Your "), partner_users(other.partner_id)
        )


def appealed(lead: Lead, *, actor: User) -> None:
    """lead.appealed → the officers and presales: a second review to sign."""
    due = lead.second_review_due_on.isoformat() if lead.second_review_due_on else ""
    message = Message(
        "lead.appealed",
        f"线索 {_name(lead)} 申诉待复核，截止 {due}",
        f"Lead {_name(lead)} appealed: second review due {due}",
        lead.appeal_reason[:500],
        lead.appeal_reason[:500],
        console_link("lead", lead_id=lead.pk),
        data=_data(lead),
    )
    notify(message, staff_with(*JUDGES), actor=actor)


def review_decided(lead: Lead, made_duplicate: list[int], *, actor: User) -> None:
    """review.decided → the partner's users: the final verdict of the second review."""
    notify(
        _verdict_message(lead, "review.decided", "复核结论：", "Second review: "),
        partner_users(lead.partner_id),
    )
    for other in Lead.objects.filter(pk__in=made_duplicate).select_related("partner"):
        notify(
            _verdict_message(other, "lead.verdict", "", "Your "), partner_users(other.partner_id)
        )
