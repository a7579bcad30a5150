"""Crisis cases (SPEC §10.8, R-CRIS): opened by the triggers when a scorecard is recorded (and
by `huoban tick`), idempotently — a cause opens one case, however often it is evaluated; closed
by an officer with an outcome. A complaints case pauses the partner's new business (R-CRIS-2)
until it closes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from huoban import clock, explain
from huoban.accounts.models import ApiToken, Role, User
from huoban.agreements.models import Agreement
from huoban.agreements.models import Status as AgreementStatus
from huoban.audit.services import record
from huoban.customers.models import Customer
from huoban.errors import Conflict, Forbidden, NotFound, ValidationFailed
from huoban.notifications.services import Message, first_time, notify, staff_with
from huoban.partners.models import Partner, PartnerStatus, PartnerType
from huoban.policy import may_manage_partners
from huoban.selection.services import open_selection

from . import rules
from .models import Case, CaseStatus, Scorecard, Trigger

#: The seeds' playbooks (seed 002's 危机应对): each step and the days after opening it is due.
PLAYBOOKS: dict[str, tuple[tuple[str, int], ...]] = {
    Trigger.PERFORMANCE_DROP: (
        ("联合诊断 / Joint diagnosis", 7),
        ("根因分析：数据、流程、人员或其他 / Root cause: data, process, people or other", 14),
        ("30 天整改计划 / 30-day remediation plan", 30),
    ),
    Trigger.COMPLAINTS: (
        ("回访每一位受影响客户 / Call back every affected customer", 3),
        ("找出共性原因 / Find the common cause", 7),
        ("整改 / Fix it", 14),
        ("致歉与补偿方案 / Apology and compensation plan", 14),
    ),
    Trigger.OWNERSHIP_CHANGE: (
        ("重新评估能力与意愿 / Re-assess capability and willingness", 14),
        ("决定继续合作或过渡 / Decide: continue or transition", 30),
    ),
    Trigger.DATA_BREACH: (
        ("撤销 API 令牌并封锁导出 / Revoke the API tokens and block exports", 0),
        ("通知法务 / Tell legal", 0),
        ("告知受影响客户 / Inform the affected customers", 3),
        ("违约索赔 / Claim the breach damages", 30),
    ),
    Trigger.PERFORMANCE_EXIT: (
        (
            "书面通知伙伴：任一方可无补偿终止协议 / Tell the partner in writing: either side may "
            "end the agreement without compensation",
            7,
        ),
        ("决定终止或继续合作 / Decide: end the agreement or go on", 30),
    ),
    Trigger.UNQUALIFIED: (
        ("约谈并确认差距 / Review the gaps with the partner", 7),
        ("整改计划与跟进 / Remediation plan and follow-up", 30),
    ),
}
CASE_DAYS = 30  # R-CRIS-1: the remediation plan is due 30 days after opening


def _kpis(card: Scorecard) -> list[rules.Kpi]:
    return [
        rules.Kpi(k["name"], k["direction"], Decimal(k["target"]), Decimal(k["actual"]),
                  Decimal(k["weight"]))
        for k in card.items
    ]  # fmt: skip


def _index(card: Scorecard, mark: str) -> int | None:
    return next((i for i, k in enumerate(card.items) if k.get(mark)), None)


def _previous(card: Scorecard) -> Scorecard | None:
    year, month = (card.year, card.month - 1) if card.month > 1 else (card.year - 1, 12)
    return (
        Scorecard.objects.current()
        .filter(partner_id=card.partner_id, year=year, month=month)
        .exclude(pk=card.pk)
        .first()
    )


def open_cases_for(card: Scorecard, actor: User | None) -> list[Case]:
    """R-CRIS-1/2/5 on a recorded scorecard, in the caller's transaction: each trigger opens its
    case once (keyed by partner, trigger and month)."""
    kpis = _kpis(card)
    previous = _previous(card)
    primary = _index(card, "primary")
    previous_primary = None
    if previous is not None and primary is not None:
        name = card.items[primary]["name"]
        before = next((k for k in _kpis(previous) if k.name == name), None)
        previous_primary = before
    found = rules.triggers(
        kpis,
        total=card.total,
        primary=primary,
        complaint_rate=_index(card, "complaint_rate"),
        previous_primary=previous_primary,
    )
    opened = []
    for t in found:
        if Case.objects.open().filter(partner_id=card.partner_id, trigger=t.trigger).exists():
            continue  # one open case per cause: the open one is still being handled
        key = f"{t.trigger}:{card.partner_id}:{card.period}"
        case = open_case(card.partner, t.trigger, key, t.reason, actor=actor, scorecard=card)
        if case is not None:
            opened.append(case)
    if primary is not None:
        exit_case = _performance_exit(card, kpis[primary].name, actor)
        opened += [exit_case] if exit_case is not None else []
    if primary is not None:
        opened += _escalate(card, kpis[primary], actor)
    return opened


def _quarter_of(year: int, month: int) -> tuple[int, int]:
    return year, (month - 1) // 3 + 1


def _performance_exit(card: Scorecard, name: str, actor: User | None) -> Case | None:
    """R-CRIS-5: once the card's quarter and the one before are both fully scored and the
    primary KPI (the same name, still marked primary) is below 50% of its target in both, a
    `performance_exit` case opens — once per quarter, and not while one is open."""
    year, quarter = _quarter_of(card.year, card.month)
    before = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    wanted = {(y, (q - 1) * 3 + m) for y, q in (before, (year, quarter)) for m in (1, 2, 3)}
    cards = Scorecard.objects.current().filter(
        partner_id=card.partner_id,
        year__in={y for y, _m in wanted},
        month__in={m for _y, m in wanted},
    )
    monthly: dict[tuple[int, int], list[Decimal]] = {before: [], (year, quarter): []}
    for row in cards:
        index = _index(row, "primary")
        if (row.year, row.month) not in wanted or index is None:
            continue
        if row.items[index]["name"] == name:
            monthly[_quarter_of(row.year, row.month)].append(rules.achievement(_kpis(row)[index]))
    found = rules.performance_exit(
        name, [(f"{y}Q{q}", rules.quarter_score(monthly[(y, q)])) for y, q in monthly]
    )
    if found is None:
        return None
    if Case.objects.open().filter(partner_id=card.partner_id, trigger=found.trigger).exists():
        return None
    key = f"{found.trigger}:{card.partner_id}:{year}Q{quarter}"
    return open_case(
        card.partner, found.trigger, key, found.reason, actor=actor, scorecard=card,
        also_tell=(Role.GM,),
    )  # fmt: skip


def _escalate(card: Scorecard, primary: rules.Kpi, actor: User | None) -> list[Case]:
    """R-CRIS-1: when the first scorecard after a performance-drop case's due date still has the
    primary KPI below 60% of its target, the case escalates to `replacement` and a selection for
    an alternative of the partner's type opens in draft."""
    score = rules.achievement(primary)
    if score >= rules.DROP_SCORE:
        return []
    out = []
    recorded_on = card.recorded_at.astimezone(clock.local_tz()).date()
    due_cases = Case.objects.open().filter(
        partner_id=card.partner_id, trigger=Trigger.PERFORMANCE_DROP, due_on__lt=recorded_on
    )
    for drop in due_cases:
        after_due = clock.local_midnight(drop.due_on + dt.timedelta(days=1))
        earlier = Scorecard.objects.filter(
            partner_id=card.partner_id, recorded_at__gte=after_due, recorded_at__lt=card.recorded_at
        )
        if earlier.exists():  # only the first scorecard after the due date decides
            continue
        partner = card.partner
        reason = explain.Step(
            f"整改到期（{drop.due_on}）后首份记分卡主要指标“{primary.name}”仍低于目标 60%"
            f"（{rules.shown(score)}）：启动替代",
            f"the first scorecard after the remediation due date ({drop.due_on}) still has the "
            f"primary KPI “{primary.name}” below 60% ({rules.shown(score)}): replacement",
        )
        case = open_case(
            partner, Trigger.REPLACEMENT, f"replacement:{drop.pk}", reason, actor=actor,
            scorecard=card, event="case.escalated",
        )  # fmt: skip
        if case is None:
            continue
        kind = next((t for t in partner.types if t in PartnerType.values), PartnerType.CHANNEL)
        selection = open_selection(
            title=f"替代 {partner.name} 的伙伴甄选",
            partner_type=kind,
            criteria=[{"metric": primary.name, "op": "gte", "threshold": str(primary.target)}],
            needs=f"替代 {partner.name}（{Trigger(Trigger.PERFORMANCE_DROP).label}）",
            draft=True,
            actor=actor,
        )
        by = actor.username if actor is not None else "huoban tick"
        case.log = [{"at": clock.now().isoformat(), "by": by,
                     "selection_id": selection.pk, "text": "替代甄选已开启 / replacement "
                     "selection opened"}]  # fmt: skip
        case.save(update_fields=["log"])
        out.append(case)
    return out


