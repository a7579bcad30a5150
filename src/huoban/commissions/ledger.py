"""The commission ledger (佣金台账): entries, per-partner hash chains, approvals and payouts.

Entries are built by replaying a project's recorded events through the pure rules
(:func:`rules.project_outcomes`, :func:`rules.override_outcomes`) and appending only those
whose event key is new for the partner, so recording or replaying an event twice creates
nothing (R-LED-2). Every append locks the partner's chain head (``ledger:<code>``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal
from itertools import groupby
from operator import attrgetter
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum

from huoban import calendar, clock, explain, hooks
from huoban.access import require_role
from huoban.accounts.models import Role, User
from huoban.audit.chain import GENESIS, ChainRow, Verification, link_hash, verify
from huoban.audit.models import AuditEvent, ChainHead
from huoban.audit.services import advance_chain, commit_head, record
from huoban.errors import Conflict, NotFound, ValidationFailed
from huoban.money import ZERO, cny
from huoban.partners.models import Partner
from huoban.projects.models import CustomerPayment, Project
from huoban.terms import rules
from huoban.terms.models import PolicyVersion
from huoban.terms.services import policy_for

from . import notices
from .models import EntryKind, EntryStatus, LedgerEntry, Payout

__all__ = [
    "LedgerVerification",
    "approve_entry",
    "create_payout",
    "ledger_key",
    "propose_adjustment",
    "record_project_events",
    "totals",
    "verify_ledger",
]


def ledger_key(partner: Partner) -> str:
    return ledger_key_of(partner.code)


def ledger_key_of(code: str) -> str:
    """The chain head key of a partner's ledger (``ledger:<code>``)."""
    return f"ledger:{code}"


def lock_heads(keys: list[str]) -> list[ChainHead]:
    """Lock many chain heads at once (creating missing ones at genesis), in key order so two
    jobs locking overlapping sets cannot deadlock; for the bulk jobs (rebuild, settlement)."""
    have = set(ChainHead.objects.filter(key__in=keys).values_list("key", flat=True))
    missing = [ChainHead(key=k, head_hash=GENESIS, length=0) for k in keys if k not in have]
    if missing:
        ChainHead.objects.bulk_create(missing, ignore_conflicts=True)
    return list(ChainHead.objects.select_for_update().filter(key__in=keys).order_by("key"))


def _due(policy: rules.Policy, event_date: dt.date) -> tuple[dt.date, bool, explain.Step]:
    """Due date of an entry earned on ``event_date`` and its explanation step (R-LED-4, R-CAL)."""
    seen: list[calendar.BusinessDate] = []

    def business_days(day: dt.date, n: int) -> calendar.BusinessDate:
        result = calendar.add_business_days(day, n)
        seen.append(result)
        return result

    days = policy.payout_business_days
    due_on, estimated = rules.due_date(event_date, business_days, days=days)
    note = calendar.explain(seen[-1]) if seen else ""
    return due_on, estimated, rules.due_step(event_date, due_on, days=days, estimated_note=note)


def _append(
    partner: Partner,
    *,
    kind: str,
    basis: Decimal,
    rate: Decimal,
    amount: Decimal,
    earned_on: dt.date,
    due_on: dt.date,
    due_estimated: bool,
    policy_version: PolicyVersion,
    explanation: str,
    event_key: str,
    project: Project | None = None,
    payment: CustomerPayment | None = None,
    reason: str = "",
    reverses: LedgerEntry | None = None,
    effective: bool = True,
) -> LedgerEntry | None:
    """Append one entry to the partner's chain, or None if its event is already recorded."""
    head, prev = advance_chain(ledger_key(partner))
    # Checked under the chain lock; the unique (partner, event_key) constraint backs it.
    if LedgerEntry.objects.filter(partner=partner, event_key=event_key).exists():
        return None
    entry = LedgerEntry(
        partner=partner,
        kind=kind,
        project=project,
        payment=payment,
        basis=cny(basis),
        rate=rate,
        amount=cny(amount),
        earned_on=earned_on,
        due_on=due_on,
        due_estimated=due_estimated,
        policy_version=policy_version,
        explanation=explanation,
        event_key=event_key,
        reason=reason,
        reverses=reverses,
        created_at=clock.now(),
        prev_hash=prev,
        status=EntryStatus.PENDING,
        effective=effective,
    )
    entry.hash = link_hash(prev, entry.chain_payload())
    entry.save()
    commit_head(head, entry.hash)
    notices.entry_booked(entry)
    return entry


