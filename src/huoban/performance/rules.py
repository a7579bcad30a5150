"""The scorecard rule (SPEC §10.7, R-KPI-2) as pure functions over plain values.

No ORM: the service books what it returns, the property tests check it. Each score carries its
explanation in Chinese and English, like the commission entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

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
