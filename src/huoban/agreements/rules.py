"""The exit terms of an agreement (SPEC §10.4, R-AGR-4) as pure functions over plain values.

No ORM: the service, the pages and the property tests call them. Each result carries its
explanation in Chinese and English, step by step, like the commission entries.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from huoban.explain import Step, pct, yuan
from huoban.money import FEN

# R-AGR-4's defaults (seed 002): six months' written notice, 20% of the agreement year's
# commission as the penalty for ending early.
NOTICE_MONTHS = 6
PENALTY_RATE = Decimal("0.20")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day if shorter (08-31 + 6 → 02-28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_anniversary(starts_on: dt.date, on: dt.date) -> dt.date:
    """The latest anniversary of ``starts_on`` on or before ``on`` (the start itself in the
    first year): the agreement year ``on`` falls in begins there."""
    if on < starts_on:
        return starts_on
    years = on.year - starts_on.year
    candidate = add_months(starts_on, 12 * years)
    return candidate if candidate <= on else add_months(starts_on, 12 * (years - 1))


@dataclass(frozen=True)
class ExitTerms:
    earliest_end: dt.date
    penalty: Decimal
    explanation: tuple[Step, ...]


def early_exit(
    notice_on: dt.date,
    commission_this_year: Decimal,
    *,
    notice_months: int = NOTICE_MONTHS,
    penalty_rate: Decimal = PENALTY_RATE,
) -> ExitTerms:
    """R-AGR-4: a side ending early gives ``notice_months`` of written notice — the agreement
    ends no earlier than that many months after the notice — and pays ``penalty_rate`` of the
    commission earned in the current agreement year, rounded half-up to 0.01.

    Seed 002: notice on 2026-07-01 → earliest end 2027-01-01; 1,850,000.00 → 370,000.00."""
    if notice_months < 0:
        raise ValueError("notice months cannot be negative")
    if not Decimal(0) <= penalty_rate < 1:
        raise ValueError("the penalty rate is a share below 1")
    earliest = add_months(notice_on, notice_months)
    penalty = (commission_this_year * penalty_rate).quantize(FEN, rounding=ROUND_HALF_UP)
    steps = (
        Step(f"书面通知日 {notice_on.isoformat()} + 通知期 {notice_months} 个月 → 最早终止日 "
             f"{earliest.isoformat()}",
             f"notice given {notice_on.isoformat()} + {notice_months} months' notice → earliest "
             f"end {earliest.isoformat()}"),
        Step(f"本协议年度佣金 {yuan(commission_this_year)} × 违约金比例 {pct(penalty_rate)} = "
             f"{yuan(penalty)}",
             f"commission of the agreement year {yuan(commission_this_year)} × penalty rate "
             f"{pct(penalty_rate)} = {yuan(penalty)}"),
    )  # fmt: skip
    return ExitTerms(earliest, penalty, steps)


# --- the per-unit scheme's shape (R-UNIT-1), checked when an agreement carries one -----------


def unit_scheme_errors(scheme: object) -> dict[str, str]:
    """Field errors of a per-unit scheme ``{kind: "per_unit", direction, year, base_target,
    below_target_rate, brackets: [{up_to, rate}]}`` (ARCHITECTURE §6), empty when it is sound.

    Brackets are by position in the year's cumulative count, in order: each ``up_to`` above the
    one before, only the last open (``null``); a bracket may state its ``from``, which must be
    one above the previous ``up_to`` (1 for the first) — no overlap, no gap."""
    if not isinstance(scheme, dict):
        return {"scheme": "方案格式不正确 / The scheme is not an object."}
    errors: dict[str, str] = {}
    if scheme.get("kind") != "per_unit":
        errors["scheme.kind"] = "方案类型应为 per_unit / The scheme kind is per_unit."
    if scheme.get("direction") not in ("payable", "receivable"):
        errors["scheme.direction"] = (
            "方向应为 payable（我方支付）或 receivable（对方支付）"
            " / Direction is payable or receivable."
        )
    year = scheme.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["scheme.year"] = "年度应为四位年份 / The year is a four-digit year."
    base = scheme.get("base_target")
    if not isinstance(base, int) or isinstance(base, bool) or base < 1:
        errors["scheme.base_target"] = (
            "基础目标应为正整数 / The base target is a positive whole number."
        )
    if _rate(scheme.get("below_target_rate")) is None:
        errors["scheme.below_target_rate"] = (
            "目标以下单价应为不小于 0 的金额 / The rate below target is an amount of 0 or more."
        )
    brackets = scheme.get("brackets")
    if not isinstance(brackets, list) or not brackets:
        errors["scheme.brackets"] = "至少需要一个阶梯 / At least one bracket is needed."
        return errors
    previous = 0
    for i, bracket in enumerate(brackets):
        key = f"scheme.brackets[{i}]"
        if not isinstance(bracket, dict) or _rate(bracket.get("rate")) is None:
            errors[key] = "每个阶梯需要不小于 0 的单价 / Each bracket needs a rate of 0 or more."
            break
        start = bracket.get("from")
        if start is not None and start != previous + 1:
            errors[key] = (
                f"阶梯应从第 {previous + 1} 件开始，不得重叠或留空"
                f" / The bracket must start at unit {previous + 1}: no overlap, no gap."
            )
            break
        up_to = bracket.get("up_to")
        last = i == len(brackets) - 1
        if up_to is None:
            if not last:
                errors[key] = "只有最后一个阶梯可以不设上限 / Only the last bracket is open."
                break
            continue
        if not isinstance(up_to, int) or isinstance(up_to, bool) or up_to <= previous:
            errors[key] = (
                f"上限应大于 {previous}，阶梯不得重叠 / The upper bound must exceed {previous}:"
                " brackets may not overlap."
            )
            break
        if last:
            errors[key] = "最后一个阶梯不设上限（null） / The last bracket is open (null)."
            break
        previous = up_to
    return errors


def _rate(value: object) -> Decimal | None:
    """A unit rate given as a string or a number; None when it is not an amount ≥ 0."""
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
        return None
    try:
        rate = Decimal(str(value))
    except ArithmeticError:
        return None
    return rate if rate.is_finite() and rate >= 0 else None


# --- per-unit commission (R-UNIT-2/3) ---------------------------------------------------------


@dataclass(frozen=True)
class Bracket:
    """Positions ``first``..``last`` (None: open) of the year's cumulative count at ``rate``."""

    first: int
    last: int | None
    rate: Decimal


