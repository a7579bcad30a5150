"""The scorecard rule (SPEC §10.7, R-KPI-2) as pure functions over plain values.

No ORM: the service books what it returns, the property tests check it. Each score carries its
explanation in Chinese and English, like the commission entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from huoban.agreements.rules import add_months
from huoban.explain import Step

CAP = Decimal(150)
HUNDRED = Decimal(100)
TENTH = Decimal("0.1")
DIRECTIONS = ("higher", "lower")
DIMENSIONS = ("business", "customer", "operations", "custom")
#: R-KPI-2's bands, the lowest bound first met from the top.
BANDS = ((Decimal(120), "excellent"), (Decimal(100), "good"), (Decimal(80), "qualified"))
BAND_ZH = {"excellent": "优秀", "good": "良好", "qualified": "合格", "unqualified": "不合格"}


@dataclass(frozen=True)
class Kpi:
    name: str
    direction: str  # "higher" or "lower" is better
    target: Decimal  # > 0
    actual: Decimal  # ≥ 0
    weight: Decimal = Decimal(1)


@dataclass(frozen=True)
class KpiScore:
    name: str
    score: Decimal  # unrounded, capped
    shown: Decimal  # rounded half-up to 0.1
    step: Step


@dataclass(frozen=True)
class Scorecard:
    items: tuple[KpiScore, ...]
    total: Decimal  # rounded half-up to 0.1, from the unrounded scores
    band: str
    explanation: tuple[Step, ...]


def _shown(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def kpi_score(kpi: Kpi) -> KpiScore:
    """R-KPI-2: `higher` actual ÷ target × 100, `lower` target ÷ actual × 100 (actual 0 → the
    cap), capped at 150."""
    if kpi.target <= 0 or kpi.actual < 0 or kpi.direction not in DIRECTIONS:
        raise ValueError("a KPI has a target above 0, an actual of 0 or more and a direction")
    if kpi.direction == "higher":
        raw = kpi.actual / kpi.target * HUNDRED
        formula = f"{_plain(kpi.actual)} ÷ {_plain(kpi.target)} × 100"
    elif kpi.actual == 0:
        raw = CAP
        formula = "实际为 0 → 封顶 / actual 0 → the cap"
    else:
        raw = kpi.target / kpi.actual * HUNDRED
        formula = f"{_plain(kpi.target)} ÷ {_plain(kpi.actual)} × 100"
    score = min(raw, CAP)
    capped = f"（{_shown(raw)} 封顶 150）" if raw > CAP else ""
    capped_en = f" ({_shown(raw)} capped at 150)" if raw > CAP else ""
    step = Step(
        f"{kpi.name}：{formula} = {_shown(score)}{capped}",
        f"{kpi.name}: {formula} = {_shown(score)}{capped_en}",
    )
    return KpiScore(kpi.name, score, _shown(score), step)


def band_of(total: Decimal) -> str:
    """R-KPI-2: ≥ 120 excellent, 100–120 good, 80–100 qualified, below 80 unqualified — read on
    the displayed (rounded) total."""
    for bound, band in BANDS:
        if total >= bound:
            return band
    return "unqualified"


def score_card(kpis: Sequence[Kpi]) -> Scorecard:
    """R-KPI-2: the weighted mean of the capped scores, rounded half-up to 0.1 from the
    unrounded scores; the band follows the rounded total. Seed 002 (equal weights) → 129.7
    `excellent`; weights 3, 1, 1, 1, 1, 1 → 126.3."""
    if not kpis:
        raise ValueError("a scorecard has at least one KPI")
    weight = sum((k.weight for k in kpis), Decimal(0))
    if weight <= 0 or any(k.weight < 0 for k in kpis):
        raise ValueError("weights are 0 or more and not all 0")
    items = tuple(kpi_score(k) for k in kpis)
    weighted = sum((k.weight * i.score for k, i in zip(kpis, items, strict=True)), Decimal(0))
    total = _shown(weighted / weight)
    band = band_of(total)
    equal = len({k.weight for k in kpis}) == 1
    mean = (
        Step(
            f"总分 = 各项得分平均 = {total}",
            f"total = mean of the scores = {total}",
        )
        if equal
        else Step(
            f"总分 = Σ(权重 × 得分) ÷ Σ权重 = {_shown(weighted)} ÷ {_plain(weight)} = {total}",
            f"total = Σ(weight × score) / Σweight = {_shown(weighted)} / {_plain(weight)} "
            f"= {total}",
        )
    )
    verdict = Step(f"{total} → {BAND_ZH[band]}", f"{total} → {band}")
    return Scorecard(items, total, band, (*(i.step for i in items), mean, verdict))


# --- crisis triggers on a scorecard (R-CRIS-1/2/5) ---------------------------------------------

#: R-CRIS-1: the primary KPI below 60% of its target (its uncapped score below 60).
DROP_SCORE = Decimal(60)
#: R-CRIS-2: the complaint-rate KPI above 10 (percent, as entered: 3.2 for 3.2%).
COMPLAINTS_LIMIT = Decimal(10)
#: R-KPI-2 / R-CRIS-5: a total below 80 opens a remediation case.
UNQUALIFIED_BELOW = Decimal(80)


@dataclass(frozen=True)
class Triggered:
    trigger: str
    reason: Step


def achievement(kpi: Kpi) -> Decimal:
    """A KPI's uncapped score: `higher` actual ÷ target × 100, `lower` target ÷ actual × 100."""
    if kpi.direction == "higher":
        return kpi.actual / kpi.target * HUNDRED
    return CAP if kpi.actual == 0 else kpi.target / kpi.actual * HUNDRED


