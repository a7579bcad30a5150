"""The programme dashboard (SPEC §4, §5, §7, §8, R-ATT-5): every figure is a grouped query in
the database; commission figures only for finance and admin (R-VIS-2)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from huoban import clock
from huoban.commissions.models import EntryStatus, LedgerEntry
from huoban.customers.inbound import inbound_by_month, inbound_report
from huoban.leads.models import Lead
from huoban.leads.services import sla_by_month, sla_report
from huoban.money import ZERO, cny
from huoban.partners.models import Partner, PartnerStatus, Tier
from huoban.performance.meetings import overdue_meetings
from huoban.performance.models import (
    Band,
    Case,
    Colour,
    HealthAssessment,
    Risk,
    RiskLevel,
    Scorecard,
    Trigger,
)
from huoban.projects.models import Project, Status
from huoban.web import staff_required

from .common import sees_money


def _month_start(year: int, month: int) -> dt.datetime:
    return dt.datetime(year, month, 1, tzinfo=clock.local_tz())


def _months(year: int) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """(label "YYYY-MM", start, end) of every month of ``year`` up to the current month."""
    today = clock.today()
    last = 12 if year < today.year else today.month
    months = []
    for m in range(1, last + 1):
        end = _month_start(year + 1, 1) if m == 12 else _month_start(year, m + 1)
        months.append((f"{year}-{m:02d}", _month_start(year, m), end))
    return months


def _key(moment: Any) -> str:
    return f"{moment.year}-{moment.month:02d}"


def _year(request: HttpRequest) -> int:
    today = clock.today()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year else today.year


@staff_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Lead volume and SLA, signed volume by month and tier, commission owed and paid, partners
    by tier, inbound contacts routed back — for one year, by month."""
    year = _year(request)
    months = _months(year)
    start, end = _month_start(year, 1), _month_start(year + 1, 1)
    tz = clock.local_tz()

    lead_counts = {
        _key(row["m"]): row["n"]
        for row in Lead.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
        .annotate(m=TruncMonth("submitted_at", tzinfo=tz))
        .values("m")
        .annotate(n=Count("id"))
        .order_by()
    }
    # One grouped query by day and tier (no date function per row: a year has at most 366 ×
    # 3 groups), rolled up here into months and tiers.
    signed_by_month: dict[str, Decimal] = {}
    signed_by_tier: dict[str, tuple[Decimal, int]] = {}
    for row in (
        Project.objects.filter(
            signed_on__gte=dt.date(year, 1, 1), signed_on__lte=dt.date(year, 12, 31)
        )
        .exclude(status=Status.CANCELLED)
        .values("signed_on", "tier_at_signing")
        .annotate(s=Sum("contract_amount"), n=Count("id"))
        .order_by()
    ):
        label = _key(row["signed_on"])
        signed_by_month[label] = signed_by_month.get(label, ZERO) + (row["s"] or ZERO)
        amount, count = signed_by_tier.get(row["tier_at_signing"], (ZERO, 0))
        signed_by_tier[row["tier_at_signing"]] = (amount + (row["s"] or ZERO), count + row["n"])
    tier_labels = dict(Tier.choices)
    # One grouped query for the tiers and the partners paused or blocked (R-CRIS-2/3).
    by_tier = list(
        Partner.objects.filter(status=PartnerStatus.ACTIVE)
        .values("tier")
        .annotate(
            n=Count("id"),
            paused=Count("id", filter=Q(paused_since__isnull=False)),
            blocked=Count("id", filter=Q(data_blocked_since__isnull=False)),
        )
        .order_by()
    )
    partner_tiers = {row["tier"]: row["n"] for row in by_tier}
    standing = {
        "paused": sum(row["paused"] for row in by_tier),
        "blocked": sum(row["blocked"] for row in by_tier),
    }

    # Two grouped queries for the twelve months, not two reports a month (R-UI-3).
    sla_months = sla_by_month(start, end)
    inbound_months = inbound_by_month(dt.date(year, 1, 1), dt.date(year, 12, 31))
    no_sla = {"judged": 0, "judged_on_time": 0, "overdue_open": 0, "compliance_percent": None}
    no_inbound = {"total": 0, "routed_back": 0, "answered_yes": 0, "answered_no": 0}
    lead_rows = []
    inbound_rows = []
    for label, _m_start, _m_end in months:
        sla = sla_months.get(label, no_sla)
        lead_rows.append(
            {
                "month": label,
                "submitted": lead_counts.get(label, 0),
                "judged": sla["judged"],
                "on_time": sla["judged_on_time"],
                "overdue_open": sla["overdue_open"],
                "compliance": sla["compliance_percent"],
            }
        )
        inbound_rows.append({"month": label, **inbound_months.get(label, no_inbound)})
    year_sla = sla_report(start, end)
    year_inbound = inbound_report(dt.date(year, 1, 1), dt.date(year, 12, 31))

    signed_amounts = [cny(signed_by_month.get(label) or ZERO) for label, _s, _e in months]
    signed_rows = [
        {"month": label, "amount": amount}
        for (label, _s, _e), amount in zip(months, signed_amounts, strict=True)
    ]
    tier_rows = [
        {
            "tier": code,
            "label": str(tier_labels[code]),
            "amount": cny(signed_by_tier.get(code, (ZERO, 0))[0] or ZERO),
            "projects": signed_by_tier.get(code, (ZERO, 0))[1],
            "partners": partner_tiers.get(code, 0),
        }
        for code in Tier.values
    ]

    money = sees_money(request.user)
    commission: dict[str, Any] | None = None
    if money:
        by_status = {
            row["status"]: row["s"] or ZERO
            for row in LedgerEntry.objects.filter(effective=True)
            .values("status")
            .annotate(s=Sum("amount"))
            .order_by()
        }
        earned = sum(by_status.values(), ZERO)
        paid = by_status.get(EntryStatus.PAID, ZERO)
        commission = {
            "earned": cny(earned),
            "paid": cny(paid),
            "owed": cny(earned - paid),
            "pending": cny(by_status.get(EntryStatus.PENDING, ZERO)),
            "approved": cny(by_status.get(EntryStatus.APPROVED, ZERO)),
        }

    chart_data = {
        "months": [label for label, _s, _e in months],
        "leads": [r["submitted"] for r in lead_rows],
        "compliance": [
            float(r["compliance"]) if r["compliance"] is not None else None for r in lead_rows
        ],
        "signed": [str(r["amount"]) for r in signed_rows],
        "tiers": [r["label"] for r in tier_rows],
        "signed_by_tier": [str(r["amount"]) for r in tier_rows],
        "partners_by_tier": [r["partners"] for r in tier_rows],
        "inbound": [r["total"] for r in inbound_rows],
        "routed_back": [r["routed_back"] for r in inbound_rows],
        "commission": (
            {k: str(v) for k, v in commission.items() if k in {"paid", "owed"}}
            if commission
            else None
        ),
    }
    return render(
        request,
        "console/dashboard.html",
        {
            "nav": "dashboard",
            "year": year,
            "years": list(range(clock.today().year, clock.today().year - 4, -1)),
            "lead_rows": lead_rows,
            "signed_rows": signed_rows,
            "signed_total": cny(sum(signed_amounts, Decimal("0"))),
            "tier_rows": tier_rows,
            "inbound_rows": inbound_rows,
            "year_sla": year_sla,
            "year_inbound": year_inbound,
            "money": money,
            "commission": commission,
            "chart_data": chart_data,
            "relationships": _relationships(standing),
        },
    )