@dataclass(frozen=True)
class UnitScheme:
    base_target: int
    below_target_rate: Decimal
    brackets: tuple[Bracket, ...]

    @classmethod
    def of(cls, scheme: dict[str, object]) -> UnitScheme:
        """From a scheme that :func:`unit_scheme_errors` accepts."""
        brackets: list[Bracket] = []
        first = 1
        for raw in scheme["brackets"]:  # type: ignore[attr-defined]
            up_to = raw.get("up_to")
            brackets.append(Bracket(first, up_to, Decimal(str(raw["rate"]))))
            first = (up_to or 0) + 1
        return cls(
            int(scheme["base_target"]),  # type: ignore[call-overload]
            Decimal(str(scheme["below_target_rate"])),
            tuple(brackets),
        )

    def ladder(self, first: int, last: int) -> list[tuple[int, Decimal]]:
        """The positions first..last split by bracket: [(count, rate)], in order."""
        out: list[tuple[int, Decimal]] = []
        for b in self.brackets:
            lo, hi = max(first, b.first), last if b.last is None else min(last, b.last)
            if lo <= hi:
                out.append((hi - lo + 1, b.rate))
        return out


# R-UNIT-3: quality deductions on a month's unit amount.
COMPLAINT_LIMIT = Decimal("0.08")
NPS_FLOOR = Decimal("65")
COMPLAINT_DEDUCTION = Decimal("0.10")
NPS_DEDUCTION = Decimal("0.15")


@dataclass(frozen=True)
class UnitMonth:
    units: int
    cumulative: int  # the year's count after this month
    gross: Decimal  # the month's units priced by position
    deduction_rate: Decimal
    amount: Decimal  # gross less the deduction, rounded half-up to 0.01
    true_up: Decimal  # 0 unless the count reaches the base target this month
    explanation: tuple[Step, ...]
    true_up_explanation: tuple[Step, ...]


