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
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from huoban import calendar, clock
from huoban.audit.chain import GENESIS, link_hash
from huoban.audit.models import ChainHead
from huoban.audit.services import record
from huoban.bulk import db_datetime, insert_rows
from huoban.partners.models import Partner
from huoban.projects.models import CustomerPayment, Project

from . import rules
from .ledger import EntryValues, PaymentRow, events_of, outcome_values, override_line
from .models import EntryStatus, LedgerEntry, PolicyVersion, entry_payload

__all__ = ["RebuildReport", "rebuild_ledger"]

CHUNK = 2000
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
        self.cache: dict[tuple[int, dt.date], tuple[dt.date, bool, rules.Step]] = {}

    def __call__(self, policy: rules.Policy, day: dt.date) -> tuple[dt.date, bool, rules.Step]:
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


def rebuild_ledger(
    *,
    actor: Any = None,
    chunk_size: int = CHUNK,
    progress: Callable[[RebuildReport], None] | None = None,
) -> RebuildReport:
    """Append every entry the recorded project events earn and the ledger lacks (R-LED-2/4/5)."""
    started = time.perf_counter()
    report = RebuildReport()
    partners = _partners()
    policies = {row.pk: (row, row.to_policy()) for row in PolicyVersion.objects.all()}
    due = _Due()
    for projects in _chunks(chunk_size):
        with transaction.atomic():
            _rebuild_chunk(projects, partners, policies, due, report, actor)
        report.chunks += 1
        if progress is not None:
            progress(report)
    report.seconds = time.perf_counter() - started
    return report


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


def _lock_heads(keys: list[str]) -> dict[str, list[Any]]:
    """Lock (creating at genesis) the chain heads of ``keys``: key → [head_hash, length]."""
    ChainHead.objects.bulk_create(
        [ChainHead(key=k, head_hash=GENESIS, length=0) for k in keys], ignore_conflicts=True
    )
    rows = ChainHead.objects.select_for_update().filter(key__in=keys).order_by("key")
    return {
        key: [head, length] for key, head, length in rows.values_list("key", "head_hash", "length")
    }


def _rebuild_chunk(
    projects: list[tuple[Any, ...]],
    partners: dict[int, _PartnerInfo],
    policies: dict[int, tuple[PolicyVersion, rules.Policy]],
    due: _Due,
    report: RebuildReport,
    actor: Any,
) -> None:
    first, last = projects[0][0], projects[-1][0]
    payments = _payments(first, last)
    owners: set[int] = {p[1] for p in projects}
    recruiters = {r for o in owners if (r := partners[o].referrer_id) is not None}
    involved = sorted(owners | recruiters)
    heads = _lock_heads([f"ledger:{partners[pid].code}" for pid in involved])
    # Read under the head locks, as the live path checks its event key (R-LED-2).
    existing = set(
        LedgerEntry.objects.filter(project_id__gte=first, project_id__lte=last).values_list(
            "partner_id", "event_key"
        )
    )
    created_at = clock.now()
    created = db_datetime(created_at)
    rows: list[tuple[Any, ...]] = []

    def append(partner_id: int, project_id: int, policy_id: int, values: EntryValues) -> None:
        if (partner_id, values.event_key) in existing:
            report.existing += 1
            return
        existing.add((partner_id, values.event_key))
        head = heads[f"ledger:{partners[partner_id].code}"]
        payload = entry_payload(
            partner_id=partner_id,
            kind=values.kind,
            project_id=project_id,
            payment_id=values.payment_id,
            basis=values.basis,
            rate=values.rate,
            amount=values.amount,
            earned_on=values.earned_on,
            due_on=values.due_on,
            due_estimated=values.due_estimated,
            policy_version_id=policy_id,
            explanation=values.explanation,
            event_key=values.event_key,
            reason="",
            reverses_id=None,
            created_at=created_at,
        )
        digest = link_hash(head[0], payload)
        rows.append(
            (
                partner_id, values.kind, project_id, values.payment_id, str(values.basis),
                str(values.rate), str(values.amount), values.earned_on.isoformat(),
                values.due_on.isoformat(), values.due_estimated, policy_id, values.explanation,
                values.event_key, "", None, created, head[0], digest, EntryStatus.PENDING.value,
                True,
            )
        )  # fmt: skip
        head[0] = digest
        head[1] += 1

    for (
        pk, partner_id, policy_id, rate, amount, accepted_seq, accepted_on, cancelled_seq,
        cancelled_on,
    ) in projects:  # fmt: skip
        events = events_of(
            payments.get(pk, ()),
            accepted_seq=accepted_seq,
            accepted_on=accepted_on,
            cancelled_seq=cancelled_seq,
            cancelled_on=cancelled_on,
        )
        report.projects += 1
        report.events += len(payments.get(pk, ()))
        if not events:
            continue
        _, policy = policies[policy_id]
        info = partners[partner_id]
        for outcome in rules.project_outcomes(
            policy, rate=rate, amount=amount, events=events, partner_exit=info.exit
        ):
            values, _ = outcome_values(policy, outcome, f"project:{pk}", "", due)
            if values is not None:
                append(partner_id, pk, policy_id, values)
        if info.referrer_id is not None:
            recruiter = partners[info.referrer_id]
            line = override_line(info, pk)
            for outcome in rules.override_outcomes(
                policy, amount=amount, events=events, partner_exit=recruiter.exit
            ):
                values, _ = outcome_values(policy, outcome, f"override:{pk}", line, due)
                if values is not None:
                    append(info.referrer_id, pk, policy_id, values)
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