def append_event_entry(
    partner: Partner,
    *,
    kind: str,
    project: Project | None,
    policy_version: PolicyVersion,
    event_date: dt.date,
    basis: Decimal,
    rate: Decimal,
    amount: Decimal,
    steps: list[explain.Step],
    event_key: str,
) -> LedgerEntry | None:
    """Append the entry of a business event other than a project's payments (liquidated
    damages, R-VIOL-1): due ``payout_business_days`` after ``event_date`` (R-LED-4), its
    explanation ``steps`` plus the due-date step. None if the event is already in the chain.

    The ledger's one public door for other layers (issue #11): they never call ``_append``."""
    due_on, estimated, due_step = _due(policy_version.to_policy(), event_date)
    return _append(
        partner,
        kind=kind,
        project=project,
        basis=basis,
        rate=rate,
        amount=amount,
        earned_on=event_date,
        due_on=due_on,
        due_estimated=estimated,
        policy_version=policy_version,
        explanation=explain.explanation_text([*steps, due_step]),
        event_key=event_key,
    )


def append_entry(
    partner: Partner,
    *,
    kind: str,
    project: Project | None,
    payment: CustomerPayment | None,
    policy_version: PolicyVersion,
    basis: Decimal,
    rate: Decimal,
    amount: Decimal,
    earned_on: dt.date,
    due_on: dt.date,
    due_estimated: bool,
    explanation: str,
    event_key: str,
) -> LedgerEntry | None:
    """Append an entry another layer computed in full — amount, due date and explanation — to
    the partner's chain: the revenue share of a co-delivered project (R-RS-2). None if the
    event is already in the chain, so a replay writes nothing.

    The ledger's second public door (issue #11): other layers never call ``_append``."""
    return _append(
        partner,
        kind=kind,
        project=project,
        payment=payment,
        policy_version=policy_version,
        basis=basis,
        rate=rate,
        amount=amount,
        earned_on=earned_on,
        due_on=due_on,
        due_estimated=due_estimated,
        explanation=explanation,
        event_key=event_key,
    )


# --- project events (R-LED-4, R-LED-5, R-LED-7) ----------------------------------------------


PaymentRow = tuple[int, str, Decimal, dt.date, int | None, int]
"""(id, kind, amount, received_on, refund_of_id, seq) of a customer payment or refund."""


def events_of(
    payments: Iterable[PaymentRow],
    *,
    accepted_seq: int | None,
    accepted_on: dt.date | None,
    cancelled_seq: int | None,
    cancelled_on: dt.date | None,
) -> list[rules.ProjectEvent]:
    """A project's payments, refunds, acceptance and cancellation in recorded order."""
    numbered: list[tuple[int, rules.ProjectEvent]] = []
    for pk, kind, amount, received_on, refund_of_id, seq in payments:
        if kind == "refund":
            event: rules.ProjectEvent = rules.Refund(
                key=f"refund:{pk}",
                date=received_on,
                amount=amount,
                refund_of=f"payment:{refund_of_id}",
            )
        else:
            event = rules.Payment(key=f"payment:{pk}", date=received_on, amount=amount)
        numbered.append((seq, event))
    if accepted_seq is not None and accepted_on is not None:
        numbered.append((accepted_seq, rules.Acceptance(key="acceptance", date=accepted_on)))
    if cancelled_seq is not None and cancelled_on is not None:
        numbered.append((cancelled_seq, rules.Cancellation(key="cancellation", date=cancelled_on)))
    numbered.sort(key=lambda pair: pair[0])
    return [event for _, event in numbered]


def project_events(project: Project) -> list[rules.ProjectEvent]:
    """The project's payments, refunds, acceptance and cancellation in recorded order."""
    rows = project.payments.order_by("seq").values_list(
        "pk", "kind", "amount", "received_on", "refund_of_id", "seq"
    )
    return events_of(
        rows,
        accepted_seq=project.accepted_seq,
        accepted_on=project.accepted_on,
        cancelled_seq=project.cancelled_seq,
        cancelled_on=project.cancelled_on,
    )