def open_case(
    partner: Partner,
    trigger: str,
    key: str,
    reason: explain.Step,
    *,
    actor: User | None,
    scorecard: Scorecard | None = None,
    details: dict[str, Any] | None = None,
    also_tell: tuple[str, ...] = (),
    event: str = "case.opened",
) -> Case | None:
    """Open the case for ``key`` unless it exists (R-CRIS-6: a second run opens nothing); a
    complaints case pauses the partner (R-CRIS-2). Officers are told through the outbox, by
    `case.opened` or, for an escalation, `case.escalated` (R-NOTE-1)."""
    if Case.objects.filter(key=key).exists():
        return None
    today = clock.today()
    steps = [
        {"text": text, "due_on": (today + dt.timedelta(days=days)).isoformat(), "done_on": None}
        for text, days in PLAYBOOKS.get(trigger, ())
    ]
    case = Case.objects.create(
        partner=partner,
        trigger=trigger,
        key=key,
        reason=str(reason),
        opened_on=today,
        due_on=today + dt.timedelta(days=CASE_DAYS),
        steps=steps,
        owner=partner.account_manager,
        scorecard=scorecard,
        opened_at=clock.now(),
        details=details or {},
    )
    if trigger == Trigger.COMPLAINTS and partner.paused_since is None:
        Partner.objects.filter(pk=partner.pk).update(
            paused_since=today, paused_reason=Trigger(trigger).label
        )
    record(
        actor,
        "case.open",
        case,
        after={
            "partner": partner.code,
            "trigger": trigger,
            "reason": case.reason,
            "key": key,
            **({"details": case.details} if case.details else {}),
        },
    )
    notify(
        Message(
            event,
            f"{partner.name}：{Trigger(trigger).label}",
            f"{partner.name}: {trigger.replace('_', ' ')}",
            reason.zh,
            reason.en,
            reverse("console:partner_cases", kwargs={"code": partner.code}),
            data={"case_id": case.pk, "partner_code": partner.code, "trigger": trigger},
        ),
        staff_with(Role.OFFICER, *also_tell),
        actor=actor,
    )
    return case


