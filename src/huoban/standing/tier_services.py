"""Tier operations (合作梯度, SPEC §8): promotion, strategic applications, retention and
inactivity. Each public service is one transaction, locks the partner row and writes one audit
event when it changes something; the rules themselves are in :mod:`huoban.standing.tiers`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max

from huoban import clock, hooks
from huoban.access import partner_id_of, require_partner_user, require_role
from huoban.accounts.models import Role, User
from huoban.audit.services import record
from huoban.calendar import add_business_days
from huoban.calendar import explain as explain_business_date
from huoban.errors import Conflict, NotFound, ValidationFailed
from huoban.explain import Step, explanation_text
from huoban.leads import selectors as lead_selectors
from huoban.partners.models import (
    ApplicationKind,
    ApplicationStatus,
    Partner,
    PartnerStatus,
    PartnerViolation,
    RetentionState,
    Tier,
    TierApplication,
    TierChange,
    TierChangeKind,
)
from huoban.projects import selectors as project_selectors
from huoban.terms.rules import POLICY_V1
from huoban.terms.services import policy_for

from . import notices, tiers

# --- facts ----------------------------------------------------------------------------------


def signed_between(partner: Partner, first: dt.date, last: dt.date) -> Decimal:
    """Contract amounts of the partner's projects signed first..last, cancelled excluded."""
    return project_selectors.signed_total(partner, first, last)


def ytd_signed(partner: Partner, day: dt.date) -> Decimal:
    """Year-to-date signed: 1 January of `day`'s year to `day` (SPEC §8)."""
    return signed_between(partner, dt.date(day.year, 1, 1), day)


def valid_leads_by_month(partner: Partner, day: dt.date) -> dict[tiers.Month, int]:
    """Valid leads by the (local) month they were submitted, over the 3 complete months."""
    months = tiers.complete_months_before(day)
    start = clock.local_midnight(tiers.month_start(months[0]))
    end = clock.local_midnight(day.replace(day=1))
    counts: dict[tiers.Month, int] = {m: 0 for m in months}
    tz = clock.local_tz()
    for submitted_at in lead_selectors.valid_submitted_between(partner, start, end):
        local = submitted_at.astimezone(tz)
        counts[(local.year, local.month)] = counts.get((local.year, local.month), 0) + 1
    return counts


def last_violation_on(partner: Partner, day: dt.date) -> dt.date | None:
    value: dt.date | None = PartnerViolation.objects.filter(
        partner=partner, occurred_on__lte=day
    ).aggregate(last=Max("occurred_on"))["last"]
    return value


def qualification(partner: Partner, day: dt.date) -> tiers.Qualification:
    """The highest tier whose entry `partner` meets on `day` (no application counted)."""
    return tiers.qualifying_tier(
        day=day,
        ytd_signed=ytd_signed(partner, day),
        valid_leads_by_month=valid_leads_by_month(partner, day),
        last_violation_on=last_violation_on(partner, day),
    )


def last_activity(partner: Partner) -> dt.date:
    """The latest of: the last valid lead's verdict date, the last (not cancelled) signing,
    and the date the current tier took effect (R-TIER-4; docs/decisions.md)."""
    candidates = [partner.tier_since]
    verdict_at = lead_selectors.last_valid_verdict_at(partner)
    if verdict_at is not None:
        candidates.append(verdict_at.astimezone(clock.local_tz()).date())
    signed_on = project_selectors.last_signed_on(partner)
    if signed_on is not None:
        candidates.append(signed_on)
    return max(candidates)


def demote_after_grace(partner: Partner, day: dt.date) -> bool:
    """The policy switch of the policy in force for the partner on `day` (off in v1)."""
    try:
        return policy_for(day, partner).to_policy().demote_after_grace
    except ValidationFailed:  # no policy version effective yet: v1's default
        return POLICY_V1.demote_after_grace


# --- snapshots ------------------------------------------------------------------------------


def tier_snapshot(partner: Partner) -> dict[str, Any]:
    return {
        "tier": partner.tier,
        "tier_since": partner.tier_since.isoformat(),
        "retention_state": partner.retention_state,
        "grace_until": partner.grace_until.isoformat() if partner.grace_until else None,
        "retention_cycle": partner.retention_cycle,
        "inactivity_notice_on": (
            partner.inactivity_notice_on.isoformat() if partner.inactivity_notice_on else None
        ),
    }


def application_snapshot(app: TierApplication) -> dict[str, Any]:
    return {
        "partner": app.partner.code,
        "kind": app.kind,
        "from_tier": app.from_tier,
        "requested_tier": app.requested_tier,
        "status": app.status,
        "due_on": app.due_on.isoformat() if app.due_on else None,
        "due_estimated": app.due_estimated,
        "decision_note": app.decision_note,
    }


