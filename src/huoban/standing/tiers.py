"""The tier rules (合作梯度, SPEC §8) as pure functions over plain values — no ORM.

The services in :mod:`huoban.standing.tier_services` gather the facts (year-to-date signed,
valid leads per month, the latest violation, the last activity) and call these; every answer
carries bilingual :class:`~huoban.explain.Step` lines so a partner can follow it.

Interpretations (docs/decisions.md, "Tiers"):

- Year-to-date signed = contract amounts of the partner's projects signed from 1 January of
  the date's year up to and including the date, cancelled projects excluded.
- "≥ 6 valid leads in the last 3 complete months (2 a month)" = at least 2 valid leads
  *submitted* in *each* of the 3 complete calendar months before the date's month (seed: 月度
  稳定输出有效线索 ≥ 2 条). 5 in one month and 1 in another does not qualify.
- "No violation in the last 12 months" = no violation that occurred after the same day 12
  months earlier (a violation exactly 12 months old no longer blocks).
- Retention grace runs from 1 January to 31 March (3 months) of the cycle year; the partner is
  retained if year-to-date signed meets its tier's threshold on any day up to 31 March, and is
  marked lapsed from 1 April.
- Inactivity: 12 months after the last activity the partner returns to light, but never less
  than 30 days after its notice; the notice goes out 30 days before that date.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from huoban.explain import Step, yuan
from huoban.money import ZERO, cny
from huoban.vocabulary import Tier

LIGHT, DEEP, STRATEGIC = Tier.LIGHT.value, Tier.DEEP.value, Tier.STRATEGIC.value
ORDER: Mapping[str, int] = {LIGHT: 0, DEEP: 1, STRATEGIC: 2}
NAMES: Mapping[str, str] = {LIGHT: "轻协同", DEEP: "深度协同", STRATEGIC: "战略伙伴"}

THRESHOLDS: Mapping[str, Decimal] = {
    LIGHT: ZERO,
    DEEP: Decimal("500000.00"),
    STRATEGIC: Decimal("3000000.00"),
}
DEEP_LEADS_PER_MONTH = 2
DEEP_LEAD_MONTHS = 3
VIOLATION_MONTHS = 12
GRACE_END_MONTH, GRACE_END_DAY = 3, 31
INACTIVITY_MONTHS = 12
NOTICE_DAYS = 30
APPLICATION_DECISION_BUSINESS_DAYS = 5

Month = tuple[int, int]


def _label(tier: str) -> str:
    return f"{NAMES[tier]}({tier})"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def complete_months_before(day: dt.date, n: int = DEEP_LEAD_MONTHS) -> list[Month]:
    """The `n` complete calendar months before `day`'s month, oldest first."""
    first = add_months(day.replace(day=1), -n)
    return [(m.year, m.month) for m in (add_months(first, i) for i in range(n))]


def month_start(month: Month) -> dt.date:
    return dt.date(month[0], month[1], 1)


def violation_window_start(day: dt.date) -> dt.date:
    """A violation on or before this date no longer blocks deep entry on `day` (R-VIOL-2)."""
    return add_months(day, -VIOLATION_MONTHS)


def grace_end(year: int) -> dt.date:
    """The last day of the retention grace of the cycle starting 1 January `year` (R-TIER-3)."""
    return dt.date(year, GRACE_END_MONTH, GRACE_END_DAY)


@dataclass(frozen=True)
class Qualification:
    """The highest tier whose entry a partner meets, and why."""

    tier: str
    explanation: tuple[Step, ...]