def _exit_of(partner: Partner) -> rules.PartnerExit | None:
    if partner.exited_on is None or not partner.exit_kind:
        return None
    return rules.PartnerExit(date=partner.exited_on, kind=partner.exit_kind)


def payment_id_of(event_key: str) -> int | None:
    """The customer payment an event key names (``payment:<id>``, ``refund:<id>``), if any."""
    kind, _, pk = event_key.partition(":")
    if kind in ("payment", "refund") and pk.isdigit():
        return int(pk)
    return None


@dataclass(frozen=True)
class Outcome:
    """What one event did for one partner: the entry written (or None) and why."""

    partner_code: str
    kind: str
    event_key: str
    entry: LedgerEntry | None
    explanation: str


def connect_hooks() -> None:
    """Answer the projects' hook (:data:`huoban.hooks.project_events_changed`); idempotent."""
    hooks.project_events_changed.connect(
        _project_events_changed, dispatch_uid="ledger.project_events_changed", weak=False
    )


def _project_events_changed(sender: Any, *, project: Project, **kwargs: Any) -> list[Outcome]:
    return record_project_events(project)


def earned_on_project(project: Project) -> Decimal:
    """What the project's partner has been credited on it (entries that count; no override)."""
    total = (
        LedgerEntry.objects.filter(project=project, partner_id=project.partner_id, effective=True)
        .exclude(kind=EntryKind.OVERRIDE)
        .aggregate(s=Sum("amount"))["s"]
    )
    return cny(total or ZERO)


def record_project_events(project: Project) -> list[Outcome]:
    """Append the entries the project's events earn and that are not yet in the ledger.

    Called inside the caller's transaction with the project row locked (R-LED-4, R-LED-5).
    Returns the outcome of every event of the replay (with or without a new entry).
    """
    policy_row: PolicyVersion = project.policy_version
    policy = policy_row.to_policy()
    events = project_events(project)
    partner: Partner = project.partner
    results: list[Outcome] = []
    outcomes = rules.project_outcomes(
        policy,
        rate=project.rate,
        amount=project.contract_amount,
        events=events,
        partner_exit=_exit_of(partner),
    )
    for outcome in outcomes:
        results.append(
            _write(project, partner, policy_row, policy, outcome, f"project:{project.pk}", "")
        )
    recruiter = partner.referrer
    if recruiter is not None:
        for outcome in rules.override_outcomes(
            policy,
            amount=project.contract_amount,
            events=events,
            partner_exit=_exit_of(recruiter),
        ):
            results.append(
                _write(
                    project,
                    recruiter,
                    policy_row,
                    policy,
                    outcome,
                    f"override:{project.pk}",
                    override_line(partner.code, project.pk),
                )
            )
    return results


@dataclass(frozen=True)
class EntryValues:
    """The hashed values of a project or override entry, before its chain position."""

    kind: str
    payment_id: int | None
    basis: Decimal
    rate: Decimal
    amount: Decimal
    earned_on: dt.date
    due_on: dt.date
    due_estimated: bool
    explanation: str
    event_key: str

    def hashed(self) -> dict[str, Any]:
        """The fields shared by :func:`_append`'s keywords and :func:`entry_payload`'s."""
        fields = asdict(self)
        del fields["payment_id"]
        return fields


DueFunction = Callable[[rules.Policy, dt.date], tuple[dt.date, bool, explain.Step]]


def outcome_values(
    policy: rules.Policy,
    outcome: rules.EventOutcome,
    prefix: str,
    lead_line: str,
    due: DueFunction = _due,
) -> tuple[EntryValues | None, str]:
    """What one event outcome writes (or None) and the explanation, for one partner's chain.

    Shared by the live path (:func:`record_project_events`) and the bulk rebuild
    (:mod:`huoban.commissions.rebuild`), so both write the same entry for the same event.
    """
    steps = list(outcome.explanation)
    if lead_line:
        zh, _, en = lead_line.partition(" / ")
        steps.insert(0, explain.Step(zh, en))
    result = outcome.entry
    if result is None:
        return None, explain.explanation_text(steps)
    due_on, estimated, due_step = due(policy, result.earned_on)
    text = explain.explanation_text([*steps, due_step])
    values = EntryValues(
        kind=result.kind,
        payment_id=payment_id_of(result.event_key),
        basis=cny(result.basis),
        rate=result.rate,
        amount=cny(result.amount),
        earned_on=result.earned_on,
        due_on=due_on,
        due_estimated=estimated,
        explanation=text,
        event_key=f"{prefix}:{result.event_key}",
    )
    return values, text