def _lock(partner: Partner | int) -> Partner:
    pk = partner.pk if isinstance(partner, Partner) else partner
    return Partner.objects.select_for_update().get(pk=pk)


def _history(
    partner: Partner, kind: str, from_tier: str, to_tier: str, reason: str, actor: User | None
) -> TierChange:
    change = TierChange.objects.create(
        partner=partner,
        at=clock.now(),
        kind=kind,
        from_tier=from_tier,
        to_tier=to_tier,
        reason=reason,
        actor=actor,
    )
    notices.tier_history(change)  # every tier change and notice reaches the partner's users
    return change


def _set_tier(partner: Partner, tier: str, day: dt.date) -> None:
    """A new tier starts a fresh retention cycle: first checked on the next 1 January."""
    partner.tier = tier
    partner.tier_since = day
    partner.retention_state = RetentionState.NONE
    partner.grace_until = None
    partner.retention_cycle = day.year


# --- R-TIER-1 promotion ---------------------------------------------------------------------

REASON_CONTEXTS = {
    "daily_job": ("每日任务", "daily job"),
    "project_signed": ("项目签约", "project signed"),
    "lead_valid": ("线索判定有效", "lead judged valid"),
}


@transaction.atomic
def promote_if_qualified(
    partner: Partner, *, reason_context: str, actor: User | None = None, day: dt.date | None = None
) -> TierChange | None:
    """Promote to the highest tier whose entry is met, only ever upward, as an auto-approved
    application (R-TIER-1, R-TIER-6).

    A helper, not a durable action: the hooks call it inside the verdict's or the signing's
    transaction, and the daily job inside its own (D-FRAME-15)."""
    day = day or clock.today()
    partner = _lock(partner)
    if partner.status == PartnerStatus.EXITED or partner.tier == Tier.STRATEGIC:
        return None
    result = qualification(partner, day)
    if not tiers.is_upward(partner.tier, result.tier):
        return None
    before = tier_snapshot(partner)
    zh, en = REASON_CONTEXTS.get(reason_context, (reason_context, reason_context))
    steps = [
        Step(f"自动晋级（触发：{zh}）", f"automatic promotion (trigger: {en})"),
        *result.explanation,
    ]
    reason = explanation_text(steps)
    from_tier = partner.tier
    now = clock.now()
    app = TierApplication.objects.create(
        partner=partner,
        kind=ApplicationKind.AUTO,
        from_tier=from_tier,
        requested_tier=result.tier,
        applied_at=now,
        status=ApplicationStatus.APPROVED,
        decided_by=actor,
        decided_at=now,
        decision_note=reason,
    )
    change = _history(partner, TierChangeKind.PROMOTION, from_tier, result.tier, reason, actor)
    _set_tier(partner, result.tier, day)
    partner.save()
    record(
        actor,
        "partner.tier.promote",
        partner,
        before=before,
        after=tier_snapshot(partner) | {"application": app.pk, "trigger": reason_context},
    )
    return change


def on_project_signed(partner: Partner) -> TierChange | None:
    """Hook for project signing: promote at once if a higher entry is now met (R-TIER-1),
    and settle a retention grace the signing has met (R-TIER-3)."""
    change = promote_if_qualified(partner, reason_context="project_signed")
    evaluate_grace(partner)
    return change


def on_lead_valid(partner: Partner) -> TierChange | None:
    """Hook for a valid verdict: promote at once if a higher entry is now met (R-TIER-1)."""
    return promote_if_qualified(partner, reason_context="lead_valid")


def connect_hooks() -> None:
    """Listen to the leads' and projects' hooks (:mod:`huoban.hooks`); idempotent."""
    hooks.project_signed.connect(
        _project_signed, dispatch_uid="standing.project_signed", weak=False
    )
    hooks.lead_valid.connect(_lead_valid, dispatch_uid="standing.lead_valid", weak=False)


def _project_signed(sender: Any, *, partner: Partner, **kwargs: Any) -> None:
    on_project_signed(partner)


def _lead_valid(sender: Any, *, partner: Partner, **kwargs: Any) -> None:
    on_lead_valid(partner)


# --- R-TIER-2 strategic applications --------------------------------------------------------