def triggers(
    kpis: Sequence[Kpi],
    *,
    total: Decimal,
    primary: int | None,
    complaint_rate: int | None,
    previous_primary: Kpi | None,
) -> list[Triggered]:
    """The cases a month's scorecard opens (R-CRIS-1/2/5): the primary KPI below 60% of its
    target this month and the month before (`performance_drop`); the complaint-rate KPI above
    10% (`complaints`); a total below 80 (`unqualified`). Each boundary is excluded: at 60%, at
    10% and at 80 nothing opens."""
    out: list[Triggered] = []
    if primary is not None and previous_primary is not None:
        now, before = achievement(kpis[primary]), achievement(previous_primary)
        if now < DROP_SCORE and before < DROP_SCORE:
            name = kpis[primary].name
            out.append(
                Triggered(
                    "performance_drop",
                    Step(
                        f"主要指标“{name}”连续两个月低于目标 60%（上月 {_shown(before)}，"
                        f"本月 {_shown(now)}）",
                        f"the primary KPI “{name}” below 60% of its target two months running "
                        f"({_shown(before)}, then {_shown(now)})",
                    ),
                )
            )
    if complaint_rate is not None and kpis[complaint_rate].actual > COMPLAINTS_LIMIT:
        rate = _plain(kpis[complaint_rate].actual)
        out.append(
            Triggered(
                "complaints",
                Step(
                    f"投诉率 {rate}% 超过 10%：暂停新业务，直至事件关闭",
                    f"complaint rate {rate}% above 10%: new business paused until the case closes",
                ),
            )
        )
    if total < UNQUALIFIED_BELOW:
        out.append(
            Triggered(
                "unqualified",
                Step(f"总分 {total} 低于 80：不合格，整改", f"total {total} below 80: remediation"),
            )
        )
    return out


#: R-CRIS-5 / R-AGR-4: the primary KPI below 50% of its target in two consecutive quarters.
EXIT_SCORE = Decimal(50)


def quarter_score(monthly: Sequence[Decimal]) -> Decimal | None:
    """A quarter's primary-KPI achievement (R-CRIS-5): the mean of its three months' uncapped
    scores (:func:`achievement`); None until all three months are scored (D-CRIS-5)."""
    if len(monthly) != 3:
        return None
    return sum(monthly, Decimal(0)) / 3


def performance_exit(name: str, quarters: Sequence[tuple[str, Decimal | None]]) -> Triggered | None:
    """R-CRIS-5: the primary KPI below 50% of its target in the two quarters given (the earlier
    first) → a notice that either side may end the agreement without compensation (R-AGR-4).
    At exactly 50% nothing opens; an unscored quarter decides nothing."""
    if len(quarters) != 2 or any(score is None for _label, score in quarters):
        return None
    (before_label, before), (now_label, now) = quarters
    assert before is not None and now is not None
    if not (before < EXIT_SCORE and now < EXIT_SCORE):
        return None
    return Triggered(
        "performance_exit",
        Step(
            f"主要指标“{name}”连续两个季度低于目标 50%（{before_label} {_shown(before)}，"
            f"{now_label} {_shown(now)}）：任一方可书面通知无补偿终止协议（R-AGR-4）",
            f"the primary KPI “{name}” below 50% of its target two quarters running "
            f"({before_label} {_shown(before)}, {now_label} {_shown(now)}): either side may end "
            "the agreement without compensation (R-AGR-4)",
        ),
    )


# --- health (R-HLTH-1) -------------------------------------------------------------------------

HEALTH_DIMENSIONS = ("trust", "communication", "benefit", "risk", "long_term")
HEALTH_ZH = {"trust": "信任程度", "communication": "沟通效率", "benefit": "利益分配",
             "risk": "风险可控", "long_term": "长期价值"}  # fmt: skip
HEALTH_VALUES = {"excellent": 5, "good": 4, "medium": 3, "poor": 2, "bad": 1, "pending": None}
COLOUR_ZH = {"green": "良好", "amber": "关注", "red": "危险"}


@dataclass(frozen=True)
class Health:
    overall: Decimal
    colour: str  # green ≥ 4.0, amber 3.0–3.9, red < 3.0
    explanation: tuple[Step, ...]


