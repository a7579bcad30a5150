"""What the portal shows a partner about itself, read from the services and the ledger.

Nothing here computes money: amounts are sums of the ledger's entries (earned, paid, by month,
as :func:`huoban.commissions.ledger.totals` sums them) and the tier figures come from
``tier_services`` as ``GET /api/v1/partners/{code}/tier`` computes them (SPEC §7, §8).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from huoban import clock
from huoban.commissions.models import EntryStatus, LedgerEntry, LedgerEntryQuerySet
from huoban.customers.models import Customer
from huoban.money import ZERO, cny, fmt
from huoban.partners.models import Partner, Tier
from huoban.standing import tier_services, tiers

DUE_NEXT = 3


@dataclass(frozen=True)
class TierProgress:
    """The partner's tier and what is missing to the next one (R-TIER-1, R-TIER-3)."""

    tier: str
    tier_label: str
    ytd_signed: Decimal
    next_tier: str | None
    next_label: str
    threshold: Decimal | None
    remaining: Decimal
    percent: int
    grace_until: dt.date | None
    grace_days_left: int | None


def tier_progress(partner: Partner, today: dt.date | None = None) -> TierProgress:
    """As ``GET /partners/{code}/tier``: year-to-date signed, the next tier, what remains."""
    day = today or clock.today()
    ytd = tier_services.ytd_signed(partner, day)
    upper, remaining = tiers.progress(partner.tier, ytd)
    threshold = tiers.THRESHOLDS[upper] if upper else None
    percent = 100
    if threshold:
        percent = min(100, int(ytd * 100 / threshold))
    grace_days = None
    if partner.retention_state == "grace" and partner.grace_until is not None:
        grace_days = max(0, (partner.grace_until - day).days)
    return TierProgress(
        tier=partner.tier,
        tier_label=str(Tier(partner.tier).label),
        ytd_signed=ytd,
        next_tier=upper,
        next_label=str(Tier(upper).label) if upper else "",
        threshold=threshold,
        remaining=remaining,
        percent=percent,
        grace_until=partner.grace_until if grace_days is not None else None,
        grace_days_left=grace_days,
    )


def entries_of(partner: Partner) -> LedgerEntryQuerySet:
    return LedgerEntry.objects.filter(partner=partner)


def year_totals(partner: Partner, year: int) -> dict[str, Decimal]:
    """Earned / paid / outstanding on the entries earned in `year` (as ``ledger.totals``)."""
    return year_earnings(partner, year)[0]


def due_next(partner: Partner, limit: int = DUE_NEXT) -> list[LedgerEntry]:
    """The next entries to be paid: pending or approved, counted, by due date."""
    # Which entries from the ledger's partner index alone, then those few with their projects:
    # joined in one query, a planner may read every entry of a big partner (tens of thousands).
    ids = list(
        entries_of(partner)
        .counted()
        .filter(status__in=[EntryStatus.PENDING, EntryStatus.APPROVED])
        .order_by("due_on", "id")
        .values_list("id", flat=True)[:limit]
    )
    if not ids:
        return []
    entries = LedgerEntry.objects.filter(pk__in=ids).select_related("project")
    return sorted(entries, key=lambda e: (e.due_on, e.pk))


def earnings_by_month(partner: Partner, year: int) -> list[dict[str, Any]]:
    """Twelve rows {month, earned, paid} of the year's counted entries by earned month; the
    amounts are sums of ledger entries, as strings with two decimals."""
    return year_earnings(partner, year)[1]


def year_earnings(partner: Partner, year: int) -> tuple[dict[str, Decimal], list[dict[str, Any]]]:
    """The year's totals (:func:`year_totals`) and its twelve months (:func:`earnings_by_month`)
    from one query: sums by day in the database — a walk of the ledger's partner index; a month
    extracted in SQL would be a Python function per row on SQLite — and by month here."""
    rows = (
        entries_of(partner)
        .counted()
        .filter(earned_on__year=year)
        .values("earned_on")
        .annotate(
            earned=Sum("amount"),
            paid=Sum("amount", filter=Q(status=EntryStatus.PAID)),
        )
        .order_by("earned_on")
    )
    earned = [ZERO] * 13
    paid = [ZERO] * 13
    for r in rows:
        m = r["earned_on"].month
        earned[m] += r["earned"] or ZERO
        paid[m] += r["paid"] or ZERO
    total_earned, total_paid = sum(earned, ZERO), sum(paid, ZERO)
    totals = {
        "earned": cny(total_earned),
        "paid": cny(total_paid),
        "outstanding": cny(total_earned - total_paid),
    }
    months = [
        {"month": f"{year:04d}-{m:02d}", "earned": fmt(cny(earned[m])), "paid": fmt(cny(paid[m]))}
        for m in range(1, 13)
    ]
    return totals, months


def customers_of(partner: Partner, user: Any) -> QuerySet[Customer]:
    """Customers the partner owns, or has its own projects with (a transfer keeps the project
    with the partner that signed it, R-PROJ-1); scoped by ``visible_to`` first (R-VIS-1)."""
    return (
        Customer.objects.visible_to(user)
        .filter(Q(attribution__partner=partner) | Q(projects__partner=partner))
        .distinct()
    )
