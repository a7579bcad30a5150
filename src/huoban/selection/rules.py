"""The trial decision (SPEC §10.3, R-SEL-3) and the stage order (R-SEL-2) as pure functions.

No ORM. Seed 002's three insurers: criteria conversion ≥ 15%, NPS ≥ 70, complaints ≤ 5%,
response ≤ 24 h; 众安在线 21%, 76, 2.8%, 12 h → sign; 泰康在线 16%, 71, 5.1%, 20 h → extend;
蔕来保 18%, 68, 6.8%, 28 h → stop.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from huoban.explain import Step

# R-SEL-2: the stages in order; a candidate moves one step at a time.
STAGES = ("sourced", "screened", "nda", "due_diligence", "trial")
DECISIONS = ("sign", "extend", "stop")


def next_stage(current: str) -> str | None:
    """The stage after ``current`` (None after the trial: the decision ends it)."""
    if current not in STAGES:
        return None
    at = STAGES.index(current)
    return STAGES[at + 1] if at + 1 < len(STAGES) else None


@dataclass(frozen=True)
class Criterion:
    metric: str
    op: str  # "gte" or "lte"
    threshold: Decimal
    unit: str = ""

    def fails(self, actual: Decimal) -> bool:
        """``gte`` fails when actual < threshold, ``lte`` when actual > threshold."""
        return actual < self.threshold if self.op == "gte" else actual > self.threshold


@dataclass(frozen=True)
class TrialDecision:
    failed: tuple[str, ...]
    decision: str
    explanation: tuple[Step, ...]


def trial_decision(
    criteria: Sequence[Criterion], results: Mapping[str, Decimal], *, second_trial: bool = False
) -> TrialDecision:
    """R-SEL-3: count the criteria the results fail. None → ``sign``; exactly one → ``extend``
    (one more trial, once only: in the second trial any failure → ``stop``); two or more →
    ``stop``. Every criterion needs its result."""
    missing = [c.metric for c in criteria if c.metric not in results]
    if missing:
        raise ValueError(f"results missing for {missing}")
    steps: list[Step] = []
    failed: list[str] = []
    for c in criteria:
        actual = results[c.metric]
        sign = "≥" if c.op == "gte" else "≤"
        ok = not c.fails(actual)
        if not ok:
            failed.append(c.metric)
        mark_zh, mark_en = ("达标", "met") if ok else ("未达标", "failed")
        steps.append(
            Step(f"{c.metric}：实际 {actual.normalize():f}{c.unit}，要求 {sign} "
                 f"{c.threshold.normalize():f}{c.unit} → {mark_zh}",
                 f"{c.metric}: actual {actual.normalize():f}{c.unit}, required {sign} "
                 f"{c.threshold.normalize():f}{c.unit} → {mark_en}")
        )  # fmt: skip
    n = len(failed)
    if n == 0:
        decision = "sign"
    elif n == 1 and not second_trial:
        decision = "extend"
    else:
        decision = "stop"
    rule_zh = {
        "sign": "全部达标 → 签约",
        "extend": "恰有 1 项未达标 → 延长试点 3 个月（仅一次）",
        "stop": "第二次试点仍有未达标项 → 终止"
        if second_trial and n
        else "2 项及以上未达标 → 终止",
    }[decision]
    rule_en = {
        "sign": "every criterion met → sign",
        "extend": "exactly one failed → extend the trial by 3 months (once only)",
        "stop": "a failure in the second trial → stop"
        if second_trial and n
        else "two or more failed → stop",
    }[decision]
    steps.append(Step(f"未达标 {n} 项：{rule_zh}", f"{n} failed: {rule_en}"))
    return TrialDecision(tuple(failed), decision, tuple(steps))
