"""Channel analytics (SPEC §10.13, R-ANL-1): channel costs, and each channel's figures for a
period computed in a fixed number of grouped queries whatever the number of partners."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth

from huoban import clock
from huoban.accounts.models import User
from huoban.audit.services import record
from huoban.commissions.models import LedgerEntry
from huoban.errors import Forbidden, NotFound, ValidationFailed
from huoban.leads.models import Lead
from huoban.leads.models import Status as LeadStatus
from huoban.money import ZERO, cny, parse_amount
from huoban.partners.models import Partner
from huoban.performance.models import Scorecard
from huoban.policy import may_record_channel_costs
from huoban.projects.models import CustomerPayment, PaymentKind, Project
from huoban.projects.models import Status as ProjectStatus

from . import rules
from .models import ChannelCost, ChannelSnapshot, CostCategory

DIRECT = "direct"
GROUPS = ("partner", "type", "region")


def gross_margin() -> Decimal:
    return Decimal(str(getattr(settings, "HUOBAN_GROSS_MARGIN", rules.DEFAULT_GROSS_MARGIN)))


# --- channel costs -------------------------------------------------------------------------


@transaction.atomic(durable=True)
def record_cost(
    code: str, *, actor: User, amount: Any, spent_on: Any, category: str, note: str = ""
) -> ChannelCost:
    """An officer or finance records a channel cost of a partner (R-ANL-1)."""
    if not may_record_channel_costs(actor):
        raise Forbidden("渠道费用由伙伴关系官或财务登记 / Officers and finance record costs.")
    partner = Partner.objects.filter(code=code).first()
    if partner is None:
        raise NotFound("伙伴不存在 / No such partner.")
    errors: dict[str, str] = {}
    value = parse_amount(amount)
    if (
        value is None or value <= 0
        or value != value.quantize(Decimal("0.01")) or value >= Decimal("1e12")
    ):  # fmt: skip
        errors["amount"] = "金额须为正数，至多两位小数 / A positive amount, at most 2 decimals."
        value = None
    day = spent_on
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day)
        except ValueError:
            day = None
    if not isinstance(day, dt.date):
        errors["spent_on"] = "日期格式为 YYYY-MM-DD / A date, YYYY-MM-DD."
    else:
        errors.update(clock.past_errors(spent_on=day))
    if category not in CostCategory.values:
        errors["category"] = "未知类别 / Unknown category."
    if len(note) > 2000:
        errors["note"] = "说明至多 2000 字 / At most 2,000 characters."
    if errors:
        raise ValidationFailed(errors)
    assert value is not None and isinstance(day, dt.date)
    cost = ChannelCost.objects.create(
        partner=partner,
        amount=value,
        spent_on=day,
        category=category,
        note=note.strip(),
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    record(
        actor,
        "channel.cost",
        cost,
        after={"partner": partner.code, "amount": str(value), "spent_on": day.isoformat(),
               "category": category, "note": cost.note},
    )  # fmt: skip
    return cost


# --- the figures ---------------------------------------------------------------------------


def _net_cash() -> Any:
    """Payments less refunds, summed (the revenue of R-ANL-1)."""
    return Sum("amount", filter=Q(kind=PaymentKind.PAYMENT), default=ZERO) - Sum(
        "amount", filter=Q(kind=PaymentKind.REFUND), default=ZERO
    )


def channel_inputs(start: dt.date, end: dt.date) -> dict[int | None, rules.Inputs]:
    """Every channel's inputs for the days ``start`` … ``end`` (both included), keyed by the
    partner id (None: direct, customers without a partner). Ten grouped queries."""
    since, until = clock.local_midnight(start), clock.local_midnight(end + dt.timedelta(days=1))
    found: dict[int | None, dict[str, Any]] = defaultdict(dict)
    for row in (
        Lead.objects.filter(submitted_at__gte=since, submitted_at__lt=until)
        .order_by()
        .values("partner_id")
        .annotate(n=Count("id"), valid=Count("id", filter=Q(status=LeadStatus.VALID)))
    ):
        found[row["partner_id"]].update(leads=row["n"], valid_leads=row["valid"])
    signed = Project.objects.filter(signed_on__gte=start, signed_on__lte=end).exclude(
        status=ProjectStatus.CANCELLED
    )
    for row in signed.order_by().values("partner_id").annotate(n=Count("id")):
        found[row["partner_id"]]["projects"] = row["n"]
    earlier = Project.objects.filter(customer=OuterRef("customer"), signed_on__lt=start).exclude(
        status=ProjectStatus.CANCELLED
    )
    for row in (
        signed.filter(~Exists(earlier))
        .order_by()
        .values("partner_id")
        .annotate(n=Count("customer", distinct=True))
    ):
        found[row["partner_id"]]["new_customers"] = row["n"]
    net = _net_cash()
    for row in (
        CustomerPayment.objects.filter(received_on__gte=start, received_on__lte=end)
        .order_by()
        .values("project__partner_id")
        .annotate(net=net)
    ):
        found[row["project__partner_id"]]["revenue"] = cny(row["net"])
    for row in (
        LedgerEntry.objects.counted()
        .filter(earned_on__gte=start, earned_on__lte=end)
        .order_by()
        .values("partner_id")
        .annotate(total=Sum("amount"))
    ):
        found[row["partner_id"]]["earned"] = cny(row["total"])
    for row in (
        ChannelCost.objects.filter(spent_on__gte=start, spent_on__lte=end)
        .order_by()
        .values("partner_id")
        .annotate(total=Sum("amount"))
    ):
        found[row["partner_id"]]["recorded_costs"] = cny(row["total"])
    for row in (
        CustomerPayment.objects.filter(received_on__lte=end)
        .order_by()
        .values("project__partner_id")
        .annotate(net=net, customers=Count("project__customer", distinct=True))
    ):
        found[row["project__partner_id"]].update(
            lifetime_cash=cny(row["net"]), lifetime_customers=row["customers"]
        )
    _retention(found, end.year)
    _achievement(found, start, end)
    return {
        partner_id: rules.Inputs(
            leads=data.get("leads", 0),
            valid_leads=data.get("valid_leads", 0),
            projects=data.get("projects", 0),
            new_customers=data.get("new_customers", 0),
            revenue=data.get("revenue", ZERO),
            earned=data.get("earned", ZERO),
            recorded_costs=data.get("recorded_costs", ZERO),
            lifetime_cash=data.get("lifetime_cash", ZERO),
            lifetime_customers=data.get("lifetime_customers", 0),
            previous_year_customers=data.get("previous_year_customers", 0),
            retained_customers=data.get("retained_customers", 0),
            kpi_actual=data.get("kpi_actual"),
            kpi_target=data.get("kpi_target"),
        )
        for partner_id, data in found.items()
    }


_RETENTION_SQL = """
SELECT partner_id, COUNT(*), SUM(CASE WHEN cur > 0 THEN 1 ELSE 0 END) FROM (
  SELECT partner_id, customer_id,
         SUM(CASE WHEN d < %s THEN 1 ELSE 0 END) AS prev,
         SUM(CASE WHEN d >= %s THEN 1 ELSE 0 END) AS cur
  FROM (
    SELECT p.partner_id AS partner_id, p.customer_id AS customer_id, pay.received_on AS d
      FROM {payments} pay JOIN {projects} p ON pay.project_id = p.id
     WHERE pay.received_on >= %s AND pay.received_on <= %s
    UNION ALL
    SELECT p.partner_id, p.customer_id, p.signed_on
      FROM {projects} p
     WHERE p.status <> %s AND p.signed_on >= %s AND p.signed_on <= %s
  ) activity
  GROUP BY partner_id, customer_id
) customers
WHERE prev > 0
GROUP BY partner_id
"""


def _retention(found: dict[int | None, dict[str, Any]], year: int) -> None:
    """R-ANL-1: customers with cash or a signed project in both the previous year and this one
    ÷ those with one in the previous year, per channel — counted in the database (one query:
    at the benchmark scale there are a million customers to look at)."""
    first, this, last = dt.date(year - 1, 1, 1), dt.date(year, 1, 1), dt.date(year, 12, 31)
    sql = _RETENTION_SQL.format(
        payments=CustomerPayment._meta.db_table, projects=Project._meta.db_table
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [this, this, first, last, ProjectStatus.CANCELLED, first, last])
        for partner_id, before, kept in cursor.fetchall():
            found[partner_id]["previous_year_customers"] = int(before)
            found[partner_id]["retained_customers"] = int(kept or 0)


def _achievement(found: dict[int | None, dict[str, Any]], start: dt.date, end: dt.date) -> None:
    """R-ANL-1: the primary KPI's actuals ÷ its targets over the period's monthly scorecards
    (their latest revisions)."""
    months = Q()
    day = start.replace(day=1)
    while day <= end:
        months |= Q(year=day.year, month=day.month)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    for card in Scorecard.objects.current().filter(months).only("partner_id", "items"):
        primary = next((i for i in card.items if i.get("primary")), None)
        if primary is None:
            continue
        data = found[card.partner_id]
        data["kpi_actual"] = data.get("kpi_actual", ZERO) + Decimal(str(primary["actual"]))
        data["kpi_target"] = data.get("kpi_target", ZERO) + Decimal(str(primary["target"]))


# --- the daily snapshot (R-UI-3, D-ANL-3) ----------------------------------------------------

INPUT_FIELDS = tuple(f.name for f in dataclasses.fields(rules.Inputs))
_DECIMALS = frozenset({"revenue", "earned", "recorded_costs", "lifetime_cash", "kpi_actual",
                       "kpi_target"})  # fmt: skip


def _encode(inputs: dict[int | None, rules.Inputs]) -> dict[str, list[Any]]:
    return {
        (DIRECT if key is None else str(key)): [
            str(v) if isinstance(v, Decimal) else v
            for v in (getattr(value, f) for f in INPUT_FIELDS)
        ]
        for key, value in inputs.items()
    }


def _decode(data: dict[str, list[Any]]) -> dict[int | None, rules.Inputs]:
    out: dict[int | None, rules.Inputs] = {}
    for key, values in data.items():
        fields: list[Any] = [
            Decimal(v) if f in _DECIMALS and v is not None else v
            for f, v in zip(INPUT_FIELDS, values, strict=True)
        ]
        out[None if key == DIRECT else int(key)] = rules.Inputs(*fields)
    return out


def take_snapshot(start: dt.date, end: dt.date) -> ChannelSnapshot:
    """Count every channel's inputs for the period now and keep them for the rest of the day
    (`huoban tick` does it for this year to date; an analyst may ask for it again)."""
    inputs = channel_inputs(start, end)
    snapshot, _created = ChannelSnapshot.objects.update_or_create(
        start=start, end=end, defaults={"inputs": _encode(inputs), "computed_at": clock.now()}
    )
    return snapshot


def _todays(start: dt.date, end: dt.date) -> Any:
    """The period's snapshot if it was counted today (local time): only that one is used."""
    today = clock.local_midnight(clock.today())
    return ChannelSnapshot.objects.filter(start=start, end=end, computed_at__gte=today)


