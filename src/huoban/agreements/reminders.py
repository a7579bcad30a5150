"""Agreement reminders for `huoban tick` (SPEC §10.4, R-AGR-3): 60 and 30 days before an approved
agreement ends (`agreement.expiring`), on each anniversary for the yearly review and when a draft
or a reviewed agreement has waited more than 10 business days (`agreement.review_due`). Each is
sent once, however often tick runs (`notifications.services.first_time`), through the outbox."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from huoban.accounts.models import Role
from huoban.notifications.services import Message, console_link, first_time, notify, staff_with

from . import rules
from .models import Agreement, Status
from .services import waits_too_long

# R-AGR-3: the reminders before the end, in days.
EXPIRY_WINDOWS = (60, 30)
# An anniversary reminder is still sent this many days late (tick did not run that day).
ANNIVERSARY_GRACE_DAYS = 30


@dataclass(frozen=True)
class Reminded:
    expiring: int = 0
    yearly: int = 0
    waiting: int = 0

    def line(self) -> str:
        return (
            f"agreements: {self.expiring} expiring, {self.yearly} yearly reviews, "
            f"{self.waiting} waiting too long (R-AGR-3)"
        )


def _label(a: Agreement) -> tuple[str, str]:
    return (f"{a.partner.name} 的{a.get_kind_display()} {a.number} v{a.version}",
            f"{a.partner.name}'s agreement {a.number} v{a.version}")  # fmt: skip


def expiry_window(ends_on: dt.date, day: dt.date) -> int | None:
    """The reminder window ``day`` falls in before ``ends_on``: 60 (31–60 days left), 30
    (0–30 days left), else None — so a tick that skipped the exact day still reminds once."""
    left = (ends_on - day).days
    if 0 <= left <= EXPIRY_WINDOWS[1]:
        return EXPIRY_WINDOWS[1]
    if EXPIRY_WINDOWS[1] < left <= EXPIRY_WINDOWS[0]:
        return EXPIRY_WINDOWS[0]
    return None


def due_anniversary(starts_on: dt.date, ends_on: dt.date, day: dt.date) -> dt.date | None:
    """The anniversary (1 year or more after the start, before the end) on or within
    ``ANNIVERSARY_GRACE_DAYS`` before ``day``, if any."""
    last = rules.last_anniversary(starts_on, day)
    if last == starts_on or last >= ends_on:
        return None
    return last if (day - last).days <= ANNIVERSARY_GRACE_DAYS else None


def remind_agreements(day: dt.date) -> Reminded:
    """Send the day's agreement reminders to officers, legal and the gm; each agreement in its
    own transaction."""
    expiring = yearly = waiting = 0
    people = (Role.OFFICER, Role.LEGAL, Role.GM)
    approved = Agreement.objects.filter(status=Status.APPROVED).select_related("partner")
    for a in approved.filter(ends_on__gte=day, ends_on__lte=day + dt.timedelta(days=60)):
        window = expiry_window(a.ends_on, day)
        with transaction.atomic():
            if window and first_time("agreement.expiring", f"agreement:{a.pk}:{window}"):
                zh, en = _label(a)
                notify(
                    Message(
                        "agreement.expiring",
                        f"{zh} 将于 {a.ends_on.isoformat()} 到期（{window} 天提醒）",
                        f"{en} ends on {a.ends_on.isoformat()} ({window}-day reminder)",
                        "请决定续签、修订或终止（R-AGR-3）。",
                        "Decide whether to renew, amend or end it (R-AGR-3).",
                        console_link("agreement", agreement_id=a.pk),
                        data={
                            "agreement_id": a.pk,
                            "partner_code": a.partner.code,
                            "ends_on": a.ends_on.isoformat(),
                            "window_days": window,
                        },
                    ),
                    staff_with(*people),
                )
                expiring += 1
    for a in approved.filter(starts_on__lt=day, ends_on__gt=day):
        anniversary = due_anniversary(a.starts_on, a.ends_on, day)
        with transaction.atomic():
            key = f"agreement:{a.pk}:anniversary:{anniversary}"
            if anniversary and first_time("agreement.review_due", key):
                zh, en = _label(a)
                notify(
                    Message(
                        "agreement.review_due",
                        f"{zh} 满周年（{anniversary.isoformat()}），请做年度评审",
                        f"{en} has its anniversary ({anniversary.isoformat()}): yearly review",
                        "年度评审：执行情况、条款调整（修订版须重新审批）。",
                        "Yearly review: how it went, and any amendment (approved again).",
                        console_link("agreement", agreement_id=a.pk),
                        data={
                            "agreement_id": a.pk,
                            "partner_code": a.partner.code,
                            "anniversary": anniversary.isoformat(),
                        },
                    ),
                    staff_with(Role.OFFICER, Role.GM),
                )
                yearly += 1
    pending = Agreement.objects.filter(status__in=(Status.DRAFT, Status.REVIEWED))
    for a in pending.select_related("partner"):
        if not waits_too_long(a, day):
            continue
        with transaction.atomic():
            if first_time("agreement.review_due", f"agreement:{a.pk}:waiting:{a.status}"):
                zh, en = _label(a)
                who = Role.LEGAL if a.status == Status.DRAFT else Role.GM
                step_zh, step_en = (
                    ("法务审核", "legal review")
                    if who == Role.LEGAL
                    else ("总经理审批", "gm approval")
                )
                notify(
                    Message(
                        "agreement.review_due",
                        f"{zh} 等待{step_zh}已超过 10 个工作日",
                        f"{en} has waited more than 10 business days for {step_en}",
                        link=console_link("agreement", agreement_id=a.pk),
                        data={
                            "agreement_id": a.pk,
                            "partner_code": a.partner.code,
                            "status": a.status,
                        },
                    ),
                    staff_with(who),
                )
                waiting += 1
    return Reminded(expiring, yearly, waiting)
