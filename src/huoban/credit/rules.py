"""Customer credit as pure functions (SPEC §10.12, R-CRED): the risk a customer's record
forces, and whether a new project may be signed on credit. No Django here; every answer
explains itself step by step (:mod:`huoban.explain`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from huoban.explain import Step, yuan

#: R-CRED-2: a review is valid 12 months by default.
VALIDITY_MONTHS = 12
#: R-CRED-2: a credit limit above this needs the general manager's approval (授信审批).
GM_LIMIT = Decimal("1000000.00")
#: R-CRED-3: an instalment overdue more than this many days forces at least `medium`.
FORCING_OVERDUE_DAYS = 90

HIGH, MEDIUM, LOW = "high", "medium", "low"
RISKS = (HIGH, MEDIUM, LOW)
_RANK = {LOW: 0, MEDIUM: 1, HIGH: 2}
_ZH = {HIGH: "高", MEDIUM: "中", LOW: "低"}


def valid_until(day: dt.date, months: int = VALIDITY_MONTHS) -> dt.date:
    """The last day of a validity of ``months`` from ``day``: the same day ``months`` later
    (that month's last day when shorter), less one. 2026-03-15 → 2027-03-14; 2024-02-29 →
    2025-02-28 − 1 = 2025-02-27."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    first_after = dt.date(year + month // 12, month % 12 + 1, 1)
    last = (first_after - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last)) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Risk:
    level: str
    steps: tuple[Step, ...]


def effective_risk(assessed: str | None, *, dishonest_debtor: bool, max_overdue_days: int) -> Risk:
    """R-CRED-3: the risk that holds for a customer. A dishonest-debtor finding (失信被执行人)
    forces `high`; an instalment overdue more than 90 days forces at least `medium`, until it
    is paid. ``assessed`` is the risk of the review in force, None without one (no limit)."""
    steps: list[Step] = []
    if assessed is None:
        level = LOW
        steps.append(Step("无有效资信调查，按正常信用处理", "No review in force: normal credit"))
    else:
        level = assessed
        steps.append(Step(f"资信调查评定风险{_ZH[level]}", f"The review rates the risk {level}"))
    if dishonest_debtor and level != HIGH:
        level = HIGH
        steps.append(Step("列为失信被执行人，强制为高风险", "A dishonest debtor: forced to high"))
    if max_overdue_days > FORCING_OVERDUE_DAYS and _RANK[level] < _RANK[MEDIUM]:
        level = MEDIUM
        steps.append(
            Step(
                f"有分期逾期 {max_overdue_days} 天（超过 {FORCING_OVERDUE_DAYS} 天），至少为中风险",
                f"An instalment {max_overdue_days} days overdue (over {FORCING_OVERDUE_DAYS}): "
                "at least medium",
            )
        )
    return Risk(level, tuple(steps))


@dataclass(frozen=True)
class Decision:
    allowed: bool
    #: why not: "cash_only" (high risk, credit refused), "limit" (medium, over the limit)
    refusal: str | None
    exposure_after: Decimal
    steps: tuple[Step, ...]


def signing_decision(
    risk: str,
    *,
    credit_limit: Decimal | None,
    exposure: Decimal,
    amount: Decimal,
    cash_only: bool,
    excess_approved: bool = False,
) -> Decision:
    """R-CRED-3's risk matrix at a project's signing. ``exposure`` is the customer's open
    credit now (contract amounts of its open credit projects minus the cash received on them).

    - cash-only (100% before work starts) grants no credit: always allowed;
    - `high`: no credit, refused;
    - `medium`: refused when exposure + amount would exceed the limit (no limit counts as 0),
      unless finance approved the excess;
    - `low`: normal.

    Example: medium, limit 200,000.00, exposure 150,000.00, a project of 100,000.00 → 250,000.00
    over the limit, refused; after a payment of 100,000.00, 150,000.00 → allowed."""
    after = exposure + amount
    steps = [
        Step(
            f"现有信用敞口 {yuan(exposure)} + 本项目 {yuan(amount)} = {yuan(after)}",
            f"Exposure {yuan(exposure)} + this project {yuan(amount)} = {yuan(after)}",
        )
    ]
    if cash_only:
        steps.append(Step("全额预付（现款现货），不占用信用", "Cash only: no credit is granted"))
        return Decision(True, None, exposure, tuple(steps))
    if risk == HIGH:
        steps.append(
            Step("高风险客户不予赊销，须全额预付后开工", "High risk: no credit, cash only")
        )
        return Decision(False, "cash_only", after, tuple(steps))
    if risk == MEDIUM:
        limit = credit_limit if credit_limit is not None else Decimal("0.00")
        if after <= limit:
            steps.append(
                Step(f"未超过信用额度 {yuan(limit)}", f"Within the credit limit {yuan(limit)}")
            )
            return Decision(True, None, after, tuple(steps))
        if excess_approved:
            steps.append(
                Step(
                    f"超过信用额度 {yuan(limit)}，财务已批准超额",
                    f"Over the credit limit {yuan(limit)}; finance approved the excess",
                )
            )
            return Decision(True, None, after, tuple(steps))
        steps.append(
            Step(
                f"超过信用额度 {yuan(limit)}，须财务批准或全额预付",
                f"Over the credit limit {yuan(limit)}: needs finance's approval or cash only",
            )
        )
        return Decision(False, "limit", after, tuple(steps))
    steps.append(Step("低风险，正常信用", "Low risk: normal credit"))
    return Decision(True, None, after, tuple(steps))


