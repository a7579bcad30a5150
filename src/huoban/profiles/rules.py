"""The criticality rule (SPEC §10.2, R-CRIT-1) and the assessment score (R-ASM-1) as pure
functions over plain values.

No ORM: the service, the API and the property tests call it. The result carries its explanation
in Chinese and English, step by step, like the commission entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from huoban.assessing import (  # noqa: F401  (the profiles' rules, re-exported)
    CAPABILITY,
    DIMENSION_ZH,
    DIMENSIONS,
    TENTH,
    WILLINGNESS,
    Scored,
    assessment_score,
    trend,
)
from huoban.explain import Step, yuan

GRADES = ("C", "B", "A", "S")  # lowest first: a step up is the next one
SUBSTITUTABILITY = ("hard", "normal", "easy")
INVESTMENT = ("high", "medium", "low")
_SUBSTITUTABILITY_ZH = {"hard": "难以替代", "normal": "一般", "easy": "容易替代"}


def base_grade(strategic_value: int) -> str:
    """R-CRIT-1: ★5 → S, ★3–4 → A, ★2 → B, ★1 → C."""
    if strategic_value not in range(1, 6):
        raise ValueError(f"strategic value must be 1–5, not {strategic_value!r}")
    return {5: "S", 4: "A", 3: "A", 2: "B", 1: "C"}[strategic_value]


@dataclass(frozen=True)
class Criticality:
    grade: str
    explanation: tuple[Step, ...]


def criticality(strategic_value: int, substitutability: str) -> Criticality:
    """The grade from strategic value (1–5 stars) and substitutability: ``hard`` raises the base
    grade one step (S stays S), ``easy`` lowers it one (C stays C), ``normal`` keeps it."""
    if substitutability not in SUBSTITUTABILITY:
        raise ValueError(f"substitutability must be one of {SUBSTITUTABILITY}")
    base = base_grade(strategic_value)
    at = GRADES.index(base)
    steps = [Step(f"战略价值 {strategic_value} 星 → 基础等级 {base}",
                  f"strategic value {strategic_value} stars → base grade {base}")]  # fmt: skip
    zh = _SUBSTITUTABILITY_ZH[substitutability]
    if substitutability == "hard":
        grade = GRADES[min(at + 1, len(GRADES) - 1)]
        change = "上调一级" if grade != base else "已是最高级 S，不变"
        change_en = "one grade up" if grade != base else "already S, unchanged"
    elif substitutability == "easy":
        grade = GRADES[max(at - 1, 0)]
        change = "下调一级" if grade != base else "已是最低级 C，不变"
        change_en = "one grade down" if grade != base else "already C, unchanged"
    else:
        grade, change, change_en = base, "不变", "unchanged"
    steps.append(Step(f"可替代性：{zh}，{change} → {grade}",
                      f"substitutability {substitutability}: {change_en} → {grade}"))  # fmt: skip
    return Criticality(grade, tuple(steps))


# R-CRIT-2 with R-MEET-1 and seed 002's table: what each grade asks of the company.
STRATEGY: dict[str, Step] = {
    "S": Step(
        "高层对接、深度绑定：高层复盘每季度，业务复盘每月，联合创新工作坊每半年",
        "executive sponsorship, deep binding: executive review quarterly, business review "
        "monthly, joint innovation workshop half-yearly",
    ),
    "A": Step(
        "每月业务与数据对接，按季度商务谈判",
        "business and data review monthly, commercial review quarterly",
    ),
    "B": Step("按季度业务对接", "business review quarterly"),
    "C": Step("标准化管理，无固定会议", "standardised management, no meetings required"),
}


# --- capability and willingness (R-ASM-1): the rule lives in huoban.assessing -----------------

# --- depth (R-PRF-2) --------------------------------------------------------------------------

DEPTHS = ("ordinary", "important", "strategic")
STRATEGIC_AMOUNT = Decimal("1000000")


@dataclass(frozen=True)
class DepthSuggestion:
    depth: str
    explanation: tuple[Step, ...]


def suggest_depth(
    projects: int, yearly_amount: Decimal, strategic_agreement: bool
) -> DepthSuggestion:
    """R-PRF-2: `strategic` when the year's cooperation amount is ≥ 1,000,000 and an approved
    strategic agreement is in force; else `important` with two or more cooperation projects;
    else `ordinary`. An officer confirms it (seed 001)."""
    steps = [
        Step(f"合作项目 {projects} 个；本年合作金额 {yuan(yearly_amount)}；"
             f"战略合作协议{'生效中' if strategic_agreement else '无'}",
             f"{projects} cooperation projects; this year's cooperation amount "
             f"{yuan(yearly_amount)}; strategic agreement "
             f"{'in force' if strategic_agreement else 'none'}"),
    ]  # fmt: skip
    if yearly_amount >= STRATEGIC_AMOUNT and strategic_agreement:
        depth = "strategic"
        steps.append(
            Step("本年合作金额 ≥ 1,000,000.00 且战略协议生效 → 战略",
                 "amount ≥ 1,000,000.00 with a strategic agreement in force → strategic")
        )  # fmt: skip
    elif projects >= 2:
        depth = "important"
        steps.append(Step("合作项目 ≥ 2 个 → 重要", "two or more cooperation projects → important"))
    else:
        depth = "ordinary"
        steps.append(
            Step("合作项目不超过 1 个 → 普通", "at most one cooperation project → ordinary")
        )
    return DepthSuggestion(depth, tuple(steps))


# --- the co-delivery review (R-ASM-2) ---------------------------------------------------------

# Each dimension is rated one of these; `to_verify` (待验证) is a value of its own, open until
# rated otherwise.
DELIVERY_RATINGS = ("excellent", "good", "to_verify", "weak")
_RATING_WORDS = {
    "优秀": "excellent", "良好": "good", "待验证": "to_verify", "较弱": "weak", "弱": "weak",
    **{r: r for r in DELIVERY_RATINGS},
}  # fmt: skip


def rating_of(word: str) -> str | None:
    """A rating from its code or its Chinese word (优秀/良好/待验证/较弱); None if unknown."""
    return _RATING_WORDS.get(word.strip().lower() if word.isascii() else word.strip())


def open_dimensions(ratings: Iterable[tuple[str, str]]) -> list[str]:
    """R-ASM-2: the dimensions still `to_verify`, in the review's order."""
    return [d for d, r in ratings if r == "to_verify"]
