"""Monthly unit reports under a per-unit agreement (SPEC §10.6, R-UNIT-2/3): one business action,
one transaction, one audit event; the month's `unit_commission` entry and, in the month the
base target is reached, the `true_up` entry, in the partner's hash-chained ledger."""

from __future__ import annotations

import calendar as months
import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max, Sum

from huoban import clock, explain
from huoban.accounts.models import User
from huoban.audit.services import record
from huoban.commissions import ledger
from huoban.commissions.models import EntryKind
from huoban.errors import Conflict, Forbidden, NotFound, ValidationFailed
from huoban.partners.models import Partner
from huoban.policy import may_report_units
from huoban.terms.services import policy_for

from . import rules
from .models import Agreement, Status, UnitReport

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def per_unit_agreement(partner: Partner, year: int) -> Agreement | None:
    """The partner's approved agreement whose per-unit scheme is for ``year`` (R-UNIT-1)."""
    for agreement in Agreement.objects.filter(partner=partner, status=Status.APPROVED):
        scheme = agreement.scheme or {}
        if scheme.get("kind") == "per_unit" and scheme.get("year") == year:
            return agreement
    return None


def _number(value: Any, low: int, high: int) -> Decimal | None:
    """``value`` as a Decimal within low..high; None when it is not one."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and low <= number <= high else None


@transaction.atomic(durable=True)
def report_units(
    partner_code: str,
    *,
    period: str,
    units: int,
    complaint_rate: Any = None,
    nps: Any = None,
    actor: User,
) -> UnitReport:
    """Enter a month's units (R-UNIT-2): priced by position in the year's count, less the quality
    deductions (R-UNIT-3), booked as one `unit_commission` entry and, in the month the base
    target is reached, one `true_up` entry. For a `receivable` scheme the partner owes the
    amounts: they are booked negative, as owed by the partner on its statement."""
    if not may_report_units(actor):
        raise Forbidden("按件月报由伙伴关系官或财务登记 / Officers and finance enter unit reports.")
    partner = Partner.objects.filter(code=partner_code).first()
    if partner is None:
        raise NotFound("伙伴不存在 / No such partner.")
    errors: dict[str, str] = {}
    match = _PERIOD.match(period or "")
    if match is None:
        errors["period"] = "期间格式为 YYYY-MM / The period is YYYY-MM."
    if not isinstance(units, int) or isinstance(units, bool) or units < 0:
        errors["units"] = "件数为不小于 0 的整数 / Units are a whole number, 0 or more."
    rate = score = None
    if complaint_rate not in (None, ""):
        rate = _number(complaint_rate, 0, 1)
        if rate is None:
            errors["complaint_rate"] = (
                "投诉率为 0–1 的比例，如 0.09 / The complaint rate is a ratio from 0 to 1, "
                "e.g. 0.09."
            )
    if nps not in (None, ""):
        score = _number(nps, -100, 100)
        if score is None:
            errors["nps"] = "NPS 为 −100 到 100 / NPS is from −100 to 100."
    if errors:
        raise ValidationFailed(errors)
    assert match is not None
    year, month = int(match.group(1)), int(match.group(2))
    ledger.lock_heads([ledger.ledger_key(partner)])  # one report at a time per partner
    agreement = per_unit_agreement(partner, year)
    if agreement is None:
        raise Conflict(
            f"{partner.code} 没有已审批的 {year} 年按件方案 / {partner.code} has no approved "
            f"per-unit scheme for {year}."
        )
    reported = UnitReport.objects.filter(partner=partner, year=year)
    if reported.filter(month=month).exists():
        raise Conflict(f"{period} 已登记 / {period} is already reported.")
    last = reported.aggregate(m=Max("month"))["m"]
    if last is not None and month < last:
        raise Conflict(
            f"请按月份顺序登记：已登记到 {year}-{last:02d} / Report the months in order: "
            f"{year}-{last:02d} is already reported."
        )
    before = reported.aggregate(n=Sum("units"))["n"] or 0
    scheme = rules.UnitScheme.of(agreement.scheme or {})
    priced = rules.price_month(scheme, before, units, complaint_rate=rate, nps=score)
    sign = Decimal(-1) if (agreement.scheme or {}).get("direction") == "receivable" else Decimal(1)
    period_end = dt.date(year, month, months.monthrange(year, month)[1])
    head = explain.Step(
        f"协议 {agreement.number} v{agreement.version} 的 {year} 年按件方案，{period} 月报",
        f"{period} under the {year} per-unit scheme of agreement {agreement.number} "
        f"v{agreement.version}",
    )
    owed = (
        [
            explain.Step(
                "伙伴支付我方：记为伙伴应付（负数）", "the partner pays us: owed by it (negative)"
            )
        ]
        if sign < 0
        else []
    )
    report = UnitReport.objects.create(
        partner=partner,
        agreement=agreement,
        year=year,
        month=month,
        units=units,
        cumulative=priced.cumulative,
        complaint_rate=rate,
        nps=score,
        gross=priced.gross,
        deduction_rate=priced.deduction_rate,
        amount=priced.amount,
        true_up=priced.true_up,
        explanation=explain.explanation_text(
            [head, *priced.explanation, *priced.true_up_explanation]
        ),
        reported_by=actor,
        reported_at=clock.now(),
    )
    policy_row = policy_for(period_end, partner)
    ledger.append_event_entry(
        partner,
        kind=EntryKind.UNIT_COMMISSION,
        project=None,
        policy_version=policy_row,
        event_date=period_end,
        basis=priced.gross,
        rate=priced.deduction_rate,
        amount=sign * priced.amount,
        steps=[head, *priced.explanation, *owed],
        event_key=f"unit:{agreement.number}:{period}",
    )
    if priced.true_up:
        ledger.append_event_entry(
            partner,
            kind=EntryKind.TRUE_UP,
            project=None,
            policy_version=policy_row,
            event_date=period_end,
            basis=priced.true_up,
            rate=Decimal(0),
            amount=sign * priced.true_up,
            steps=[head, *priced.true_up_explanation, *owed],
            event_key=f"true_up:{agreement.number}:{year}",
        )
    record(
        actor,
        "unit.report",
        report,
        after={
            "partner": partner.code,
            "agreement": f"{agreement.number} v{agreement.version}",
            "period": period,
            "units": units,
            "amount": str(priced.amount),
            "true_up": str(priced.true_up),
        },
    )
    return report
