"""Rebuilding the ledger from the recorded events (台账重建): ``huoban ledger rebuild``.

Replays every project's payments, refunds, acceptance and cancellation through the same pure
rules and the same entry builder as the live path (:func:`ledger.outcome_values`) and appends
each entry whose event key the partner's chain does not have yet (R-LED-2). On a complete
ledger it writes nothing; after an import, a restore of projects without their ledger, or a
crash, it writes exactly what is missing.

It streams: projects are read in primary-key chunks (keyset pagination) with their payments
and the event keys already in the ledger for that chunk, so memory is bounded by the chunk,
not the table. Each chunk is one transaction that locks the chain heads it extends, appends the
entries in bulk, moves the heads and records one audit event; a run killed in the middle leaves
whole chunks, and the next run continues where the ledger stops (nothing missing, nothing
doubled — ``tests/commissions/test_rebuild.py`` kills one to prove it).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min

from huoban import calendar, clock, explain
from huoban.accounts.models import User
from huoban.audit.chain import canonical, chain_hash
from huoban.audit.services import record
from huoban.bulk import db_datetime, insert_rows
from huoban.partners.models import Partner
from huoban.projects.models import CustomerPayment, Project
from huoban.terms import rules
from huoban.terms.models import PolicyVersion

from .ledger import (
    EntryValues,
    PaymentRow,
    events_of,
    ledger_key_of,
    lock_heads,
    outcome_values,
    override_line,
)
from .models import EntryStatus, LedgerEntry, entry_payload

__all__ = ["RebuildReport", "rebuild_ledger"]

CHUNK = 5000
COLUMNS = [
    "partner_id", "kind", "project_id", "payment_id", "basis", "rate", "amount", "earned_on",
    "due_on", "due_estimated", "policy_version_id", "explanation", "event_key", "reason",
    "reverses_id", "created_at", "prev_hash", "hash", "status", "effective",
]  # fmt: skip


@dataclass
class RebuildReport:
    projects: int = 0
    events: int = 0  # payments and refunds read
    entries: int = 0  # appended by this run
    existing: int = 0  # already in the ledger, skipped
    chunks: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"ledger rebuild: {self.projects} projects, {self.events} payments, "
            f"{self.entries} entries appended, {self.existing} already there, "
            f"{self.chunks} chunks in {self.seconds:.1f} s"
        )


@dataclass(frozen=True)
class _PartnerInfo:
    code: str
    referrer_id: int | None
    exit: rules.PartnerExit | None


class _Due:
    """Due dates by (days, date), computed once each: the calendar does not change mid-run."""

    def __init__(self) -> None:
        self.cache: dict[tuple[int, dt.date], tuple[dt.date, bool, explain.Step]] = {}

    def __call__(self, policy: rules.Policy, day: dt.date) -> tuple[dt.date, bool, explain.Step]:
        key = (policy.payout_business_days, day)
        hit = self.cache.get(key)
        if hit is None:
            found = calendar.add_business_days(day, policy.payout_business_days)
            due_on, estimated = found.date, found.estimated
            note = calendar.explain(found)
            step = rules.due_step(
                day, due_on, days=policy.payout_business_days, estimated_note=note
            )
            hit = self.cache[key] = (due_on, estimated, step)
        return hit


def _partners() -> dict[int, _PartnerInfo]:
    """Every partner's code, recruiter and exit: one row per partner, not per project."""
    out: dict[int, _PartnerInfo] = {}
    rows = Partner.objects.values_list("pk", "code", "referrer_id", "exited_on", "exit_kind")
    for pk, code, referrer_id, exited_on, exit_kind in rows.iterator(chunk_size=5000):
        exit_ = (
            rules.PartnerExit(date=exited_on, kind=exit_kind) if exited_on and exit_kind else None
        )
        out[pk] = _PartnerInfo(code, referrer_id, exit_)
    return out


def _chunks(size: int) -> Iterator[list[tuple[Any, ...]]]:
    last = 0
    fields = (
        "pk", "partner_id", "policy_version_id", "rate", "contract_amount", "accepted_seq",
        "accepted_on", "cancelled_seq", "cancelled_on",
    )  # fmt: skip
    while True:
        rows = list(Project.objects.filter(pk__gt=last).order_by("pk").values_list(*fields)[:size])
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _payments(first: int, last: int) -> dict[int, list[PaymentRow]]:
    by_project: dict[int, list[PaymentRow]] = defaultdict(list)
    rows = (
        CustomerPayment.objects.filter(project_id__gte=first, project_id__lte=last)
        .order_by("project_id", "seq")
        .values_list("project_id", "pk", "kind", "amount", "received_on", "refund_of_id", "seq")
    )
    for project_id, *rest in rows:
        by_project[project_id].append(tuple(rest))  # type: ignore[arg-type]
    return by_project


