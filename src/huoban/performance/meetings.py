"""Meetings with partners (SPEC §10.11, R-MEET): the cadence the partner's criticality grade and
an active co-delivery require, each due one cadence after the last meeting of its kind, and the
meeting records with their action items."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max, Min, Q

from huoban import clock
from huoban.accounts.models import User
from huoban.audit.services import record
from huoban.errors import Conflict, Forbidden, NotFound, ValidationFailed
from huoban.partners.models import Partner, PartnerStatus
from huoban.policy import may_manage_partners
from huoban.profiles.models import CriticalityAssessment
from huoban.projects.models import Status as ProjectStatus
from huoban.sharing.models import ProjectShare

from . import rules
from .models import Meeting, MeetingKind


def schedule(partner: Partner, today: dt.date) -> list[rules.Due]:
    """R-MEET-1/2 for ``partner`` today: its latest grade's cadences (from the day it was
    graded when no meeting of a kind has been held), plus the weekly project meeting while it
    co-delivers a signed project."""
    found = schedules(today, partner_ids=[partner.pk]).get(partner.pk)
    return found if found is not None else rules.meeting_schedule(None, None, {}, today, today)


def schedules(
    today: dt.date, *, partner_ids: list[int] | None = None
) -> dict[int, list[rules.Due]]:
    """R-MEET-1/2 for every partner not exited that has a grade, a co-delivery or a meeting
    (by id), or the partners named whatever their status — three grouped queries, whatever
    the number of partners. A partner with none of them has nothing due yet: the lowest cadence
    counts from today."""
    if partner_ids is None:
        live, mine = ~Q(partner__status=PartnerStatus.EXITED), Q()
    else:
        live, mine = Q(), Q(partner_id__in=partner_ids)
    tz = clock.local_tz()
    grades: dict[int, tuple[str | None, dt.date]] = {}
    for partner_id, graded, assessed_at in (
        CriticalityAssessment.objects.filter(live, mine)
        .order_by("partner_id", "-assessed_at", "-pk")
        .values_list("partner_id", "grade", "assessed_at")
    ):
        grades.setdefault(partner_id, (graded, assessed_at.astimezone(tz).date()))
    co_delivering = {
        row["partner_id"]: row["began"].astimezone(tz).date()
        for row in ProjectShare.objects.filter(live, mine, project__status=ProjectStatus.SIGNED)
        .values("partner_id")
        .annotate(began=Min("created_at"))
        .order_by()
    }
    last: dict[int, dict[str, dt.date]] = {}
    for row in (
        Meeting.objects.filter(live, mine)
        .values("partner_id", "kind")
        .annotate(held=Max("held_on"))
        .order_by()
    ):
        last.setdefault(row["partner_id"], {})[row["kind"]] = row["held"]
    out: dict[int, list[rules.Due]] = {}
    for partner_id in grades.keys() | co_delivering.keys() | last.keys():
        grade, since = grades.get(partner_id, (None, today))
        out[partner_id] = rules.meeting_schedule(
            grade, co_delivering.get(partner_id), last.get(partner_id, {}), since, today
        )
    return out


def overdue_meetings(today: dt.date) -> dict[int, list[rules.Due]]:
    """R-MEET-2: the partners (by id) with a meeting past its due date, and those meetings."""
    return {
        partner_id: late
        for partner_id, due in schedules(today).items()
        if (late := [d for d in due if d.overdue])
    }


def _actions(lines: Any, errors: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(lines or []):
        if not isinstance(item, dict) or not str(item.get("text") or "").strip():
            errors[f"actions[{i}]"] = "待办须写明事项 / An action item says what to do."
            continue
        due = item.get("due_on")
        if due:
            try:
                due = dt.date.fromisoformat(str(due)).isoformat()
            except ValueError:
                errors[f"actions[{i}].due_on"] = "日期格式 YYYY-MM-DD / A date is YYYY-MM-DD."
        out.append({"text": str(item["text"]).strip(), "owner": str(item.get("owner") or ""),
                    "due_on": due or None, "done_on": None})  # fmt: skip
    return out


@transaction.atomic(durable=True)
def record_meeting(
    partner_code: str,
    *,
    kind: str,
    held_on: dt.date | None,
    actor: User,
    ours: str = "",
    theirs: str = "",
    agenda: str = "",
    minutes: str = "",
    decisions: str = "",
    actions: Any = None,
) -> Meeting:
    """Record a meeting (R-MEET-2); the next one of its kind is then due one cadence later."""
    if not may_manage_partners(actor):
        raise Forbidden("会议由伙伴关系官记录 / Partner officers record meetings.")
    partner = Partner.objects.filter(code=partner_code).first()
    if partner is None:
        raise NotFound("伙伴不存在 / No such partner.")
    errors: dict[str, str] = {}
    if kind not in MeetingKind.values:
        errors["kind"] = "未知会议类型 / Unknown meeting kind."
    if held_on is None:
        errors["held_on"] = "请填写会议日期 / The date is required."
    elif held_on > clock.today():
        errors["held_on"] = "会议日期不能晚于今天 / A meeting is recorded once held."
    clean_actions = _actions(actions, errors)
    if errors:
        raise ValidationFailed(errors)
    assert held_on is not None
    meeting = Meeting.objects.create(
        partner=partner, kind=kind, held_on=held_on, ours=ours.strip(), theirs=theirs.strip(),
        agenda=agenda.strip(), minutes=minutes.strip(), decisions=decisions.strip(),
        actions=clean_actions, recorded_by=actor, recorded_at=clock.now(),
    )  # fmt: skip
    record(
        actor,
        "meeting.record",
        meeting,
        after={"partner": partner.code, "kind": kind, "held_on": held_on.isoformat(),
               "actions": len(clean_actions)},
    )  # fmt: skip
    return meeting


@transaction.atomic(durable=True)
def mark_action_done(meeting_id: int, index: int, *, actor: User) -> Meeting:
    """R-MEET-2: an action item done, dated today (officer, admin); done once."""
    if not may_manage_partners(actor):
        raise Forbidden("会议由伙伴关系官记录 / Partner officers record meetings.")
    meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound("会议不存在 / No such meeting.")
    if not 0 <= index < len(meeting.actions):
        raise NotFound("待办事项不存在 / No such action item.")
    item = meeting.actions[index]
    if item.get("done_on"):
        raise Conflict("该事项已完成 / This action item is done already.")
    actions = [dict(a) for a in meeting.actions]
    actions[index]["done_on"] = clock.today().isoformat()
    meeting.actions = actions
    meeting.save(update_fields=["actions"])
    record(
        actor,
        "meeting.action_done",
        meeting,
        after={"partner": meeting.partner.code, "action": item["text"],
               "done_on": actions[index]["done_on"]},
    )  # fmt: skip
    return meeting