def overdue_days(
    instalments: list[tuple[Decimal, dt.date]], received: Decimal, today: dt.date
) -> int:
    """R-CRED-1: how many days a receivable is overdue — the days since the due date of the
    earliest instalment whose cumulative amount the cash received does not yet cover; 0 when
    every instalment due by ``today`` is covered. Instalments in due-date order.

    Example: 100,000.00 due 03-01 and 100,000.00 due 04-01, 150,000.00 received: the
    cumulative 200,000.00 of the second is not covered; on 05-01 it is 30 days overdue."""
    cumulative = Decimal("0.00")
    for amount, due_on in sorted(instalments, key=lambda item: item[1]):
        cumulative += amount
        if received < cumulative:
            return max((today - due_on).days, 0)
    return 0


def days_late(
    instalments: list[tuple[Decimal, dt.date]],
    payments: list[tuple[dt.date, Decimal]],
    today: dt.date,
) -> list[int | None]:
    """For each instalment (in due-date order) how late it was paid: the days from its due date
    to the day the cash received (payments positive, refunds negative, in date order) first
    covered its cumulative amount; still unpaid and due, the days until ``today``; not yet due
    and unpaid, None. Paid on time or early is 0."""
    ordered = sorted(payments, key=lambda item: item[0])
    late: list[int | None] = []
    cumulative = Decimal("0.00")
    for amount, due_on in sorted(instalments, key=lambda item: item[1]):
        cumulative += amount
        running = Decimal("0.00")
        paid_on = None
        for day, paid in ordered:
            running += paid
            if running >= cumulative:
                paid_on = day
                break
        if paid_on is not None:
            late.append(max((paid_on - due_on).days, 0))
        elif due_on < today:
            late.append((today - due_on).days)
        else:
            late.append(None)
    return late


#: R-CRED-4: an instalment more than this many days late counts as a payment problem.
LATE_DAYS = 30


def borne_out(risk: str, days_late: list[int | None]) -> bool:
    """R-CRED-4: whether a review whose validity has ended was borne out — `low` with no
    instalment more than 30 days late during its validity, `medium`/`high` with at least one.
    ``days_late`` are the instalments due during the validity (None: not yet due)."""
    late = any(days is not None and days > LATE_DAYS for days in days_late)
    return not late if risk == LOW else late


@dataclass(frozen=True)
class Accuracy:
    borne_out: int
    reviews: int
    ratio: Decimal | None
    steps: tuple[Step, ...]


def accuracy(outcomes: list[bool]) -> Accuracy:
    """R-CRED-4: the share of ended reviews borne out, to 4 places (seed 003's KPI ≥ 95%)."""
    borne = sum(1 for ok in outcomes if ok)
    total = len(outcomes)
    ratio = (
        (Decimal(borne) / Decimal(total)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        if total
        else None
    )
    shown = f"{(ratio * 100).quantize(Decimal('0.1'))}%" if ratio is not None else "—"
    return Accuracy(
        borne,
        total,
        ratio,
        (
            Step(
                f"评级准确率 = 应验的 {borne} 份 ÷ 已到期的 {total} 份资信调查 = {shown}",
                f"Rating accuracy = {borne} borne out ÷ {total} ended reviews = {shown}",
            ),
        ),
    )