def snapshot_of(start: dt.date, end: dt.date) -> ChannelSnapshot | None:
    """The period's snapshot when it was counted today, else None."""
    return _todays(start, end).first()


def counted_at(start: dt.date, end: dt.date) -> dt.datetime | None:
    """When today's snapshot of the period was counted; None: the figures are counted live."""
    return _todays(start, end).values_list("computed_at", flat=True).first()


def inputs_for(
    start: dt.date, end: dt.date
) -> tuple[dict[int | None, rules.Inputs], dt.datetime | None]:
    """The period's inputs: today's snapshot when there is one (and when it was counted), else
    counted now (None)."""
    snapshot = snapshot_of(start, end)
    if snapshot is not None:
        return _decode(snapshot.inputs), snapshot.computed_at
    return channel_inputs(start, end), None


def snapshot_year_to_date(day: dt.date) -> str:
    """`huoban tick`: this year to date's snapshot, for the analytics page, the API and the KPI
    board's default period. One report line."""
    started = time.perf_counter()
    snapshot = take_snapshot(day.replace(month=1, day=1), day)
    seconds = time.perf_counter() - started
    return (
        f"analytics: {snapshot.start}…{snapshot.end} counted for {len(snapshot.inputs)} "
        f"channels in {seconds:.1f} s (R-ANL-1, R-UI-3)"
    )