def override_line(partner_code: str, project_id: int) -> str:
    """The first explanation line of a recruiter's override entry (R-LED-5)."""
    return (
        f"推荐伙伴 {partner_code} 的项目 #{project_id} / "
        f"project #{project_id} of recruited partner {partner_code}"
    )


def _write(
    project: Project,
    partner: Partner,
    policy_row: PolicyVersion,
    policy: rules.Policy,
    outcome: rules.EventOutcome,
    prefix: str,
    lead_line: str,
) -> Outcome:
    values, text = outcome_values(policy, outcome, prefix, lead_line)
    if values is None:
        return Outcome(partner.code, "", outcome.event_key, None, text)
    payment = None
    if values.payment_id is not None:
        payment = project.payments.filter(pk=values.payment_id).first()
    entry = _append(
        partner, project=project, payment=payment, policy_version=policy_row, **values.hashed()
    )
    return Outcome(partner.code, values.kind, outcome.event_key, entry, text)


# --- totals ----------------------------------------------------------------------------------


def totals(entries: Any) -> dict[str, Decimal]:
    """earned (entries that count), paid, outstanding = earned − paid."""
    # One pass over the entries: a big partner has tens of thousands.
    sums = entries.filter(effective=True).aggregate(
        earned=Sum("amount"), paid=Sum("amount", filter=Q(status=EntryStatus.PAID))
    )
    earned = sums["earned"] or ZERO
    paid = sums["paid"] or ZERO
    return {"earned": cny(earned), "paid": cny(paid), "outstanding": cny(earned - paid)}


def chain_head(partner: Partner) -> str:

    head = ChainHead.objects.filter(key=ledger_key(partner)).first()
    return head.head_hash if head is not None else GENESIS


# --- verification (R-LED-3) ------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerVerification:
    partner_code: str
    result: Verification


WORKFLOW_TAMPERED = (
    "工作流字段（状态、审批、付款）与审计记录不符 / The workflow columns (status, approvals, "
    "payout) differ from the audited approvals and payouts"
)


@dataclass
class AuditedWorkflow:
    """What the audited approvals and payouts left in the ledger's workflow columns.

    The hash covers what an entry *is*; its workflow columns (status, effective, the approvals,
    the payout) move later, and each move is an audit event with the entry's whole workflow
    state after it (``ledger.approve``) or the payout's entries (``ledger.payout``). Replaying
    those hash-chained events gives the columns an untampered database must hold (issue #10).
    """

    entries: dict[int, dict[str, Any]]
    payouts: dict[int, dict[str, Any]]

    @classmethod
    def replay(cls) -> AuditedWorkflow:
        entries: dict[int, dict[str, Any]] = {}
        payouts: dict[int, dict[str, Any]] = {}
        events = (
            AuditEvent.objects.filter(action__in=("ledger.approve", "ledger.payout"))
            .order_by("id")
            .values_list("action", "object_id", "after")
        )
        for action, object_id, after in events.iterator(chunk_size=5000):
            after = after or {}
            if action == "ledger.approve":
                entries[int(object_id)] = {k: after.get(k) for k in _WORKFLOW_KEYS}
            else:
                payouts[int(object_id)] = after
                for entry_id in after.get("entries", []):
                    state = entries.setdefault(int(entry_id), {})
                    state.update(status=EntryStatus.PAID, payout=int(object_id))
        return cls(entries, payouts)

    def expected(self, entry: LedgerEntry) -> dict[str, Any]:
        state = {
            "status": EntryStatus.PENDING,
            "effective": entry.kind != EntryKind.ADJUSTMENT,
            "effective_on": None,
            "finance_approved_by": None,
            "admin_approved_by": None,
            "payout": None,
        }
        state.update(self.entries.get(entry.pk, {}))
        return state

    def payout_differs(self, payout: Payout, entry_ids: set[int]) -> bool:
        audited = self.payouts.get(payout.pk)
        if audited is None:
            return True
        checks = [
            Decimal(str(audited.get("total"))) == payout.total,
            {int(i) for i in audited.get("entries", [])} == entry_ids,
        ]
        if "bank_reference" in audited:  # written since issue #10
            checks.append(audited["bank_reference"] == payout.bank_reference)
            checks.append(audited["paid_on"] == payout.paid_on.isoformat())
            checks.append(audited["partner"] == payout.partner_id)
        return not all(checks)