def qualifying_tier(
    *,
    day: dt.date,
    ytd_signed: Decimal,
    valid_leads_by_month: Mapping[Month, int],
    last_violation_on: dt.date | None,
    strategic_approved: bool = False,
) -> Qualification:
    """The highest tier whose entry is met on `day` (SPEC §8 table)."""
    ytd = cny(ytd_signed)
    steps = [
        Step(
            f"{day.year}-01-01 至 {day.isoformat()} 签约额（不含已取消）{yuan(ytd)} 元",
            f"signed {day.year}-01-01 to {day.isoformat()} (cancelled excluded): {yuan(ytd)}",
        )
    ]
    strategic_line = THRESHOLDS[STRATEGIC]
    if ytd >= strategic_line:
        steps.append(
            Step(
                f"{yuan(ytd)} ≥ {yuan(strategic_line)}，直接达到战略伙伴",
                f"{yuan(ytd)} ≥ {yuan(strategic_line)}: strategic, immediately",
            )
        )
        return Qualification(STRATEGIC, tuple(steps))
    if strategic_approved:
        steps.append(Step("战略伙伴申请已获批", "strategic application approved"))
        return Qualification(STRATEGIC, tuple(steps))

    deep_line = THRESHOLDS[DEEP]
    meets_amount = ytd >= deep_line
    steps.append(
        Step(
            f"签约额 {yuan(ytd)} {'≥' if meets_amount else '<'} 深度协同门槛 {yuan(deep_line)}",
            f"signed {yuan(ytd)} {'≥' if meets_amount else '<'} deep threshold {yuan(deep_line)}",
        )
    )
    months = complete_months_before(day)
    counts = [(m, int(valid_leads_by_month.get(m, 0))) for m in months]
    meets_leads = all(c >= DEEP_LEADS_PER_MONTH for _, c in counts)
    listing = ", ".join(f"{y}-{m:02d}: {c}" for (y, m), c in counts)
    steps.append(
        Step(
            f"近 3 个完整月有效线索（每月须 ≥ {DEEP_LEADS_PER_MONTH} 条）{listing} → "
            f"{'满足' if meets_leads else '不满足'}",
            f"valid leads in the last 3 complete months (≥ {DEEP_LEADS_PER_MONTH} each): "
            f"{listing} → {'met' if meets_leads else 'not met'}",
        )
    )
    window = violation_window_start(day)
    blocked = last_violation_on is not None and last_violation_on > window
    if blocked:
        steps.append(
            Step(
                f"{last_violation_on} 有违规记录（{window} 之后），12 个月内不得进入深度协同",
                f"violation on {last_violation_on} (after {window}): no deep entry for 12 months",
            )
        )
    else:
        steps.append(
            Step(f"{window} 之后无违规记录", f"no violation after {window}"),
        )
    if meets_amount and meets_leads and not blocked:
        steps.append(Step("满足深度协同准入", "deep entry met"))
        return Qualification(DEEP, tuple(steps))
    steps.append(Step("保持轻协同准入", "light entry only"))
    return Qualification(LIGHT, tuple(steps))


def next_tier(tier: str) -> str | None:
    above = [t for t, rank in ORDER.items() if rank == ORDER[tier] + 1]
    return above[0] if above else None


def progress(tier: str, ytd_signed: Decimal) -> tuple[str | None, Decimal]:
    """The next tier up and the signed amount still missing to its threshold (0.00 if met)."""
    upper = next_tier(tier)
    if upper is None:
        return None, ZERO
    return upper, max(ZERO, cny(THRESHOLDS[upper] - cny(ytd_signed)))


def is_upward(current: str, candidate: str) -> bool:
    """Promotion only ever goes up (R-TIER-1)."""
    return ORDER[candidate] > ORDER[current]


# --- retention (R-TIER-3) --------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionStart:
    enters_grace: bool
    grace_until: dt.date | None
    explanation: tuple[Step, ...]


def retention_start(tier: str, previous_year_signed: Decimal, year: int) -> RetentionStart:
    """On 1 January `year`: grace if the previous year's signed is below the tier's threshold."""
    line = THRESHOLDS[tier]
    signed = cny(previous_year_signed)
    if ORDER[tier] == 0 or signed >= line:
        return RetentionStart(
            False,
            None,
            (
                Step(
                    f"{year - 1} 年签约额 {yuan(signed)} ≥ {_label(tier)}门槛 {yuan(line)}，"
                    "无需保级",
                    f"{year - 1} signed {yuan(signed)} ≥ {tier} threshold {yuan(line)}: "
                    "no retention needed",
                ),
            ),
        )
    until = grace_end(year)
    return RetentionStart(
        True,
        until,
        (
            Step(
                f"{year - 1} 年签约额 {yuan(signed)} < {_label(tier)}门槛 {yuan(line)}，"
                f"进入保级缓冲期至 {until}",
                f"{year - 1} signed {yuan(signed)} < {tier} threshold {yuan(line)}: "
                f"grace until {until}",
            ),
        ),
    )


