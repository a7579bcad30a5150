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
from typing import Any

from django.db import transaction
from django.db.models import Count, DecimalField, Exists, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from huoban import clock
from huoban.access import require_role
from huoban.accounts.models import Role
from huoban.audit.services import record
from huoban.errors import ValidationFailed
from huoban.money import ZERO, cny
from huoban.partners.models import Partner
from huoban.projects.models import Project, Status

from . import rules
from .ledger import _append
from .models import EntryKind, LedgerEntry
from .services import policy_for

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
        rules.Step(
            f"{year} 年签约且未取消的项目 {projects} 个，合同额合计 P = {rules.yuan(bonus.basis)}"
            f"（政策版本 v{policy_version}）",
            f"{projects} projects signed in {year} and not cancelled, contract amounts summed: "
            f"P = {rules.yuan(bonus.basis)} (policy v{policy_version})",
        ),
        *bonus.explanation,
        rules.Step(
            f"到期日 = 次年 1 月 31 日 = {due_on}",
            f"due = 31 January of the next year = {due_on}",
        ),
    ]
    return rules.explanation_text(steps)


def settle_year(year: int, *, actor: Any) -> list[AnnualResult]:
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


def _settle(year: int, actor: Any) -> list[AnnualResult]:
    year_end = dt.date(year, 12, 31)
    due_on = rules.annual_bonus_due(year)
    key = annual_event_key(year)
    results: list[AnnualResult] = []
    for partner_id, code, performance, projects, settled in _performance_by_partner(year).iterator(
        chunk_size=500
    ):
        performance = cny(performance)
        if settled:
            entry = LedgerEntry.objects.get(partner_id=partner_id, event_key=key)
            results.append(
                AnnualResult(code, entry.basis, entry.rate, entry.amount, projects, entry, False)
            )
            continue
        if performance == 0:  # nothing signed: no policy to look up
            results.append(AnnualResult(code, performance, Decimal("0"), ZERO, 0, None, False))
            continue
        partner = Partner.objects.get(pk=partner_id)
        policy_row = policy_for(year_end, partner)
        bonus = rules.annual_bonus(policy_row.to_policy(), performance)
        if bonus.amount <= 0:
            results.append(AnnualResult(code, performance, bonus.rate, ZERO, projects, None, False))
            continue
        with transaction.atomic():
            appended = _append(
                partner,
                kind=EntryKind.ANNUAL_BONUS,
                basis=performance,
                rate=bonus.rate,
                amount=bonus.amount,
                earned_on=year_end,
                due_on=due_on,
                due_estimated=False,
                policy_version=policy_row,
                explanation=_explanation(year, projects, policy_row.version, bonus, due_on),
                event_key=key,
            )
            created = appended is not None
            if appended is None:  # a concurrent run appended it first
                entry = LedgerEntry.objects.get(partner=partner, event_key=key)
            else:
                entry = appended
                record(
                    actor,
                    "ledger.annual_bonus",
                    entry,
                    after={
                        "year": year,
                        "performance": str(performance),
                        "amount": str(entry.amount),
                    },
                )
        results.append(
            AnnualResult(code, entry.basis, entry.rate, entry.amount, projects, entry, created)
        )
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
