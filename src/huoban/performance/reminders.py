"""Performance reminders for `huoban tick` (SPEC §10.9–§10.10): a partner without last month's
health by the 5th business day of this month (R-HLTH-2, `health.due`), and a risk past its
review date (R-RISK-1, `risk.review_due`). Each is sent once, however often tick runs
(`notifications.services.first_time`), through the outbox."""

from __future__ import annotations

import calendar as months
import datetime as dt

from django.db import transaction
from django.urls import reverse

from huoban.accounts.models import Role
from huoban.calendar import add_business_days
from huoban.notifications.services import Message, first_time, notify, staff_with
from huoban.partners.models import Partner, PartnerStatus

from .meetings import overdue_meetings
from .models import HealthAssessment, Meeting, MeetingKind, Risk

#: R-HLTH-2: last month's health is due by this business day of the month.
HEALTH_DUE_BUSINESS_DAY = 5


def health_due_on(year: int, month: int) -> dt.date:
    """The 5th business day of the month after (year, month) (R-CAL-3's calendar)."""
    last = dt.date(year, month, months.monthrange(year, month)[1])
    return add_business_days(last, HEALTH_DUE_BUSINESS_DAY).date


def remind_performance(day: dt.date) -> str:
    """The day's health and risk reminders; one report line for `huoban tick`."""
    last = day.replace(day=1) - dt.timedelta(days=1)
    missing = 0
    if day > health_due_on(last.year, last.month):
        done = set(
            HealthAssessment.objects.filter(year=last.year, month=last.month).values_list(
                "partner_id", flat=True
            )
        )
        period = f"{last.year:04d}-{last.month:02d}"
        for partner in Partner.objects.exclude(status=PartnerStatus.EXITED).exclude(pk__in=done):
            with transaction.atomic():
                if first_time("health.due", f"health:{partner.pk}:{period}"):
                    notify(
                        Message(
                            "health.due",
                            f"{partner.name} {period} 的合作健康度尚未评估",
                            f"{partner.name}'s health for {period} is not assessed yet",
                            "每月第 5 个工作日前完成上月评估（R-HLTH-2）。",
                            "Assess the month before by the 5th business day (R-HLTH-2).",
                            reverse("console:partner", kwargs={"code": partner.code}) + "#health",
                            data={"partner_code": partner.code, "period": period},
                        ),
                        staff_with(Role.OFFICER),
                    )
                    missing += 1
    overdue = 0
    late = Risk.objects.live().filter(next_review__lt=day).select_related("partner")
    for risk in late:
        with transaction.atomic():
            if first_time("risk.review_due", f"risk:{risk.pk}:{risk.next_review}"):
                name = risk.partner.name if risk.partner else "项目整体 / programme"
                link = (
                    reverse("console:partner_risks", kwargs={"code": risk.partner.code})
                    if risk.partner
                    else ""
                )
                notify(
                    Message(
                        "risk.review_due",
                        f"{name}：风险“{risk.title}”已过复核日 {risk.next_review}",
                        f"{name}: risk “{risk.title}” is past its review date {risk.next_review}",
                        link=link,
                        data={"risk_id": risk.pk, "level": risk.level},
                    ),
                    [risk.owner] if risk.owner else staff_with(Role.OFFICER),
                )
                overdue += 1
    meetings = 0
    late_meetings = overdue_meetings(day)
    for partner in Partner.objects.filter(pk__in=late_meetings).order_by("pk"):
        for due in late_meetings[partner.pk]:
            with transaction.atomic():
                key = f"meeting:{partner.pk}:{due.kind}:{due.next_due}"
                if first_time("meeting.due", key):
                    kind = MeetingKind(due.kind)
                    notify(
                        Message(
                            "meeting.due",
                            f"{partner.name}：{kind.label}应于 {due.next_due} 召开",
                            f"{partner.name}: the {due.kind} meeting was due {due.next_due}",
                            link=reverse("console:partner_meetings", kwargs={"code": partner.code}),
                            data={
                                "partner_code": partner.code,
                                "kind": due.kind,
                                "due_on": due.next_due.isoformat(),
                            },
                        ),
                        [partner.account_manager]
                        if partner.account_manager
                        else staff_with(Role.OFFICER),
                    )
                    meetings += 1
    actions = remind_actions(day)
    return (
        f"performance: {missing} partners reminded of last month's health (R-HLTH-2), "
        f"{overdue} risks past their review (R-RISK-1), {meetings} meetings overdue (R-MEET-2), "
        f"{actions} action items overdue (R-MEET-2)"
    )


def remind_actions(day: dt.date) -> int:
    """R-MEET-2: a meeting's action item not done by its due date reminds the partner's account
    manager (or the officers) once per item and due date (`meeting.due`)."""
    told = 0
    meetings = Meeting.objects.exclude(partner__status=PartnerStatus.EXITED).select_related(
        "partner", "partner__account_manager"
    )
    for meeting in meetings.order_by("id"):
        for index, item in enumerate(meeting.actions or []):
            due = item.get("due_on")
            if item.get("done_on") or not due or dt.date.fromisoformat(due) >= day:
                continue
            partner = meeting.partner
            with transaction.atomic():
                if not first_time("meeting.due", f"action:{meeting.pk}:{index}:{due}"):
                    continue
                notify(
                    Message(
                        "meeting.due",
                        f"{partner.name}：待办“{item.get('text', '')}”已过截止日 {due}",
                        f"{partner.name}: action “{item.get('text', '')}” was due {due}",
                        f"{meeting.held_on} 会议的待办，负责人 {item.get('owner') or '—'}。",
                        f"From the meeting of {meeting.held_on}; owner {item.get('owner') or '—'}.",
                        reverse("console:partner_meetings", kwargs={"code": partner.code})
                        + f"#meeting-{meeting.pk}",
                        data={
                            "partner_code": partner.code,
                            "meeting_id": meeting.pk,
                            "action": index,
                            "due_on": due,
                            "reason": "action_item",
                        },
                    ),
                    [partner.account_manager]
                    if partner.account_manager
                    else staff_with(Role.OFFICER),
                )
                told += 1
    return told
