"""The capability and willingness assessment (SPEC §10.2, R-ASM-1) as a pure function: the
dimensions, the score (mean, half-up to 0.1) and the trend. Below both the partner profiles and
the selection, which assesses candidates at screening (R-SEL-2) — one rule for both."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from huoban.explain import Step

CAPABILITY = ("resources", "technology", "operations", "credibility")
WILLINGNESS = ("executive_support", "dedicated_team", "long_term_commitment")
DIMENSIONS = {"capability": CAPABILITY, "willingness": WILLINGNESS}
DIMENSION_ZH = {
    "resources": "资源",
    "technology": "技术",
    "operations": "运营",
    "credibility": "信誉",
    "executive_support": "高层支持",
    "dedicated_team": "资源投入",
    "long_term_commitment": "长期承诺",
}
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Scored:
    score: Decimal
    explanation: tuple[Step, ...]


def assessment_score(kind: str, scores: Mapping[str, int]) -> Scored:
    """R-ASM-1: the mean of the dimensions (each 1–5), rounded half-up to 0.1."""
    dimensions = DIMENSIONS[kind]
    if set(scores) != set(dimensions):
        raise ValueError(f"{kind} needs exactly {dimensions}")
    if any(type(v) is not int or not 1 <= v <= 5 for v in scores.values()):
        raise ValueError("each dimension is an integer 1–5")
    total = sum(scores[d] for d in dimensions)
    mean = (Decimal(total) / len(dimensions)).quantize(TENTH, rounding=ROUND_HALF_UP)
    zh = " + ".join(f"{DIMENSION_ZH[d]} {scores[d]}" for d in dimensions)
    en = " + ".join(f"{d.replace('_', ' ')} {scores[d]}" for d in dimensions)
    return Scored(
        mean,
        (
            Step(f"{zh} = {total}", f"{en} = {total}"),
            Step(
                f"{total} ÷ {len(dimensions)} = {mean}（四舍五入到 0.1）",
                f"{total} / {len(dimensions)} = {mean} (rounded half-up to 0.1)",
            ),
        ),
    )


def trend(previous: Decimal | None, current: Decimal) -> str:
    """``up``, ``down`` or ``flat`` against the previous assessment of the same kind; ``new``
    for the first."""
    if previous is None:
        return "new"
    return "up" if current > previous else "down" if current < previous else "flat"


def score_errors(kind: str, scores: object) -> dict[str, str]:
    """Field errors of a capability or willingness assessment: every dimension of ``kind``
    scored as a whole number 1–5, no other; empty when it is sound."""
    if not isinstance(scores, Mapping):
        return {kind: "评分格式不正确 / Scores are an object of dimension → 1..5."}
    dimensions = DIMENSIONS[kind]
    errors: dict[str, str] = {}
    for d in dimensions:
        value = scores.get(d)
        if type(value) is not int or not 1 <= value <= 5:
            errors[d] = "每项为 1–5 分 / Each dimension is scored 1 to 5."
    unknown = sorted(set(scores) - set(dimensions))
    if unknown:
        errors["scores"] = f"未知维度 / Unknown dimensions: {', '.join(unknown)}"
    return errors
