"""Partner criticality over the API (ARCHITECTURE §6): ``POST /api/v1/partners/{code}/
criticality``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status as Answer
from pydantic import Field

from huoban.web import actor_of

from . import services

router = Router(tags=["partners"])


class CriticalityIn(Schema):
    strategic_value: int = Field(ge=1, le=5)
    substitutability: str = Field(pattern="^(hard|normal|easy)$")
    investment: str | None = Field(default=None, pattern="^(high|medium|low)$")
    reason: str = Field(default="", max_length=2000)


class CriticalityOut(Schema):
    grade: str
    explanation: str


@router.post(
    "/partners/{code}/criticality",
    response={201: CriticalityOut},
    summary="Grade a partner S/A/B/C (R-CRIT-1; officer, admin)",
)
def criticality(request: HttpRequest, code: str, payload: CriticalityIn) -> Answer[dict[str, Any]]:
    assessment = services.assess_criticality(
        code,
        strategic_value=payload.strategic_value,
        substitutability=payload.substitutability,
        investment=payload.investment or "",
        reason=payload.reason,
        actor=actor_of(request),
    )
    return Answer(201, {"grade": assessment.grade, "explanation": assessment.explanation})