def _relationships(standing: dict[str, int]) -> dict[str, Any]:
    """The partner relationships as of today (R-CRIS-6, R-RISK-1, R-HLTH-1): open cases by
    trigger, paused and blocked partners, late and high risks, the partners with a meeting past
    due (R-MEET-2), last month's health colours and scorecard bands (R-KPI-2). Nine grouped
    queries, whatever the number of partners."""
    today = clock.today()
    triggers = dict(Trigger.choices)
    open_cases = (
        Case.objects.open().values("trigger").annotate(n=Count("id"), late=Count(
            "id", filter=Q(due_on__lt=today))).order_by("trigger")
    )  # fmt: skip
    risks = Risk.objects.live().aggregate(
        late=Count("id", filter=Q(next_review__lt=today)),
        high=Count("id", filter=Q(level=RiskLevel.HIGH)),
    )
    last = today.replace(day=1) - dt.timedelta(days=1)
    colours = dict(
        HealthAssessment.objects.filter(year=last.year, month=last.month)
        .values_list("colour")
        .annotate(n=Count("id"))
        .order_by()
    )
    bands = dict(
        Scorecard.objects.current()
        .filter(year=last.year, month=last.month)
        .values_list("band")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "scorecard_bands": [(code, label, bands.get(code, 0)) for code, label in Band.choices],
        "cases": [
            {
                "trigger": row["trigger"],
                "label": triggers.get(row["trigger"], row["trigger"]),
                "n": row["n"],
                "late": row["late"],
            }
            for row in open_cases
        ],
        "paused": standing["paused"],
        "blocked": standing["blocked"],
        "late_risks": risks["late"],
        "late_meetings": len(overdue_meetings(today)),
        "high_risks": risks["high"],
        "health_period": f"{last.year:04d}-{last.month:02d}",
        "health": [(code, label, colours.get(code, 0)) for code, label in Colour.choices],
    }