@transaction.atomic(durable=True)
def close_case(case_id: int, *, outcome: str, actor: User) -> Case:
    """An officer closes a case with its outcome (R-CRIS-6); the partner's pause lifts with its
    last open complaints case (R-CRIS-2)."""
    if not may_manage_partners(actor):
        raise Forbidden("事件由伙伴关系官关闭 / Partner officers close cases.")
    case = Case.objects.select_for_update().select_related("partner").filter(pk=case_id).first()
    if case is None:
        raise NotFound("事件不存在 / No such case.")
    if case.status != CaseStatus.OPEN:
        raise Conflict("事件已关闭 / The case is closed already.")
    if not outcome.strip():
        raise ValidationFailed({"outcome": "请写明关闭结论 / Say how the case ended."})
    case.status = CaseStatus.CLOSED
    case.outcome = outcome.strip()
    case.closed_on = clock.today()
    case.log = [*case.log, {"at": clock.now().isoformat(), "by": actor.username,
                            "text": f"关闭 / closed: {case.outcome}"}]  # fmt: skip
    case.save(update_fields=["status", "outcome", "closed_on", "log"])
    unpaused = unblocked = False
    if case.trigger == Trigger.COMPLAINTS and not (
        Case.objects.open().filter(partner=case.partner, trigger=Trigger.COMPLAINTS).exists()
    ):
        Partner.objects.filter(pk=case.partner_id).update(paused_since=None, paused_reason="")
        unpaused = True
    if case.trigger == Trigger.DATA_BREACH and not (
        Case.objects.open().filter(partner=case.partner, trigger=Trigger.DATA_BREACH).exists()
    ):  # R-CRIS-3: exchange resumes; the revoked tokens stay revoked, new ones may be issued
        Partner.objects.filter(pk=case.partner_id).update(data_blocked_since=None)
        unblocked = True
    record(
        actor,
        "case.close",
        case,
        before={"status": CaseStatus.OPEN},
        after={
            "status": CaseStatus.CLOSED,
            "outcome": case.outcome,
            "unpaused": unpaused,
            "unblocked": unblocked,
        },
    )
    return case