def _count(n: int) -> str:
    return f"{n:,}"


def price_month(
    scheme: UnitScheme,
    cumulative_before: int,
    units: int,
    *,
    complaint_rate: Decimal | None = None,
    nps: Decimal | None = None,
) -> UnitMonth:
    """R-UNIT-2/3: the month's units priced by their position in the year's cumulative count —
    positions up to the base target B at the rate below target r0, positions above B at their
    bracket's rate; in the month the count reaches B, a true-up of what positions 1..B earn on
    the ladder above r0 (B × (first bracket − r0) when the first bracket covers B). Complaint
    rate above 8% takes 10% off the month's amount, NPS below 65 takes 15%, both 25%; never the
    true-up. Seed 002: Jan 3,000 units, complaints 9% → 600,000.00 − 10% = 540,000.00."""
    if units < 0 or cumulative_before < 0:
        raise ValueError("units are counted from zero")
    first, last = cumulative_before + 1, cumulative_before + units
    base = scheme.base_target
    r0 = scheme.below_target_rate
    parts: list[tuple[int, Decimal]] = []
    if units and first <= base:
        parts.append((min(last, base) - first + 1, r0))
    if units and last > base:
        parts.extend(scheme.ladder(max(first, base + 1), last))
    gross = sum((n * rate for n, rate in parts), Decimal(0))
    terms = " + ".join(f"{_count(n)} × {rate.normalize():f}" for n, rate in parts) or "0"
    steps = [
        Step(f"本月 {_count(units)} 件，累计第 {_count(first)}–{_count(last)} 件："
             f"{terms} = {yuan(gross)}",
             f"{_count(units)} units this month, positions {_count(first)}–{_count(last)} of the "
             f"year: {terms} = {yuan(gross)}"),
    ]  # fmt: skip
    high_complaints = complaint_rate is not None and complaint_rate > COMPLAINT_LIMIT
    low_nps = nps is not None and nps < NPS_FLOOR
    deduction = (COMPLAINT_DEDUCTION if high_complaints else Decimal(0)) + (
        NPS_DEDUCTION if low_nps else Decimal(0)
    )
    if high_complaints:
        rate = pct(complaint_rate or Decimal(0))
        steps.append(Step(f"投诉率 {rate} 高于 8% → 扣 10%",
                          f"complaint rate {rate} above 8% → −10%"))  # fmt: skip
    if low_nps:
        score = f"{(nps or Decimal(0)).normalize():f}"
        steps.append(Step(f"NPS {score} 低于 65 → 扣 15%", f"NPS {score} below 65 → −15%"))
    amount = (gross * (1 - deduction)).quantize(FEN, rounding=ROUND_HALF_UP)
    if deduction:
        steps.append(Step(f"{yuan(gross)} × (1 − {pct(deduction)}) = {yuan(amount)}",
                          f"{yuan(gross)} × (1 − {pct(deduction)}) = {yuan(amount)}"))  # fmt: skip
    true_up = Decimal(0)
    true_up_steps: list[Step] = []
    if units and cumulative_before < base <= last:
        lifted = [(n, rate - r0) for n, rate in scheme.ladder(1, base)]
        true_up = sum((n * d for n, d in lifted), Decimal(0)).quantize(FEN, rounding=ROUND_HALF_UP)
        terms = " + ".join(f"{_count(n)} × {d.normalize():f}" for n, d in lifted)
        true_up_steps.append(
            Step(f"本月累计达到基础目标 {_count(base)} 件：前 {_count(base)} 件补足阶梯价与目标以下"
                 f"单价之差 {terms} = {yuan(true_up)}",
                 f"the count reaches the base target {_count(base)} this month: the first "
                 f"{_count(base)} units are lifted to the ladder price, {terms} = {yuan(true_up)}")
        )  # fmt: skip
    return UnitMonth(
        units, last, gross, deduction, amount, true_up, tuple(steps), tuple(true_up_steps)
    )


def ladder_price(scheme: UnitScheme, count: int) -> Decimal:
    """The year's price of ``count`` units on the ladder alone (no r0, no deductions)."""
    return sum((n * rate for n, rate in scheme.ladder(1, count)), Decimal(0))