_WORKFLOW_KEYS = (
    "status",
    "effective",
    "effective_on",
    "finance_approved_by",
    "admin_approved_by",
    "payout",
)


def verify_ledger(partner: Partner | None = None) -> list[LedgerVerification]:
    """Verify each partner's chain (or one); a head row that disagrees means rows were removed;
    workflow columns and payouts that disagree with the audited approvals and payouts mean they
    were changed behind the services.

    All chains are read in one ordered pass over the entries and one query for the heads, so
    the cost does not grow by queries with the number of partners.
    """

    entries = LedgerEntry.objects.order_by("partner_id", "id")
    heads = ChainHead.objects.filter(key__startswith="ledger:")
    payout_rows = Payout.objects.order_by("id")
    if partner is not None:
        entries = entries.filter(partner=partner)
        heads = heads.filter(key=ledger_key(partner))
        payout_rows = payout_rows.filter(partner=partner)
        codes = {partner.pk: partner.code}
    else:
        codes = dict(Partner.objects.values_list("pk", "code"))
    stored = {
        key.removeprefix("ledger:"): value for key, value in heads.values_list("key", "head_hash")
    }
    audited = AuditedWorkflow.replay()
    tampered: dict[str, int] = {}  # partner code → first entry whose workflow differs
    paid: dict[int, set[int]] = {}  # payout id → its entries

    def rows(code: str, group: Iterable[LedgerEntry]) -> Iterable[ChainRow]:
        for e in group:
            if code not in tampered and _entry_snapshot(e) != audited.expected(e):
                tampered[code] = e.pk
            if e.payout_id is not None:
                paid.setdefault(e.payout_id, set()).add(e.pk)
            yield ChainRow(e.pk, e.prev_hash, e.hash, e.chain_payload())

    results: dict[str, Verification] = {}
    for partner_id, group in groupby(
        entries.iterator(chunk_size=2000), key=attrgetter("partner_id")
    ):
        code = codes[partner_id]
        results[code] = verify(rows(code, group))
    # A head without entries (all rows deleted) still has to be checked against genesis.
    for code in stored:
        results.setdefault(code, verify([]))
    if partner is not None:
        results.setdefault(partner.code, verify([]))
    bad_payouts: dict[str, int] = {}
    for payout in payout_rows.iterator(chunk_size=2000):
        code = codes.get(payout.partner_id, "")
        if code not in bad_payouts and audited.payout_differs(payout, paid.get(payout.pk, set())):
            bad_payouts[code] = payout.pk
    out = []
    for code in sorted(results):
        result = results[code]
        if result.ok and stored.get(code, GENESIS) != result.head:
            result = Verification(
                False, result.checked, result.head, None, "chain head does not match the entries"
            )
        elif result.ok and code in tampered:
            result = Verification(
                False, result.checked, result.head, tampered[code], WORKFLOW_TAMPERED
            )
        elif result.ok and code in bad_payouts:
            result = Verification(
                False,
                result.checked,
                result.head,
                None,
                f"付款 #{bad_payouts[code]} 与审计记录不符 / Payout #{bad_payouts[code]} "
                "differs from its audited record",
            )
        out.append(LedgerVerification(code, result))
    return out


def combined_head(results: list[LedgerVerification]) -> str:
    """One digest over every partner's head, for a verification of all chains."""
    text = "\n".join(f"{r.partner_code}:{r.result.head}" for r in results)
    return hashlib.sha256(text.encode()).hexdigest()


# --- approvals, adjustments and payouts (R-LED-2, R-LED-8) -----------------------------------