def case_out(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "partner_code": case.partner.code,
        "trigger": case.trigger,
        "status": case.status,
        "reason": case.reason,
        "opened_on": case.opened_on,
        "due_on": case.due_on,
        "closed_on": case.closed_on,
        "steps": case.steps,
        "details": case.details,
        "outcome": case.outcome,
    }


def _partner_for_case(partner_code: str, actor: User, *, lock: bool = False) -> Partner:
    """The partner an officer records a case for (R-CRIS-3/4): 403 for other roles, 404."""
    if not may_manage_partners(actor):
        raise Forbidden("事件由伙伴关系官登记 / Partner officers record cases.")
    rows = Partner.objects.select_for_update() if lock else Partner.objects.all()
    partner = rows.filter(code=partner_code).first()
    if partner is None:
        raise NotFound("伙伴不存在 / No such partner.")
    return partner


def _check_recorded(when: tuple[str, dt.date | None, str, str], text: tuple[str, str, str]) -> None:
    """A recorded case's date (required, not in the future) and its text (required): every
    field's error at once, nothing written."""
    errors: dict[str, str] = {}
    field, day, missing, future = when
    if day is None:
        errors[field] = missing
    elif day > clock.today():
        errors[field] = future
    field, value, missing = text
    if not value.strip():
        errors[field] = missing
    if errors:
        raise ValidationFailed(errors)


@transaction.atomic(durable=True)
def record_ownership_change(
    partner_code: str, *, changed_on: dt.date | None, new_owner: str, note: str = "", actor: User
) -> Case:
    """R-CRIS-4: a partner's ownership changed (date, new owner): a case whose decision —
    continue or transition — is due 30 days after the change; its assessments are to be redone
    (the case's first step, and the partner page says so while it is open)."""
    partner = _partner_for_case(partner_code, actor)
    _check_recorded(
        ("changed_on", changed_on, "请填写变更日期 / The date of the change is required.",
         "变更日期不能晚于今天 / The change has happened already."),
        ("new_owner", new_owner, "请填写新的控股方 / Name the new owner."),
    )  # fmt: skip
    assert changed_on is not None
    reason = explain.Step(
        f"{changed_on} 股权变更，新控股方：{new_owner.strip()}。{note.strip()}".strip(),
        f"ownership changed on {changed_on}, new owner: {new_owner.strip()}",
    )
    case = open_case(
        partner, Trigger.OWNERSHIP_CHANGE, f"ownership_change:{partner.pk}:{changed_on}", reason,
        actor=actor,
    )  # fmt: skip
    if case is None:
        raise Conflict("该变更已登记 / This change is recorded already.")
    case.due_on = changed_on + dt.timedelta(days=CASE_DAYS)
    case.save(update_fields=["due_on"])
    return case