class Row:
    """One channel's row: its inputs, and its figures computed when first read — a page shows
    50 of ten thousand channels, and each row's explained figures cost about 30 µs (R-UI-3)."""

    def __init__(
        self, channel: str, label: str, inputs: rules.Inputs, margin: Decimal | None = None
    ) -> None:
        self.channel = channel  # a partner code, `direct`, a type or a region
        self.label = label
        self.inputs = inputs
        self.margin = margin if margin is not None else gross_margin()

    @cached_property
    def figures(self) -> rules.Figures:
        return rules.figures(self.inputs, gross_margin=self.margin)


def report(start: dt.date, end: dt.date, *, group: str = "partner") -> tuple[list[Row], Row]:
    """The channels' rows for the period — by partner (every partner, and `direct` when it has
    anything), by partner type (a partner of two types counts in both) or by region — and the
    programme's totals."""
    inputs, _as_of = inputs_for(start, end)
    margin = gross_margin()
    partners = list(Partner.objects.order_by("code").values("id", "code", "name", "types",
                                                            "region"))  # fmt: skip
    rows: list[Row] = []
    if group == "partner":
        for p in partners:
            got = inputs.get(p["id"]) or rules.combine([])
            rows.append(Row(p["code"], p["name"], got, margin))
        if None in inputs:
            rows.append(Row(DIRECT, DIRECT, inputs[None], margin))
    else:
        groups: dict[str, list[rules.Inputs]] = defaultdict(list)
        for p in partners:
            names = (p["types"] or ["—"]) if group == "type" else [p["region"] or "—"]
            for name in names:
                if p["id"] in inputs:
                    groups[name].append(inputs[p["id"]])
                else:
                    groups.setdefault(name, [])
        for name in sorted(groups):
            rows.append(Row(name, name, rules.combine(groups[name]), margin))
        if None in inputs:
            rows.append(Row(DIRECT, DIRECT, inputs[None], margin))
    totals = Row("total", "total", rules.combine(list(inputs.values())), margin)
    return rows, totals


