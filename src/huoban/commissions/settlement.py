"""The annual settlement (年度结算): one ``annual_bonus`` entry per partner and year (R-LED-6).

P is summed in the database — one query streams every partner with its performance, the
number of projects behind it and whether the year is already settled — so no project row is
loaded. Each bonus is appended through the ledger under the partner's chain lock with the
event key ``annual:<year>``: a second run, or a concurrent one, creates nothing (R-LED-2).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db import transaction
from django.db.models import Count, DecimalField, Exists, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from huoban import clock, explain
from huoban.access import require_role
from huoban.accounts.models import Role, User
from huoban.audit.chain import link_hash
from huoban.audit.models import ChainHead
from huoban.audit.services import record_many
from huoban.errors import ValidationFailed
from huoban.money import ZERO, cny
from huoban.partners.models import Partner
from huoban.projects.models import Project, Status
from huoban.terms import rules
from huoban.terms.models import PartnerAgreement, PolicyVersion
from huoban.terms.services import policy_in_force

from .ledger import ledger_key_of, lock_heads
from .models import EntryKind, EntryStatus, LedgerEntry

__all__ = ["AnnualResult", "annual_event_key", "settle_previous_year", "settle_year"]


def annual_event_key(year: int) -> str:
    return f"annual:{year}"


@dataclass(frozen=True)
class AnnualResult:
    """One partner's line of an annual settlement; ``entry`` is None below the first bound."""

    partner_code: str
    performance: Decimal
    rate: Decimal
    amount: Decimal
    projects: int
    entry: LedgerEntry | None
    created: bool  # False when the entry was already in the ledger (an earlier run)


def _performance_by_partner(year: int) -> Any:
    """Every partner with P (non-cancelled projects signed in ``year``) in one query."""
    signed = Project.objects.filter(partner=OuterRef("pk"), signed_on__year=year).exclude(
        status=Status.CANCELLED
    )
    performance = signed.values("partner").annotate(p=Sum("contract_amount")).values("p")
    count = signed.values("partner").annotate(n=Count("pk")).values("n")
    return (
        Partner.objects.annotate(
            performance=Coalesce(
                Subquery(performance, output_field=DecimalField(max_digits=16, decimal_places=2)),
                ZERO,
                output_field=DecimalField(max_digits=16, decimal_places=2),
            ),
            project_count=Coalesce(Subquery(count, output_field=IntegerField()), 0),
            settled=Exists(
                LedgerEntry.objects.filter(partner=OuterRef("pk"), event_key=annual_event_key(year))
            ),
        )
        .order_by("code")
        .values_list("pk", "code", "performance", "project_count", "settled")
    )


def _explanation(
    year: int, projects: int, policy_version: int, bonus: rules.AmountResult, due_on: dt.date
) -> str:
    steps = [
        explain.Step(
            f"{year} 年签约且未取消的项目 {projects} 个，合同额合计 P = {explain.yuan(bonus.basis)}"
            f"（政策版本 v{policy_version}）",
            f"{projects} projects signed in {year} and not cancelled, contract amounts summed: "
            f"P = {explain.yuan(bonus.basis)} (policy v{policy_version})",
        ),
        *bonus.explanation,
        explain.Step(
            f"到期日 = 次年 1 月 31 日 = {due_on}",
            f"due = 31 January of the next year = {due_on}",
        ),
    ]
    return explain.explanation_text(steps)


def settle_year(year: int, *, actor: User) -> list[AnnualResult]:
    """Append every partner's annual bonus for a finished ``year`` (R-LED-6); idempotent.

    ``actor`` None is the system (``huoban tick``); otherwise finance or admin.
    """
    if actor is not None:
        require_role(actor, Role.FINANCE)
    if year >= clock.today().year:
        raise ValidationFailed(
            {"year": "只能结算已结束的年度 / Only a finished year can be settled."}
        )
    return _settle(year, actor)


BATCH = 1000  # partners per transaction


def _settle(year: int, actor: User | None) -> list[AnnualResult]:
    results: list[AnnualResult] = []
    rows = _performance_by_partner(year).iterator(chunk_size=BATCH)
    while batch := list(islice(rows, BATCH)):
        with transaction.atomic():
            results.extend(_settle_batch(year, batch, actor))
    return results