@transaction.atomic(durable=True)
def record_data_breach(
    partner_code: str, *, detected_on: dt.date | None, description: str, actor: User
) -> Case:
    """R-CRIS-3 (officer, admin): a data breach by the partner. In one transaction data exchange
    stops — the partner's API tokens are revoked and its users export nothing until the case
    closes — legal is told with the officers, the customers whose data the partner held (those
    it owns) are listed on the case, and a claim is opened for the breach damages its agreement
    in force sets (none written: legal assesses it). D-CRIS-3."""
    partner = _partner_for_case(partner_code, actor, lock=True)
    _check_recorded(
        ("detected_on", detected_on, "请填写发现日期 / The date it was found is required.",
         "发现日期不能晚于今天 / It has been found already."),
        ("description", description, "请描述泄露的情况 / Say what leaked and how."),
    )  # fmt: skip
    assert detected_on is not None
    key = f"data_breach:{partner.pk}:{detected_on}"
    if Case.objects.filter(key=key).exists():
        raise Conflict("该泄露事件已登记 / This breach is recorded already.")
    now = clock.now()
    revoked = ApiToken.objects.filter(user__partner=partner, revoked_at__isnull=True).update(
        revoked_at=now
    )
    customers = [
        {"id": pk, "name": name}
        for pk, name in Customer.objects.filter(attribution__partner=partner)
        .order_by("legal_name", "pk")
        .values_list("pk", "legal_name")
    ]  # fmt: skip
    today = clock.today()
    in_force = Agreement.objects.filter(
        partner=partner, status=AgreementStatus.APPROVED, starts_on__lte=today, ends_on__gte=today
    )
    agreement = in_force.order_by("-version", "-pk").first()
    damages = agreement.data_breach_damages if agreement is not None else None
    claim = {
        "amount": None if damages is None else str(damages),
        "agreement": agreement.number if agreement is not None else None,
    }
    claim_zh = (
        f"按协议 {agreement.number} 索赔数据泄露违约金 {damages:,.2f} 元"
        if agreement is not None and damages is not None
        else "协议未约定数据泄露违约金，由法务评估索赔金额"
    )
    claim_en = (
        f"claim {damages:,.2f} of breach damages under agreement {agreement.number}"
        if agreement is not None and damages is not None
        else "the agreement sets no breach damages: legal assesses the claim"
    )
    reason = explain.Step(
        f"{detected_on} 发现数据泄露：{description.strip()}。已撤销 {revoked} 个 API 令牌并封锁"
        f"导出；列出受影响客户 {len(customers)} 家；{claim_zh}。",
        f"data breach found on {detected_on}: {revoked} API token(s) revoked and exports "
        f"blocked; {len(customers)} affected customer(s) listed; {claim_en}.",
    )
    if partner.data_blocked_since is None:
        Partner.objects.filter(pk=partner.pk).update(data_blocked_since=today)
    case = open_case(
        partner, Trigger.DATA_BREACH, key, reason, actor=actor,
        details={"customers": customers, "tokens_revoked": revoked, "claim": claim,
                 "detected_on": detected_on.isoformat(), "description": description.strip()},
        also_tell=(Role.LEGAL,),
    )  # fmt: skip
    assert case is not None  # the key was free under the partner's row lock
    done = today.isoformat()
    case.steps = [
        {**step, "done_on": done} if i == 0 else step for i, step in enumerate(case.steps)
    ]
    case.save(update_fields=["steps"])
    return case


def evaluate_cases(day: dt.date) -> str:
    """R-CRIS-6 for `huoban tick`: each partner's latest scorecard is evaluated again, so a
    cause whose case is missing — and a performance-drop case whose due date has passed —
    opens its case or escalation now; the keys make a second run open nothing. One line."""
    latest = (
        Scorecard.objects.current()
        .filter(partner_id=OuterRef("partner_id"))
        .order_by("-year", "-month")
        .values("pk")[:1]
    )
    cards = (
        Scorecard.objects.current()
        .exclude(partner__status=PartnerStatus.EXITED)
        .filter(pk=Subquery(latest))
        .select_related("partner", "partner__account_manager")
        .order_by("partner_id")
    )
    opened = 0
    for card in cards:
        with transaction.atomic():
            opened += len(open_cases_for(card, None))
    late = remind_due_cases(day)
    return (
        f"cases: {opened} opened or escalated from the latest scorecards as of {day}, "
        f"{late} past their due date reminded (R-CRIS-6)"
    )


def remind_due_cases(day: dt.date) -> int:
    """An open case past its due date reminds its owner (the partner's account manager; the
    officers when it has none) once per due date (`case.due`, D-CRIS-7)."""
    told = 0
    late = Case.objects.open().filter(due_on__lt=day).select_related("partner", "owner")
    for case in late.order_by("due_on", "pk"):
        with transaction.atomic():
            if not first_time("case.due", f"case:{case.pk}:{case.due_on}"):
                continue
            partner, label = case.partner, Trigger(case.trigger).label
            notify(
                Message(
                    "case.due",
                    f"{partner.name}：{label}已过到期日 {case.due_on}",
                    f"{partner.name}: the {case.trigger.replace('_', ' ')} case was due "
                    f"{case.due_on}",
                    "请推进处置步骤或写明结论关闭事件（R-CRIS-6）。",
                    "Work its steps or close it with its outcome (R-CRIS-6).",
                    reverse("console:partner_cases", kwargs={"code": partner.code})
                    + f"#case-{case.pk}",
                    data={
                        "case_id": case.pk,
                        "partner_code": partner.code,
                        "trigger": case.trigger,
                        "due_on": case.due_on.isoformat(),
                    },
                ),
                [case.owner] if case.owner is not None else staff_with(Role.OFFICER),
            )
            told += 1
    return told