def health(ratings: dict[str, str]) -> Health:
    """R-HLTH-1: the mean of the scored dimensions (`pending` is not scored), rounded half-up
    to 0.1; ≥ 4.0 green, 3.0–3.9 amber, < 3.0 red. Seed 001's 极峰科技: good, excellent,
    pending, medium, excellent → 17 ÷ 4 = 4.3 green."""
    if set(ratings) != set(HEALTH_DIMENSIONS) or any(
        v not in HEALTH_VALUES for v in ratings.values()
    ):
        raise ValueError("each of the five dimensions rated excellent…bad or pending")
    scored = [(d, HEALTH_VALUES[ratings[d]]) for d in HEALTH_DIMENSIONS]
    values = [v for _d, v in scored if v is not None]
    if not values:
        raise ValueError("at least one dimension is scored")
    total = sum(values)
    overall = _shown(Decimal(total) / len(values))
    colour = "green" if overall >= 4 else "amber" if overall >= 3 else "red"
    zh = " + ".join(f"{HEALTH_ZH[d]} {v}" for d, v in scored if v is not None)
    en = " + ".join(f"{d.replace('_', ' ')} {v}" for d, v in scored if v is not None)
    skipped = [d for d, v in scored if v is None]
    steps = [
        Step(f"{zh} = {total}", f"{en} = {total}"),
        Step(
            f"{total} ÷ {len(values)} = {overall}（四舍五入到 0.1）",
            f"{total} / {len(values)} = {overall} (rounded half-up to 0.1)",
        ),
    ]
    if skipped:
        steps.insert(
            0,
            Step(
                "待定不计分：" + "、".join(HEALTH_ZH[d] for d in skipped),
                "pending, not scored: " + ", ".join(d.replace("_", " ") for d in skipped),
            ),
        )
    steps.append(Step(f"{overall} → {COLOUR_ZH[colour]}", f"{overall} → {colour}"))
    return Health(overall, colour, tuple(steps))


# --- the risk register (R-RISK-1) ---------------------------------------------------------------

#: A high risk needs its response within 5 business days (需立即处理).
HIGH_RESPONSE_BUSINESS_DAYS = 5
#: Medium risks are reviewed monthly, low ones quarterly.
REVIEW_MONTHS = {"medium": 1, "low": 3}
#: R-HLTH-2: a fall of 1.0 or more from the month before adds a review item.
HEALTH_FALL = Decimal("1.0")


def health_review_due(colour: str, overall: Decimal, previous: Decimal | None) -> Step | None:
    """R-HLTH-2: red, or a fall of 1.0 or more from the previous month, puts a review item on
    the partner's risk register; the reason, or None."""
    if colour == "red":
        return Step(f"健康度 {overall} 为红色（危险）", f"health {overall} is red")
    if previous is not None and previous - overall >= HEALTH_FALL:
        return Step(
            f"健康度较上月下降 {_plain(previous - overall)}（{previous} → {overall}）",
            f"health fell {_plain(previous - overall)} from the month before ({previous} → "
            f"{overall})",
        )
    return None


# --- meetings (R-MEET-1) -------------------------------------------------------------------------

MEETING_KINDS = ("executive", "business", "commercial", "workshop", "project", "other")
#: R-MEET-1: by criticality grade, each meeting kind and its cadence in months.
CADENCES: dict[str, tuple[tuple[str, int], ...]] = {
    "S": (("executive", 3), ("business", 1), ("workshop", 6)),
    "A": (("business", 1), ("commercial", 3)),
    "B": (("business", 3),),
    "C": (),
}
#: A co-delivery partner on an active project meets weekly.
PROJECT_MEETING_DAYS = 7


@dataclass(frozen=True)
class Due:
    kind: str
    every: str  # "1 month", "3 months", "1 week" — for display
    last: dt.date | None
    next_due: dt.date
    overdue: bool


def meeting_schedule(
    grade: str | None,
    co_delivering_since: dt.date | None,
    last_by_kind: dict[str, dt.date],
    since: dt.date,
    today: dt.date,
) -> list[Due]:
    """R-MEET-1/2: the meetings a partner's grade (and an active co-delivery) require, each due
    one cadence after the last meeting of its kind — or, when there has been none, from
    ``since`` (the day it was graded) or the day the co-delivery began; overdue when that date
    has passed."""
    out: list[Due] = []
    for kind, months in CADENCES.get(grade or "C", ()):
        last = last_by_kind.get(kind)
        due = add_months(last or since, months)
        out.append(Due(kind, f"{months} month", last, due, due < today))
    if co_delivering_since is not None:
        last = last_by_kind.get("project")
        due = (last or co_delivering_since) + dt.timedelta(days=PROJECT_MEETING_DAYS)
        out.append(Due("project", "1 week", last, due, due < today))
    return out


def shown(value: Decimal) -> Decimal:
    """A score as displayed: rounded half-up to 0.1."""
    return _shown(value)
