"""The risk register (SPEC §10.10, R-RISK-1): risks per partner or programme-wide with their
level, response, owner and next review — a high risk's response due in 5 business days, medium
reviewed monthly, low quarterly; every review kept. A red or falling health adds a review item
(R-HLTH-2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from huoban import clock
from huoban.accounts.models import User
from huoban.agreements.rules import add_months
from huoban.audit.services import record
from huoban.calendar import add_business_days
from huoban.errors import Conflict, Forbidden, NotFound, ValidationFailed
from huoban.explain import Step
from huoban.partners.models import Partner
from huoban.policy import may_manage_partners

from . import rules
from .models import Risk, RiskCategory, RiskLevel, RiskStatus


def review_date(level: str, on: dt.date) -> dt.date:
    """R-RISK-1: a high risk's response is due 5 business days after ``on``; a medium one is
    reviewed a month later, a low one three months later."""
    if level == RiskLevel.HIGH:
        return add_business_days(on, rules.HIGH_RESPONSE_BUSINESS_DAYS).date
    return add_months(on, rules.REVIEW_MONTHS[level])


def overdue(risk: Risk, today: dt.date) -> bool:
    return risk.status != RiskStatus.CLOSED and risk.next_review < today


def _require(actor: User) -> None:
    if not may_manage_partners(actor):
        raise Forbidden("风险台账由伙伴关系官维护 / Partner officers keep the risk register.")


def _check(
    errors: dict[str, str], *, title: str | None = None, category: str | None = None,
    level: str | None = None, status: str | None = None,
) -> None:  # fmt: skip
    if title is not None and not 1 <= len(title.strip()) <= 100:
        errors["title"] = "风险名称 1–100 字 / A risk's name is 1 to 100 characters."
    if category is not None and category not in RiskCategory.values:
        errors["category"] = "未知类别 / Unknown category."
    if level is not None and level not in RiskLevel.values:
        errors["level"] = "等级为 high、medium 或 low / Level is high, medium or low."
    if status is not None and status not in RiskStatus.values:
        errors["status"] = "状态为 open、mitigating 或 closed / Unknown status."


def add_risk(
    partner: Partner | None,
    *,
    title: str,
    category: str,
    level: str,
    description: str = "",
    response: str = "",
    source: str = "",
    actor: User | None,
) -> Risk:
    """Put a risk on the register in the caller's transaction (its audit event included)."""
    today = clock.today()
    risk = Risk.objects.create(
        partner=partner,
        title=title.strip(),
        category=category,
        level=level,
        description=description.strip(),
        response=response.strip(),
        owner=partner.account_manager if partner is not None else None,
        next_review=review_date(level, today),
        history=[
            {
                "on": today.isoformat(),
                "by": actor.username if actor else "",
                "level": level,
                "note": "登记 / raised",
            }
        ],
        source=source,
        created_by=actor,
        created_at=clock.now(),
    )
    record(
        actor,
        "risk.raise",
        risk,
        after={
            "partner": partner.code if partner else None,
            "title": risk.title,
            "category": category,
            "level": level,
            "next_review": risk.next_review.isoformat(),
            "source": source,
        },
    )
    return risk


@transaction.atomic(durable=True)
def raise_risk(
    partner_code: str | None,
    *,
    title: str,
    category: str,
    level: str,
    description: str = "",
    response: str = "",
    actor: User,
) -> Risk:
    """An officer raises a risk for a partner (or programme-wide, no partner) (R-RISK-1)."""
    _require(actor)
    partner = None
    if partner_code:
        partner = Partner.objects.filter(code=partner_code).first()
        if partner is None:
            raise NotFound("伙伴不存在 / No such partner.")
    errors: dict[str, str] = {}
    _check(errors, title=title, category=category, level=level)
    if errors:
        raise ValidationFailed(errors)
    return add_risk(
        partner, title=title, category=category, level=level, description=description,
        response=response, actor=actor,
    )  # fmt: skip


@transaction.atomic(durable=True)
def review_risk(
    risk_id: int,
    *,
    note: str,
    level: str | None = None,
    status: str | None = None,
    response: str | None = None,
    actor: User,
) -> Risk:
    """A review (R-RISK-1): a note, and perhaps a new level, status or response; the next review
    is set again from today by the (new) level; the change is kept in the history."""
    _require(actor)
    risk = Risk.objects.select_for_update().filter(pk=risk_id).first()
    if risk is None:
        raise NotFound("风险不存在 / No such risk.")
    if risk.status == RiskStatus.CLOSED:
        raise Conflict("风险已关闭 / The risk is closed.")
    errors: dict[str, str] = {}
    _check(errors, level=level or None, status=status or None)
    if not note.strip():
        errors["note"] = "请写明复核情况 / Say what the review found."
    if errors:
        raise ValidationFailed(errors)
    today = clock.today()
    before: dict[str, Any] = {"level": risk.level, "status": risk.status}
    entry: dict[str, Any] = {"on": today.isoformat(), "by": actor.username, "note": note.strip()}
    if level and level != risk.level:
        entry["level"] = level
        entry["from_level"] = risk.level
        risk.level = level
    if status and status != risk.status:
        entry["status"] = status
        risk.status = status
    if response is not None and response.strip():
        risk.response = response.strip()
    risk.next_review = review_date(risk.level, today)
    risk.history = [*risk.history, entry]
    risk.save()
    record(
        actor,
        "risk.review",
        risk,
        before=before,
        after={"level": risk.level, "status": risk.status, "note": entry["note"],
               "next_review": risk.next_review.isoformat()},
    )  # fmt: skip
    return risk


def health_review_item(
    partner: Partner, reason: Step, period: str, actor: User | None
) -> Risk | None:
    """R-HLTH-2: a review item on the partner's register for a red or falling month, once."""
    source = f"health:{period}"
    if Risk.objects.filter(partner=partner, source=source).exists():
        return None
    return add_risk(
        partner,
        title=f"健康度复核 {period}",
        category=RiskCategory.OTHER,
        level=RiskLevel.MEDIUM,
        description=str(reason),
        source=source,
        actor=actor,
    )


def risk_out(risk: Risk, today: dt.date) -> dict[str, Any]:
    return {
        "id": risk.pk,
        "partner_code": risk.partner.code if risk.partner else None,
        "title": risk.title,
        "category": risk.category,
        "level": risk.level,
        "status": risk.status,
        "description": risk.description,
        "response": risk.response,
        "next_review": risk.next_review,
        "overdue": overdue(risk, today),
        "history": risk.history,
    }