def _entry_snapshot(entry: LedgerEntry) -> dict[str, Any]:
    return {
        "status": entry.status,
        "effective": entry.effective,
        "effective_on": entry.effective_on.isoformat() if entry.effective_on else None,
        "finance_approved_by": entry.finance_approved_by_id,
        "admin_approved_by": entry.admin_approved_by_id,
        "payout": entry.payout_id,
    }


@transaction.atomic(durable=True)
def approve_entry(entry_id: int, *, actor: User) -> LedgerEntry:
    """Approve a pending entry (finance); an adjustment needs finance and admin (R-LED-2)."""
    require_role(actor, Role.FINANCE, Role.ADMIN)
    entry = LedgerEntry.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None:
        raise NotFound("台账条目不存在 / No such ledger entry.")
    before = _entry_snapshot(entry)
    if entry.status != EntryStatus.PENDING:
        return entry
    if entry.kind == EntryKind.ADJUSTMENT:
        if actor.role == Role.FINANCE:
            if entry.admin_approved_by_id == actor.pk:
                raise Conflict("同一人不能两次审批 / The same person cannot approve twice.")
            entry.set_workflow(finance_approved_by=actor)
        else:
            if entry.finance_approved_by_id == actor.pk:
                raise Conflict("同一人不能两次审批 / The same person cannot approve twice.")
            entry.set_workflow(admin_approved_by=actor)
        if entry.finance_approved_by_id and entry.admin_approved_by_id:
            entry.set_workflow(
                status=EntryStatus.APPROVED, effective=True, effective_on=clock.today()
            )
    else:
        require_role(actor, Role.FINANCE)
        entry.set_workflow(status=EntryStatus.APPROVED)
    record(actor, "ledger.approve", entry, before=before, after=_entry_snapshot(entry))
    return entry


@dataclass(frozen=True)
class AdjustmentCheck:
    """What a proposed adjustment would book (the console's preview before it is sent)."""

    partner: Partner
    amount: Decimal
    reason: str
    reverses: LedgerEntry | None


def check_adjustment(
    partner: Partner,
    *,
    actor: User,
    reason: str,
    amount: Decimal | None = None,
    reverses_id: int | None = None,
) -> AdjustmentCheck:
    """Validate a reversing or adjusting entry without writing anything: the amount it would
    book (a reversal without an amount takes the reversed entry's, negated), or the field
    errors :func:`propose_adjustment` would raise."""
    require_role(actor, Role.FINANCE, Role.ADMIN)
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = "必须说明原因 / A reason is required."
    reverses = None
    if reverses_id is not None:
        reverses = (
            LedgerEntry.objects.select_related("project")
            .filter(pk=reverses_id, partner=partner)
            .first()
        )
        if reverses is None:
            errors["reverses"] = "该伙伴没有此台账条目 / No such entry for this partner."
        elif amount is None:
            amount = -reverses.amount
    if amount is None:
        errors.setdefault("amount", "必填 / This field is required.")
    elif amount == 0 or cny(amount) != amount:
        errors["amount"] = "应为非零金额，最多两位小数 / A non-zero amount, two decimals at most."
    if errors:
        raise ValidationFailed(errors)
    assert amount is not None
    return AdjustmentCheck(partner, amount, reason.strip(), reverses)


@transaction.atomic(durable=True)
def propose_adjustment(
    partner: Partner,
    *,
    actor: User,
    reason: str,
    amount: Decimal | None = None,
    reverses_id: int | None = None,
    project: Project | None = None,
) -> LedgerEntry:
    """A reversing or adjusting entry with a reason; it counts once finance and admin approve
    it (R-LED-2)."""
    checked = check_adjustment(
        partner, actor=actor, reason=reason, amount=amount, reverses_id=reverses_id
    )
    amount, reverses = checked.amount, checked.reverses
    today = clock.today()

    policy_row = reverses.policy_version if reverses is not None else policy_for(today, partner)
    policy = policy_row.to_policy()
    due_on, estimated, due_step = _due(policy, today)
    steps = [
        explain.Step(f"调整原因：{reason.strip()}", f"reason: {reason.strip()}"),
        explain.Step(
            f"调整金额 {explain.yuan(amount)}（需财务与管理员双人审批后生效）",
            f"adjustment {explain.yuan(amount)} (counts once finance and admin approve)",
        ),
    ]
    if reverses is not None:
        steps.insert(
            0,
            explain.Step(
                f"冲销条目 #{reverses.pk}（{explain.yuan(reverses.amount)}）",
                f"reverses entry #{reverses.pk} ({explain.yuan(reverses.amount)})",
            ),
        )
    entry = _append(
        partner,
        kind=EntryKind.ADJUSTMENT,
        project=project if project is not None else (reverses.project if reverses else None),
        basis=amount,
        rate=Decimal("1"),
        amount=amount,
        earned_on=today,
        due_on=due_on,
        due_estimated=estimated,
        policy_version=policy_row,
        explanation=explain.explanation_text([*steps, due_step]),
        event_key=f"adjustment:{uuid.uuid4().hex}",
        reason=reason.strip(),
        reverses=reverses,
        effective=False,
    )
    assert entry is not None
    record(actor, "ledger.adjust", entry, after={"amount": str(entry.amount), "reason": reason})
    return entry