@transaction.atomic(durable=True)
def apply_for_strategic(*, actor: User, resources: str, plan: str) -> TierApplication:
    """Apply for strategic with resources and a plan; decision due in 5 business days
    (R-TIER-2). A newer application supersedes a pending one."""
    actor = require_partner_user(actor)
    errors: dict[str, str] = {}
    if not resources.strip():
        errors["resources"] = "请说明可提供的资源 / Describe the resources you bring."
    if not plan.strip():
        errors["plan"] = "请填写合作计划 / A plan is required."
    if errors:
        raise ValidationFailed(errors)
    partner = _lock(partner_id_of(actor))
    if partner.status == PartnerStatus.EXITED:
        raise Conflict("伙伴已退出合作 / The partner has exited.")
    if partner.tier == Tier.STRATEGIC:
        raise Conflict("已是战略伙伴 / The partner is already strategic.")
    pending = TierApplication.objects.filter(partner=partner, status=ApplicationStatus.PENDING)
    superseded = sorted(pending.values_list("pk", flat=True))
    pending.update(status=ApplicationStatus.SUPERSEDED)
    now = clock.now()
    due = add_business_days(clock.today(), tiers.APPLICATION_DECISION_BUSINESS_DAYS)
    app = TierApplication.objects.create(
        partner=partner,
        kind=ApplicationKind.STRATEGIC,
        from_tier=partner.tier,
        requested_tier=Tier.STRATEGIC,
        resources=resources.strip(),
        plan=plan.strip(),
        applied_by=actor,
        applied_at=now,
        due_on=due.date,
        due_estimated=due.estimated,
    )
    record(
        actor,
        "partner.tier.apply",
        app,
        after=application_snapshot(app)
        | {"due_note": explain_business_date(due), "superseded": superseded},
    )
    notices.application_submitted(app)
    return app


@transaction.atomic(durable=True)
def decide_application(
    application_id: int,
    *,
    actor: User,
    approve: bool,
    note: str,
    partner: Partner | None = None,
) -> TierApplication:
    """Approve or reject a strategic application; approval makes the partner strategic
    (R-TIER-2, R-TIER-6). `partner`, when given, scopes the application (else 404)."""
    actor = require_role(actor, Role.OFFICER)
    app = (
        TierApplication.objects.select_for_update()
        .filter(pk=application_id, kind=ApplicationKind.STRATEGIC)
        .first()
    )
    if app is None or (partner is not None and app.partner_id != partner.pk):
        raise NotFound("申请不存在 / No such application.")
    if not approve and not note.strip():
        raise ValidationFailed({"note": "驳回须说明理由 / A rejection needs a reason."})
    if app.status != ApplicationStatus.PENDING:
        raise Conflict(f"申请状态为 {app.status}，不能审批 / A {app.status} application is closed.")
    locked = _lock(app.partner_id)
    if approve and locked.status == PartnerStatus.EXITED:
        raise Conflict("伙伴已退出合作 / The partner has exited.")
    before = application_snapshot(app) | tier_snapshot(locked)
    now = clock.now()
    app.status = ApplicationStatus.APPROVED if approve else ApplicationStatus.REJECTED
    app.decided_by = actor
    app.decided_at = now
    app.decision_note = note.strip()
    app.save()
    if approve and locked.tier != Tier.STRATEGIC:
        reason = explanation_text(
            [
                Step(
                    f"战略伙伴申请 #{app.pk} 获批：{app.decision_note or '—'}",
                    f"strategic application #{app.pk} approved: {app.decision_note or '—'}",
                )
            ]
        )
        _history(locked, TierChangeKind.APPLICATION, locked.tier, Tier.STRATEGIC, reason, actor)
        _set_tier(locked, Tier.STRATEGIC, clock.today())
        locked.save()
    app.partner = locked
    record(
        actor,
        "partner.tier.decide",
        app,
        before=before,
        after=application_snapshot(app) | tier_snapshot(locked),
    )
    notices.application_decided(app)
    return app


# --- R-TIER-3 retention ---------------------------------------------------------------------


@transaction.atomic
def start_retention_cycle(partner: Partner, day: dt.date | None = None) -> str | None:
    """On or after 1 January, once a year: a partner above light whose previous year's signed
    is below its tier's threshold enters grace until 31 March (R-TIER-3)."""
    day = day or clock.today()
    partner = _lock(partner)
    if (
        partner.status == PartnerStatus.EXITED
        or partner.tier == Tier.LIGHT
        or partner.retention_cycle == day.year
        or partner.tier_since >= dt.date(day.year, 1, 1)
    ):
        return None
    before = tier_snapshot(partner)
    previous = signed_between(partner, dt.date(day.year - 1, 1, 1), dt.date(day.year - 1, 12, 31))
    start = tiers.retention_start(partner.tier, previous, day.year)
    partner.retention_cycle = day.year
    if start.enters_grace:
        partner.retention_state = RetentionState.GRACE
        partner.grace_until = start.grace_until
        _history(
            partner,
            TierChangeKind.RETENTION,
            partner.tier,
            partner.tier,
            explanation_text(start.explanation),
            None,
        )
    else:
        partner.retention_state = RetentionState.NONE
        partner.grace_until = None
    partner.save()
    record(
        None,
        "partner.tier.retention_cycle",
        partner,
        before=before,
        after=tier_snapshot(partner) | {"previous_year_signed": str(previous)},
    )
    return partner.retention_state


