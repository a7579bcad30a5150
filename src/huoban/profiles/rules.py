"""The criticality rule (SPEC §10.2, R-CRIT-1) as a pure function over plain values.

No ORM: the service, the API and the property tests call it. The result carries its explanation
in Chinese and English, step by step, like the commission entries.
"""

from __future__ import annotations

from dataclasses import dataclass

from huoban.explain import Step

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