REFERENCE_TAKEN = "银行流水号已用于其他付款 / This bank reference is used by another payout."


def _same_payout(
    existing: Payout, partner: Partner, paid_on: dt.date, entry_ids: list[int]
) -> Payout:
    """The existing payout when it is the same request again (idempotent), else Conflict."""
    same = (
        existing.partner_id == partner.pk
        and existing.paid_on == paid_on
        and set(existing.entries.values_list("id", flat=True)) == set(entry_ids)
    )
    if not same:
        raise Conflict(REFERENCE_TAKEN)
    return existing


@transaction.atomic(durable=True)
def create_payout(
    partner: Partner,
    *,
    actor: User,
    bank_reference: str,
    paid_on: dt.date,
    entry_ids: list[int],
) -> tuple[Payout, bool]:
    """Pay approved entries under one bank reference; they become ``paid``; no fee (R-LED-8).

    The same bank reference with the same entries answers the existing payout (idempotent).
    """
    require_role(actor, Role.FINANCE)
    reference = bank_reference.strip()
    errors: dict[str, str] = {}
    if not reference:
        errors["bank_reference"] = "必填 / This field is required."
    if not entry_ids:
        errors["entry_ids"] = "至少一条 / At least one entry."
    if paid_on > clock.today():
        errors["paid_on"] = "不能晚于今天 / Must not be in the future."
    if errors:
        raise ValidationFailed(errors)
    # Serialise payouts of one partner, then look for the reference: a twin request that got
    # the lock first has committed by now, and its payout is the answer (issue #10 finding 12).
    advance_chain(ledger_key(partner))
    existing = Payout.objects.filter(bank_reference=reference).first()
    if existing is not None:
        return _same_payout(existing, partner, paid_on, entry_ids), False
    entries = list(
        LedgerEntry.objects.select_for_update().filter(pk__in=entry_ids, partner=partner)
    )
    if len(entries) != len(set(entry_ids)):
        raise ValidationFailed({"entry_ids": "含有不属于该伙伴的条目 / Unknown entries."})
    bad = [e.pk for e in entries if e.status != EntryStatus.APPROVED or not e.effective]
    if bad:
        raise ValidationFailed(
            {"entry_ids": f"条目 {bad} 未审批或已支付 / Entries {bad} are not approved or paid."}
        )
    total = cny(sum((e.amount for e in entries), ZERO))
    if total <= 0:
        raise ValidationFailed({"entry_ids": "付款总额须大于 0 / The total must be positive."})
    try:
        with transaction.atomic():  # a savepoint: another partner's payout may take the reference
            payout = Payout.objects.create(
                partner=partner,
                bank_reference=reference,
                paid_on=paid_on,
                total=total,
                created_by=actor,
                created_at=clock.now(),
            )
    except IntegrityError:
        taken = Payout.objects.filter(bank_reference=reference).first()
        if taken is None:
            raise
        return _same_payout(taken, partner, paid_on, entry_ids), False
    for entry in entries:
        entry.set_workflow(status=EntryStatus.PAID, payout=payout)
    record(
        actor,
        "ledger.payout",
        payout,
        after={
            "total": str(total),
            "entries": sorted(e.pk for e in entries),
            "bank_reference": reference,
            "paid_on": paid_on.isoformat(),
            "partner": partner.pk,
        },
    )
    notices.payout_paid(payout, len(entries), actor=actor)
    return payout, True
