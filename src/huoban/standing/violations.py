"""Violations and exit (违规与退出, SPEC §9).

- Company violations (公司违约): a partner reports one on its own project, an admin confirms or
  rejects it, and a confirmed one lets the partner claim liquidated damages (R-VIOL-1).
- Partner violations (伙伴违规): recorded by an officer; they block deep entry for 12 months
  (read by the tier services) and white-label output (R-VIOL-2, R-TIER-5).
- Exit (退出): the partner's users keep read-only access and keep receiving payouts; the
  ledger reads ``exit_kind``/``exited_on`` for the tail (R-EXIT-1, R-LED-7).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from huoban import clock, explain
from huoban.access import partner_id_of, require_partner_user, require_role
from huoban.accounts.models import Role, User
from huoban.audit.services import record
from huoban.commissions import ledger
from huoban.commissions.models import EntryKind, LedgerEntry
from huoban.errors import Conflict, NotFound, ValidationFailed
from huoban.partners.guards import require_active_partner
from huoban.partners.models import (
    CompanyViolation,
    CompanyViolationKind,
    CompanyViolationStatus,
    ExitKind,
    Partner,
    PartnerStatus,
    PartnerViolation,
    Tier,
    ViolationKind,
)
from huoban.projects import selectors as project_selectors
from huoban.terms import rules

from . import tiers

__all__ = [
    "ExitResult",
    "claim_liquidated_damages",
    "decide_company_violation",
    "exit_partner",
    "grant_white_label",
    "has_recent_violation",
    "record_partner_violation",
    "report_company_violation",
    "revoke_white_label",
]

MAX_TEXT = 5000
SUGGESTED_NOTICE_DAYS = 30  # R-EXIT-1: a partner's own exit, 30 days' notice suggested


def _text_error(value: str, *, required: bool = True) -> str | None:
    if required and not (value or "").strip():
        return "必填 / This field is required."
    if len(value or "") > MAX_TEXT:
        return f"过长（≤{MAX_TEXT}） / Too long (≤{MAX_TEXT})."
    return None


def _local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(clock.local_tz()).date()


# --- company violations and liquidated damages (R-VIOL-1) ------------------------------------


def violation_snapshot(violation: CompanyViolation) -> dict[str, Any]:
    return {
        "partner": violation.partner_id,
        "project": violation.project_id,
        "kind": violation.kind,
        "status": violation.status,
        "decided_by": violation.decided_by_id,
        "decision_note": violation.decision_note,
    }


@transaction.atomic(durable=True)
def report_company_violation(
    *, actor: User, project_id: int, kind: str, description: str
) -> CompanyViolation:
    """A partner user reports a company violation on one of its own projects (R-VIOL-1)."""
    partner_id = partner_id_of(actor)
    require_active_partner(actor)
    errors: dict[str, str] = {}
    # Another partner's project answers like an unknown one: existence does not leak.
    project = project_selectors.own_project(partner_id, project_id)
    if project is None:
        errors["project_id"] = "本伙伴没有此项目 / No such project of your partner."
    if kind not in CompanyViolationKind.values:
        errors["kind"] = "取值无效 / Not one of the allowed values."
    message = _text_error(description)
    if message:
        errors["description"] = message
    if errors:
        raise ValidationFailed(errors)
    assert project is not None
    violation = CompanyViolation.objects.create(
        partner_id=partner_id,
        project=project,
        kind=kind,
        description=description.strip(),
        reported_by=actor,
        reported_at=clock.now(),
    )
    record(actor, "company_violation.report", violation, after=violation_snapshot(violation))
    return violation


def _lock_visible(user: Any, violation_id: int) -> CompanyViolation:
    """The caller's view of a report, locked (404 when it may not see it, R-VIS-4)."""
    if not CompanyViolation.objects.visible_to(user).filter(pk=violation_id).exists():
        raise NotFound("违约报告不存在 / No such violation report.")
    return (
        CompanyViolation.objects.select_for_update(of=("self",))
        .select_related("partner", "project")
        .get(pk=violation_id)
    )


@transaction.atomic(durable=True)
def decide_company_violation(
    violation_id: int, *, actor: User, confirm: bool, note: str
) -> CompanyViolation:
    """An admin confirms or rejects a reported company violation, with a note (R-VIOL-1)."""
    violation = _lock_visible(actor, violation_id)
    require_role(actor, Role.ADMIN)
    message = _text_error(note)
    if message:
        raise ValidationFailed({"note": message})
    if violation.status != CompanyViolationStatus.REPORTED:
        raise Conflict("该报告已处理 / This report has already been decided.")
    before = violation_snapshot(violation)
    violation.status = (
        CompanyViolationStatus.CONFIRMED if confirm else CompanyViolationStatus.REJECTED
    )
    violation.decided_by = actor
    violation.decided_at = clock.now()
    violation.decision_note = note.strip()
    violation.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record(
        actor,
        "company_violation.decide",
        violation,
        before=before,
        after=violation_snapshot(violation),
    )
    return violation