@dataclass(frozen=True)
class GraceOutcome:
    """`state` is 'grace' (nothing yet), 'retained', 'retention_lapsed' or 'demoted'."""

    state: str
    tier: str
    explanation: tuple[Step, ...]


def grace_outcome(
    *,
    tier: str,
    ytd_signed: Decimal,
    day: dt.date,
    grace_until: dt.date,
    demote_after_grace: bool,
    qualifying: str,
) -> GraceOutcome:
    """During grace: retained once YTD meets the threshold; after it, lapsed (or demoted)."""
    line = THRESHOLDS[tier]
    ytd = cny(ytd_signed)
    if ytd >= line:
        return GraceOutcome(
            "retained",
            tier,
            (
                Step(
                    f"缓冲期内 {day.year} 年签约额 {yuan(ytd)} ≥ {yuan(line)}，本周期保级成功",
                    f"within grace, {day.year} signed {yuan(ytd)} ≥ {yuan(line)}: "
                    "retained for this cycle",
                ),
            ),
        )
    if day <= grace_until:
        return GraceOutcome("grace", tier, ())
    unmet = Step(
        f"缓冲期至 {grace_until} 结束，签约额 {yuan(ytd)} < {yuan(line)}",
        f"grace ended {grace_until}; signed {yuan(ytd)} < {yuan(line)}",
    )
    if demote_after_grace and ORDER[qualifying] < ORDER[tier]:
        return GraceOutcome(
            "demoted",
            qualifying,
            (
                unmet,
                Step(
                    f"政策开关 demote_after_grace 开启：调整为满足的最高梯度 {_label(qualifying)}",
                    f"policy switch demote_after_grace on: moved to the highest tier met, "
                    f"{qualifying}",
                ),
            ),
        )
    return GraceOutcome(
        "retention_lapsed",
        tier,
        (
            unmet,
            Step(
                "不自动降级，保留梯度并标记为保级未达标",
                "no automatic demotion: tier kept, marked retention_lapsed",
            ),
        ),
    )


# --- inactivity (R-TIER-4) -------------------------------------------------------------------


@dataclass(frozen=True)
class Inactivity:
    """`action` is None, 'notice' or 'light'; `light_on` is when the partner returns to light."""

    action: str | None
    light_on: dt.date
    explanation: tuple[Step, ...]


def inactivity(
    *, tier: str, last_activity: dt.date, day: dt.date, notice_on: dt.date | None
) -> Inactivity:
    """12 months without activity return a partner to light, with 30 days' notice."""
    due = add_months(last_activity, INACTIVITY_MONTHS)
    active_notice = notice_on is not None and notice_on > last_activity
    if active_notice:
        assert notice_on is not None
        due = max(due, notice_on + dt.timedelta(days=NOTICE_DAYS))
    if ORDER[tier] == 0:
        return Inactivity(None, due, ())
    since = Step(
        f"最近活跃日 {last_activity}（有效线索、签约或梯度生效），"
        f"连续 12 个月无活跃将于 {due} 回到轻协同",
        f"last activity {last_activity} (valid lead, signing or tier start); "
        f"12 months without activity returns the partner to light on {due}",
    )
    if active_notice:
        if day >= due:
            return Inactivity(
                "light",
                due,
                (since, Step(f"已于 {notice_on} 提前通知", f"notice given on {notice_on}")),
            )
        return Inactivity(None, due, ())
    if day >= due - dt.timedelta(days=NOTICE_DAYS):
        due = max(due, day + dt.timedelta(days=NOTICE_DAYS))
        return Inactivity(
            "notice",
            due,
            (
                Step(
                    f"最近活跃日 {last_activity}，如无有效线索或签约，将于 {due} 回到轻协同",
                    f"last activity {last_activity}: without a valid lead or a signing, "
                    f"the partner returns to light on {due}",
                ),
            ),
        )
    return Inactivity(None, due, ())