# --- one channel by month ------------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    month: str  # YYYY-MM
    figures: rules.Figures


def month_starts(last: dt.date, months: int) -> list[dt.date]:
    """The first days of the ``months`` months that end with ``last``'s, the earliest first."""
    year, month = last.year, last.month
    out = []
    for _ in range(months):
        out.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def channel_months(partner_id: int | None, last: dt.date, months: int = 12) -> list[Month]:
    """One channel's trend (R-ANL-1): for each of the ``months`` months up to ``last``'s, its
    leads, valid leads, signed projects, revenue, cost and ROI — five grouped queries on that
    channel's rows only (None: direct), whatever the number of partners."""
    starts = month_starts(last, months)
    first = starts[0]
    end = (starts[-1] + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    data: dict[str, dict[str, Any]] = {f"{d:%Y-%m}": {} for d in starts}

    def add(label: str, key: str, value: Any) -> None:
        if label in data:
            data[label][key] = data[label].get(key, 0) + value

    mine = Q(partner_id=partner_id) if partner_id is not None else Q(partner__isnull=True)
    since, until = clock.local_midnight(first), clock.local_midnight(end + dt.timedelta(days=1))
    leads = (
        Lead.objects.filter(mine, submitted_at__gte=since, submitted_at__lt=until)
        .annotate(m=TruncMonth("submitted_at", tzinfo=clock.local_tz()))
        .order_by()
        .values("m")
        .annotate(n=Count("id"), valid=Count("id", filter=Q(status=LeadStatus.VALID)))
    )
    for row in leads:
        label = f"{row['m']:%Y-%m}"
        add(label, "leads", row["n"])
        add(label, "valid_leads", row["valid"])
    signed = (
        Project.objects.filter(mine, signed_on__gte=first, signed_on__lte=end)
        .exclude(status=ProjectStatus.CANCELLED)
        .order_by()
        .values("signed_on")
        .annotate(n=Count("id"))
    )
    for row in signed:
        add(f"{row['signed_on']:%Y-%m}", "projects", row["n"])
    net = _net_cash()
    paying = (
        Q(project__partner_id=partner_id)
        if partner_id is not None
        else Q(project__partner__isnull=True)
    )
    for row in (
        CustomerPayment.objects.filter(paying, received_on__gte=first, received_on__lte=end)
        .order_by()
        .values("received_on")
        .annotate(net=net)
    ):
        add(f"{row['received_on']:%Y-%m}", "revenue", row["net"])
    if partner_id is not None:
        for row in (
            LedgerEntry.objects.counted()
            .filter(partner_id=partner_id, earned_on__gte=first, earned_on__lte=end)
            .order_by()
            .values("earned_on")
            .annotate(total=Sum("amount"))
        ):
            add(f"{row['earned_on']:%Y-%m}", "earned", row["total"])
        for row in (
            ChannelCost.objects.filter(partner_id=partner_id, spent_on__gte=first,
                                       spent_on__lte=end)
            .order_by()
            .values("spent_on")
            .annotate(total=Sum("amount"))
        ):  # fmt: skip
            add(f"{row['spent_on']:%Y-%m}", "recorded_costs", row["total"])
    margin = gross_margin()
    return [
        Month(
            label,
            rules.figures(
                rules.Inputs(
                    leads=d.get("leads", 0),
                    valid_leads=d.get("valid_leads", 0),
                    projects=d.get("projects", 0),
                    new_customers=0,
                    revenue=cny(d.get("revenue", ZERO)),
                    earned=cny(d.get("earned", ZERO)),
                    recorded_costs=cny(d.get("recorded_costs", ZERO)),
                ),
                gross_margin=margin,
            ),
        )
        for label, d in data.items()
    ]