def _event_days() -> tuple[dt.date, dt.date] | None:
    """The first and last day any project event happened on."""
    pays = CustomerPayment.objects.aggregate(lo=Min("received_on"), hi=Max("received_on"))
    ends = Project.objects.aggregate(
        a=Min("accepted_on"), b=Max("accepted_on"), c=Min("cancelled_on"), d=Max("cancelled_on")
    )
    days = [d for d in (pays["lo"], pays["hi"], *ends.values()) if d is not None]
    return (min(days), max(days)) if days else None


# --- computing a chunk (pure: no database, so it may run in a worker process) -----------------


_Candidate = tuple[int, str, tuple[Any, ...], bytes]
"""An entry a chunk's events earn, hashed but for its place in the chain: (partner id, event
key, the values of COLUMNS up to created_at, the canonical JSON of its hashed fields). A plain
tuple: thousands cross from the workers per chunk, and tuples pickle fastest."""


@dataclass
class _Context:
    partners: dict[int, _PartnerInfo]
    policies: dict[int, rules.Policy]
    due: _Due


_CONTEXT: _Context | None = None  # set before the worker processes fork


def _compute(
    projects: list[tuple[Any, ...]],
    payments: dict[int, list[PaymentRow]],
    created_at: dt.datetime,
    created: str,
) -> tuple[list[_Candidate], int]:
    """Every entry the chunk's events earn (whether or not the ledger has it), and the number
    of payments read. Reads nothing from the database."""
    context = _CONTEXT
    assert context is not None
    partners, due = context.partners, context.due
    out: list[_Candidate] = []
    read = 0

    def candidate(partner_id: int, project_id: int, policy_id: int, values: EntryValues) -> None:
        payload = entry_payload(
            partner_id=partner_id,
            project_id=project_id,
            payment_id=values.payment_id,
            policy_version_id=policy_id,
            reason="",
            reverses_id=None,
            created_at=created_at,
            **values.hashed(),
        )
        row = (
            partner_id, values.kind, project_id, values.payment_id, str(values.basis),
            str(values.rate), str(values.amount), values.earned_on.isoformat(),
            values.due_on.isoformat(), values.due_estimated, policy_id, values.explanation,
            values.event_key, "", None, created,
        )  # fmt: skip
        out.append((partner_id, values.event_key, row, canonical(payload)))

    for (
        pk, partner_id, policy_id, rate, amount, accepted_seq, accepted_on, cancelled_seq,
        cancelled_on,
    ) in projects:  # fmt: skip
        rows = payments.get(pk, [])
        read += len(rows)
        events = events_of(
            rows,
            accepted_seq=accepted_seq,
            accepted_on=accepted_on,
            cancelled_seq=cancelled_seq,
            cancelled_on=cancelled_on,
        )
        if not events:
            continue
        policy = context.policies[policy_id]
        info = partners[partner_id]
        for outcome in rules.project_outcomes(
            policy, rate=rate, amount=amount, events=events, partner_exit=info.exit
        ):
            if outcome.entry is None:  # nothing to write: skip building its text
                continue
            values, _ = outcome_values(policy, outcome, f"project:{pk}", "", due)
            assert values is not None
            candidate(partner_id, pk, policy_id, values)
        if info.referrer_id is not None:
            recruiter = partners[info.referrer_id]
            line = override_line(info.code, pk)
            for outcome in rules.override_outcomes(
                policy, amount=amount, events=events, partner_exit=recruiter.exit
            ):
                if outcome.entry is None:
                    continue
                values, _ = outcome_values(policy, outcome, f"override:{pk}", line, due)
                assert values is not None
                candidate(info.referrer_id, pk, policy_id, values)
    return out, read


def _compute_job(job: tuple[Any, ...]) -> tuple[list[_Candidate], int]:
    return _compute(*job)


# --- the run ---------------------------------------------------------------------------------


