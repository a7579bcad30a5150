"""Meetings with partners (SPEC §10.11, R-MEET): the cadence the partner's criticality grade and
an active co-delivery require, each due one cadence after the last meeting of its kind, and the
meeting records with their action items."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from huoban import clock
from huoban.accounts.models import User
from huoban.audit.services import record
from huoban.errors import Conflict, Forbidden, NotFound, ValidationFailed
from huoban.partners.models import Partner
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
    graded = (
        CriticalityAssessment.objects.filter(partner=partner)
        .order_by("-assessed_at", "-pk")
        .values_list("grade", "assessed_at")
        .first()
    )
    grade, since = (
        (graded[0], graded[1].astimezone(clock.local_tz()).date()) if graded else (None, today)
    )
    began = (
        ProjectShare.objects.filter(partner=partner, project__status=ProjectStatus.SIGNED)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    co_delivering_since = began.astimezone(clock.local_tz()).date() if began is not None else None
    last: dict[str, dt.date] = {}
    for kind, held_on in (
        Meeting.objects.filter(partner=partner).order_by("-held_on").values_list("kind", "held_on")
    ):
        last.setdefault(kind, held_on)
    return rules.meeting_schedule(grade, co_delivering_since, last, since, today)


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