@transaction.atomic
def evaluate_grace(
    partner: Partner, day: dt.date | None = None, *, demote: bool | None = None
) -> str | None:
    """During grace: retained once this year's signed meets the threshold; after 31 March
    unmet: kept and marked retention_lapsed, or moved down if demote_after_grace (R-TIER-3)."""
    day = day or clock.today()
    partner = _lock(partner)
    if partner.retention_state != RetentionState.GRACE or partner.grace_until is None:
        return None
    if demote is None:
        demote = demote_after_grace(partner, day)
    # Only signings within grace count, even if the job first runs after it ended.
    outcome = tiers.grace_outcome(
        tier=partner.tier,
        ytd_signed=ytd_signed(partner, min(day, partner.grace_until)),
        day=day,
        grace_until=partner.grace_until,
        demote_after_grace=demote,
        qualifying=qualification(partner, day).tier if demote else partner.tier,
    )
    if outcome.state == "grace":
        return None
    before = tier_snapshot(partner)
    reason = explanation_text(outcome.explanation)
    if outcome.state == "demoted":
        _history(partner, TierChangeKind.DEMOTION, partner.tier, outcome.tier, reason, None)
        _set_tier(partner, outcome.tier, day)
    else:
        _history(partner, TierChangeKind.RETENTION, partner.tier, partner.tier, reason, None)
        partner.retention_state = outcome.state
    partner.save()
    record(None, "partner.tier.retention", partner, before=before, after=tier_snapshot(partner))
    return outcome.state


# --- R-TIER-4 inactivity --------------------------------------------------------------------


@transaction.atomic
def check_inactivity(partner: Partner, day: dt.date | None = None) -> str | None:
    """No valid lead and no signing in 12 consecutive months: notice 30 days before, then back
    to light; attributions and the ledger are untouched (R-TIER-4)."""
    day = day or clock.today()
    partner = _lock(partner)
    if partner.status == PartnerStatus.EXITED or partner.tier == Tier.LIGHT:
        return None
    decision = tiers.inactivity(
        tier=partner.tier,
        last_activity=last_activity(partner),
        day=day,
        notice_on=partner.inactivity_notice_on,
    )
    if decision.action is None:
        return None
    before = tier_snapshot(partner)
    reason = explanation_text(decision.explanation)
    if decision.action == "notice":
        partner.inactivity_notice_on = day
        _history(
            partner, TierChangeKind.INACTIVITY_NOTICE, partner.tier, partner.tier, reason, None
        )
        action = "partner.tier.inactivity_notice"
    else:
        _history(partner, TierChangeKind.INACTIVITY, partner.tier, Tier.LIGHT, reason, None)
        _set_tier(partner, Tier.LIGHT, day)
        action = "partner.tier.inactivity"
    partner.save()
    record(
        None,
        action,
        partner,
        before=before,
        after=tier_snapshot(partner) | {"light_on": decision.light_on.isoformat()},
    )
    return decision.action


# --- the daily job --------------------------------------------------------------------------


@dataclass
class TierReport:
    promoted: int = 0
    grace: int = 0
    retained: int = 0
    lapsed: int = 0
    demoted: int = 0
    notices: int = 0
    to_light: int = 0

    def line(self) -> str:
        return (
            f"tiers: {self.promoted} promoted (R-TIER-1), {self.grace} entered grace, "
            f"{self.retained} retained, {self.lapsed} retention lapsed, {self.demoted} demoted "
            f"(R-TIER-3), {self.notices} inactivity notices, {self.to_light} back to light "
            "(R-TIER-4)"
        )


def run_tier_jobs(day: dt.date) -> str:
    """Retention, promotion and inactivity for every active partner as of `day`; idempotent."""
    report = TierReport()
    ids = list(
        Partner.objects.filter(status=PartnerStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        partner = Partner(pk=pk)
        if start_retention_cycle(partner, day) == RetentionState.GRACE:
            report.grace += 1
        state = evaluate_grace(partner, day)
        if state == RetentionState.RETAINED:
            report.retained += 1
        elif state == RetentionState.LAPSED:
            report.lapsed += 1
        elif state == "demoted":
            report.demoted += 1
        if promote_if_qualified(partner, reason_context="daily_job", day=day) is not None:
            report.promoted += 1
        action = check_inactivity(partner, day)
        if action == "notice":
            report.notices += 1
        elif action == "light":
            report.to_light += 1
    return report.line()