def default_workers() -> int:
    """Worker processes for the replay: one per core beyond the first, at most 3.

    None inside an open transaction (a test, or a caller's atomic block): forking there is
    safe for the database (the workers never touch it) but pointless for such small runs.
    """
    if connection.in_atomic_block:
        return 0
    cores = os.cpu_count() or 1
    return min(3, cores) if cores > 1 else 0


def rebuild_ledger(
    *,
    actor: User | None = None,
    chunk_size: int = CHUNK,
    workers: int | None = None,
    progress: Callable[[RebuildReport], None] | None = None,
) -> RebuildReport:
    """Append every entry the recorded project events earn and the ledger lacks (R-LED-2/4/5).

    With ``workers`` > 1 the rules run in that many forked processes while this one reads the
    next chunk and writes the previous one; the chains are still extended here, in project
    order, so the ledger written is the same whatever the number of workers.
    """
    global _CONTEXT
    started = time.perf_counter()
    report = RebuildReport()
    due = _Due()
    policies = {row.pk: row.to_policy() for row in PolicyVersion.objects.all()}
    span = _event_days()
    if span is not None:  # every due date the run can need, before any process forks
        day = span[0]
        while day <= span[1]:
            for policy in policies.values():
                due(policy, day)
            day += dt.timedelta(days=1)
    _CONTEXT = _Context(_partners(), policies, due)
    workers = default_workers() if workers is None else workers
    if connection.vendor == "sqlite":
        # The run inserts into a dozen indexes of the largest table: keep their pages in a
        # 256 MB page cache rather than reading each from the OS with a system call (sys time
        # 19 s -> 5 s at N=1). Per connection; it only changes how pages are cached.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
    pool = mp.get_context("fork").Pool(workers) if workers > 1 else None
    pending: deque[tuple[list[tuple[Any, ...]], Any]] = deque()

    def finish_oldest() -> None:
        projects, result = pending.popleft()
        candidates, read = result.get() if pool is not None else result
        report.projects += len(projects)
        report.events += read
        with transaction.atomic():
            _commit(projects, candidates, report, actor)
        report.chunks += 1
        if progress is not None:
            progress(report)

    try:
        for projects in _chunks(chunk_size):
            payments = _payments(projects[0][0], projects[-1][0])
            now = clock.now()
            job = (projects, payments, now, db_datetime(now))
            if pool is not None:
                pending.append((projects, pool.apply_async(_compute_job, (job,))))
            else:
                pending.append((projects, _compute(*job)))
            # Keep at most one chunk per worker in flight (and one being written).
            while len(pending) > max(1, workers):
                finish_oldest()
        while pending:
            finish_oldest()
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        _CONTEXT = None
    report.seconds = time.perf_counter() - started
    return report


def _commit(
    projects: list[tuple[Any, ...]],
    candidates: list[_Candidate],
    report: RebuildReport,
    actor: User | None,
) -> None:
    """Append the chunk's candidates the ledger lacks, extending each partner's chain."""
    context = _CONTEXT
    assert context is not None
    if not candidates:
        return
    first, last = projects[0][0], projects[-1][0]
    codes = {pid: context.partners[pid].code for pid in {c[0] for c in candidates}}
    heads: dict[str, list[Any]] = {
        h.key: [h.head_hash, h.length]
        for h in lock_heads(sorted(ledger_key_of(code) for code in codes.values()))
    }
    # Read under the head locks, as the live path checks its event key (R-LED-2).
    existing = set(
        LedgerEntry.objects.filter(project_id__gte=first, project_id__lte=last).values_list(
            "partner_id", "event_key"
        )
    )
    rows: list[tuple[Any, ...]] = []
    for c in candidates:
        partner_id, event_key, row, payload = c
        if (partner_id, event_key) in existing:
            report.existing += 1
            continue
        existing.add((partner_id, event_key))
        head = heads[ledger_key_of(codes[partner_id])]
        digest = chain_hash(head[0], payload)
        rows.append((*row, head[0], digest, EntryStatus.PENDING.value, True))
        head[0] = digest
        head[1] += 1
    if not rows:
        return
    insert_rows(LedgerEntry, COLUMNS, rows)
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE audit_chainhead SET head_hash = %s, length = %s WHERE key = %s",
            [(h, n, key) for key, (h, n) in heads.items()],
        )
    report.entries += len(rows)
    record(
        actor,
        "ledger.rebuild",
        None,
        object_type="commissions.ledgerentry",
        object_id=f"projects {first}–{last}",
        after={"projects": [first, last], "entries": len(rows)},
    )