def damages_event_key(violation: CompanyViolation) -> str:
    return f"company_violation:{violation.pk}"


@transaction.atomic(durable=True)
def claim_liquidated_damages(violation_id: int, *, actor: User) -> tuple[Any, bool]:
    """Claim liquidated damages of round(30% × contract amount) on a confirmed company
    violation: one ``liquidated_damages`` ledger entry, once per violation (R-VIOL-1, R-LED-1).

    Returns (entry, created). An exited partner may still claim: the money is owed to it.
    """
    violation = _lock_visible(actor, violation_id)
    actor = require_partner_user(actor)
    if violation.status != CompanyViolationStatus.CONFIRMED:
        raise Conflict(
            "违约尚未经管理员确认，不能主张违约金 / "
            "The violation is not confirmed: no liquidated damages can be claimed."
        )
    partner = violation.partner
    key = damages_event_key(violation)
    existing = LedgerEntry.objects.filter(partner=partner, event_key=key).first()
    if existing is not None:
        return existing, False
    project = violation.project
    policy_row = project.policy_version
    result = rules.liquidated_damages(policy_row.to_policy(), project.contract_amount)
    assert violation.decided_at is not None
    confirmed_on = _local_date(violation.decided_at)
    kind_label = CompanyViolationKind(violation.kind).label
    steps = [
        explain.Step(
            f"公司违约 #{violation.pk}（{kind_label}）于 {confirmed_on} 经管理员确认",
            f"company violation #{violation.pk} ({violation.kind}) confirmed on {confirmed_on}",
        ),
        explain.Step(
            f"项目 #{project.pk} 合同额 A = {explain.yuan(project.contract_amount)}",
            f"project #{project.pk} contract amount A = {explain.yuan(project.contract_amount)}",
        ),
        *result.explanation,
    ]
    entry = ledger.append_event_entry(
        partner,
        kind=EntryKind.LIQUIDATED_DAMAGES,
        project=project,
        policy_version=policy_row,
        event_date=confirmed_on,
        basis=result.basis,
        rate=result.rate,
        amount=result.amount,
        steps=steps,
        event_key=key,
    )
    if entry is None:  # claimed concurrently: the chain lock made the other one win
        return LedgerEntry.objects.get(partner=partner, event_key=key), False
    record(
        actor,
        "ledger.liquidated_damages",
        entry,
        after={"violation": violation.pk, "amount": str(entry.amount), "due_on": entry.due_on},
    )
    return entry, True


# --- partner violations and white-label (R-VIOL-2, R-TIER-5) ---------------------------------


def has_recent_violation(partner: Partner, day: dt.date) -> bool:
    """Whether a violation within the 12 months before ``day`` blocks deep entry and
    white-label (the same window as the tier check, :func:`tiers.violation_window_start`)."""
    window = tiers.violation_window_start(day)
    return PartnerViolation.objects.filter(
        partner=partner, occurred_on__gt=window, occurred_on__lte=day
    ).exists()