def _policies(partner_ids: list[int], year_end: dt.date) -> dict[int, PolicyVersion]:
    """:func:`policy_for` of many partners at once: a pinned version, else the one in force."""
    pinned: dict[int, PolicyVersion] = {}
    agreements = (
        PartnerAgreement.objects.filter(partner_id__in=partner_ids, signed_on__lte=year_end)
        .select_related("policy_version")
        .order_by("partner_id", "-signed_on", "-id")
    )
    for agreement in agreements:
        pinned.setdefault(agreement.partner_id, agreement.policy_version)
    default: PolicyVersion | None = None
    out = {}
    for pk in partner_ids:
        if pk in pinned:
            out[pk] = pinned[pk]
            continue
        if default is None:
            default = policy_in_force(year_end)
        out[pk] = default
    return out


def _settle_batch(
    year: int, batch: list[tuple[Any, ...]], actor: User | None
) -> list[AnnualResult]:
    """One transaction: the bonuses of up to BATCH partners, appended under their chain locks."""
    year_end = dt.date(year, 12, 31)
    due_on = rules.annual_bonus_due(year)
    key = annual_event_key(year)
    codes = {pk: code for pk, code, *_ in batch}
    due = [(pk, cny(p), n) for pk, _code, p, n, settled in batch if not settled and p > 0]
    policies = _policies([pk for pk, *_ in due], year_end)
    computed = {pk: rules.annual_bonus(policies[pk].to_policy(), p) for pk, p, _n in due}
    bonuses = {pk: bonus for pk, bonus in computed.items() if bonus.amount > 0}
    heads = {h.key: h for h in lock_heads(sorted(ledger_key_of(codes[pk]) for pk in bonuses))}
    # Read under the chain locks: a concurrent run may have appended some first (R-LED-2).
    settled_ids = [pk for pk, *_rest, settled in batch if settled]
    existing = {
        e.partner_id: e
        for e in LedgerEntry.objects.filter(partner_id__in=[*settled_ids, *bonuses], event_key=key)
    }
    now = clock.now()
    created: list[LedgerEntry] = []
    for pk, performance, projects in due:
        if pk not in bonuses or pk in existing:
            continue
        bonus, policy_row = bonuses[pk], policies[pk]
        head = heads[ledger_key_of(codes[pk])]
        entry = LedgerEntry(
            partner_id=pk,
            kind=EntryKind.ANNUAL_BONUS,
            basis=performance,
            rate=bonus.rate,
            amount=cny(bonus.amount),
            earned_on=year_end,
            due_on=due_on,
            due_estimated=False,
            policy_version=policy_row,
            explanation=_explanation(year, projects, policy_row.version, bonus, due_on),
            event_key=key,
            reason="",
            created_at=now,
            prev_hash=head.head_hash,
            status=EntryStatus.PENDING,
            effective=True,
        )
        entry.hash = link_hash(head.head_hash, entry.chain_payload())
        head.head_hash = entry.hash
        head.length += 1
        created.append(entry)
    LedgerEntry.objects.bulk_create(created, batch_size=2000)
    ChainHead.objects.bulk_update(
        [heads[ledger_key_of(codes[e.partner_id])] for e in created], ["head_hash", "length"]
    )
    record_many(
        actor,
        "ledger.annual_bonus",
        [
            (e, {"year": year, "performance": str(e.basis), "amount": str(e.amount)})
            for e in created
        ],
    )
    fresh = {e.partner_id: e for e in created}
    results = []
    for pk, code, performance, projects, _settled in batch:
        found = fresh.get(pk) or existing.get(pk)
        p = cny(performance)
        if found is not None:
            results.append(
                AnnualResult(
                    code, found.basis, found.rate, found.amount, projects, found, pk in fresh
                )
            )
        elif pk in computed:  # P > 0 below the first bound of the annual ladder
            results.append(AnnualResult(code, p, computed[pk].rate, ZERO, projects, None, False))
        else:  # nothing signed: no policy looked up
            results.append(AnnualResult(code, p, Decimal("0"), ZERO, 0, None, False))
    return results


def settle_previous_year(day: dt.date) -> str:
    """The daily job: on and after 1 January, settle the year before ``day`` (R-LED-6)."""
    year = day.year - 1  # finished as of ``day`` by construction
    results = _settle(year, None)
    created = sum(1 for r in results if r.created)
    existing = sum(1 for r in results if r.entry is not None and not r.created)
    below = sum(1 for r in results if r.entry is None)
    return (
        f"annual settlement {year}: {created} bonus entries created, {existing} already settled, "
        f"{below} partners below the threshold (R-LED-6)"
    )