@transaction.atomic(durable=True)
def record_partner_violation(
    partner: Partner, *, actor: User, kind: str, occurred_on: dt.date | None, description: str
) -> PartnerViolation:
    """An officer records a partner violation (fake lead, confidentiality breach); it blocks
    deep entry for 12 months and withdraws white-label (R-VIOL-2, R-TIER-5)."""
    actor = require_role(actor, Role.OFFICER)
    errors: dict[str, str] = {}
    if kind not in ViolationKind.values:
        errors["kind"] = "取值无效 / Not one of the allowed values."
    if occurred_on is None:
        errors["occurred_on"] = "必填 / This field is required."
    elif occurred_on > clock.today():
        errors["occurred_on"] = "不能晚于今天 / Must not be in the future."
    message = _text_error(description)
    if message:
        errors["description"] = message
    if errors:
        raise ValidationFailed(errors)
    assert occurred_on is not None
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    violation = PartnerViolation.objects.create(
        partner=partner,
        kind=kind,
        occurred_on=occurred_on,
        description=description.strip(),
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    withdrawn = False
    if partner.white_label and has_recent_violation(partner, clock.today()):
        partner.white_label = False
        partner.save(update_fields=["white_label"])
        withdrawn = True
    record(
        actor,
        "partner.violation",
        violation,
        after={
            "partner": partner.code,
            "kind": kind,
            "occurred_on": occurred_on,
            "white_label_withdrawn": withdrawn,
        },
    )
    return violation


@transaction.atomic(durable=True)
def grant_white_label(partner: Partner, *, actor: User) -> Partner:
    """Grant white-label (OEM) output to a strategic partner without a violation in the last
    12 months (R-TIER-5, R-VIOL-2, R-DOC-2)."""
    actor = require_role(actor, Role.OFFICER)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if partner.status == PartnerStatus.EXITED:
        raise Conflict("伙伴已退出合作 / The partner has exited.")
    if partner.tier != Tier.STRATEGIC:
        raise Conflict("只有战略伙伴可以贴牌输出 / Only a strategic partner may be white-labelled.")
    if has_recent_violation(partner, clock.today()):
        raise Conflict(
            "12 个月内有违规记录，不能贴牌输出 / A violation in the last 12 months: no white-label."
        )
    if partner.white_label:
        return partner
    partner.white_label = True
    partner.save(update_fields=["white_label"])
    record(
        actor,
        "partner.white_label",
        partner,
        before={"white_label": False},
        after={"white_label": True},
    )
    return partner


@transaction.atomic(durable=True)
def revoke_white_label(partner: Partner, *, actor: User, reason: str) -> Partner:
    """Withdraw white-label output, with a written reason (officers, admins; R-TIER-5). A
    violation withdraws it by itself (R-VIOL-2)."""
    actor = require_role(actor, Role.OFFICER)
    message = _text_error(reason)
    if message:
        raise ValidationFailed({"reason": message})
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if not partner.white_label:
        return partner
    partner.white_label = False
    partner.save(update_fields=["white_label"])
    record(
        actor,
        "partner.white_label_revoke",
        partner,
        before={"white_label": True},
        after={"white_label": False, "reason": reason.strip()},
    )
    return partner


# --- exit (R-EXIT-1) -------------------------------------------------------------------------


@dataclass(frozen=True)
class ExitResult:
    """The exited partner, the notice it gave and the projects to hand over."""

    partner: Partner
    notice_days: int | None
    in_flight: list[Any] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def exit_snapshot(partner: Partner) -> dict[str, Any]:
    return {
        "status": partner.status,
        "exit_kind": partner.exit_kind,
        "exited_on": partner.exited_on,
        "exit_notice_on": partner.exit_notice_on,
        "exit_note": partner.exit_note,
    }


def check_exit(
    *, kind: str, on_date: dt.date | None, note: str = "", notice_on: dt.date | None = None
) -> None:
    """The field checks of :func:`exit_partner`, writing nothing (the console asks for
    confirmation only once they pass)."""
    today = clock.today()
    errors: dict[str, str] = {}
    if kind not in ExitKind.values:
        errors["kind"] = "取值无效 / Not one of the allowed values."
    if on_date is None:
        errors["on"] = "必填 / This field is required."
    elif kind == ExitKind.COMPANY_VIOLATION and on_date > today:
        errors["on"] = (
            "因我方违约的退出立即生效，不能晚于今天 / Immediate: must not be in the future."
        )
    elif on_date > today + dt.timedelta(days=366):
        errors["on"] = "退出日期过远 / The exit date is too far ahead."
    if notice_on is not None:
        if kind == ExitKind.COMPANY_VIOLATION:
            errors["notice_on"] = "立即退出无通知期 / An immediate exit has no notice."
        elif notice_on > today:
            errors["notice_on"] = "不能晚于今天 / Must not be in the future."
        elif on_date is not None and notice_on > on_date:
            errors["notice_on"] = "不能晚于退出日期 / Must not be after the exit date."
    message = _text_error(note, required=False)
    if message:
        errors["note"] = message
    if errors:
        raise ValidationFailed(errors)


@transaction.atomic(durable=True)
def exit_partner(
    partner: Partner,
    *,
    actor: User,
    kind: str,
    on_date: dt.date | None,
    note: str = "",
    notice_on: dt.date | None = None,
) -> ExitResult:
    """Record a partner's exit (officer, admin): partner_initiated, company_violation or
    mutual; from then on its users are read-only and still paid (R-EXIT-1, R-LED-7)."""
    actor = require_role(actor, Role.OFFICER)
    check_exit(kind=kind, on_date=on_date, note=note, notice_on=notice_on)
    today = clock.today()
    assert on_date is not None
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if partner.status == PartnerStatus.EXITED:
        raise Conflict("伙伴已退出合作 / The partner has already exited.")
    before = exit_snapshot(partner)
    notice_days: int | None = None
    warnings: list[str] = []
    if kind == ExitKind.COMPANY_VIOLATION:
        partner.exit_notice_on = None
    else:
        partner.exit_notice_on = notice_on or min(today, on_date)
        notice_days = (on_date - partner.exit_notice_on).days
        if kind == ExitKind.PARTNER_INITIATED and notice_days < SUGGESTED_NOTICE_DAYS:
            warnings.append(
                f"通知期 {notice_days} 天，少于建议的 {SUGGESTED_NOTICE_DAYS} 天 / "
                f"{notice_days} days' notice, less than the suggested {SUGGESTED_NOTICE_DAYS}."
            )
    partner.status = PartnerStatus.EXITED
    partner.exit_kind = kind
    partner.exited_on = on_date
    partner.exit_note = (note or "").strip()
    partner.save(update_fields=["status", "exit_kind", "exited_on", "exit_notice_on", "exit_note"])
    # Signed, not yet accepted or cancelled: delivery to hand over (交接).
    in_flight = project_selectors.in_flight(partner)
    record(
        actor,
        "partner.exit",
        partner,
        before=before,
        after=exit_snapshot(partner) | {"in_flight": [p.pk for p in in_flight]},
    )
    return ExitResult(partner, notice_days, in_flight, warnings)
