"""Recording scorecards (SPEC §10.7, R-KPI-1/2): one business action, one transaction, one audit
event each. The score is the pure rule of :mod:`.rules`; the stored items keep what was entered
beside each score, so a scorecard is read back exactly as it was computed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from huoban import clock, explain
from huoban.accounts.models import User
from huoban.audit.services import record
from huoban.errors import Conflict, Forbidden, NotFound, ValidationFailed
from huoban.money import parse_measure
from huoban.partners.models import Partner
from huoban.policy import may_manage_partners

from . import rules
from .cases import open_cases_for
from .models import HealthAssessment, Scorecard, ScorecardTemplate
from .risks import health_review_item

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MAX_KPIS = 30


def _period(text: str, errors: dict[str, str]) -> tuple[int, int] | None:
    match = _PERIOD.match((text or "").strip())
    if match is None:
        errors["period"] = "期间格式为 YYYY-MM / The period is YYYY-MM."
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if dt.date(year, month, 1) > clock.today():
        errors["period"] = "不能登记未来的月份 / A month that has not begun cannot be recorded."
        return None
    return year, month


def previous_month() -> str:
    """The month before this one, ``YYYY-MM`` (the month usually recorded)."""
    today = clock.today()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def clean_kpis(kpis: Any, errors: dict[str, str], *, actuals: bool = True) -> list[dict[str, Any]]:
    """R-KPI-1: the KPIs as stored, or field errors (``kpis[i].target`` …) in ``errors``:
    a name once each, a direction, a target above 0, an actual of 0 or more, weights of 0 or
    more and not all 0; the primary KPI defaults to the first `higher` one. A template
    (``actuals=False``) has no actuals: any given is ignored."""
    if not isinstance(kpis, list | tuple) or not kpis:
        errors["kpis"] = "至少一项指标 / At least one KPI."
        return []
    if len(kpis) > MAX_KPIS:
        errors["kpis"] = f"最多 {MAX_KPIS} 项指标 / At most {MAX_KPIS} KPIs."
        return []
    out: list[dict[str, Any]] = []
    names: set[str] = set()
    for i, raw in enumerate(kpis):
        at = f"kpis[{i}]"
        if not isinstance(raw, dict):
            errors[at] = "指标格式不正确 / A KPI is an object."
            continue
        name = str(raw.get("name") or "").strip()
        if not name or len(name) > 50:
            errors[f"{at}.name"] = "指标名称 1–50 字 / A KPI's name is 1 to 50 characters."
        elif name in names:
            errors[f"{at}.name"] = "指标名称重复 / This KPI is listed twice."
        names.add(name)
        direction = raw.get("direction")
        if direction not in rules.DIRECTIONS:
            errors[f"{at}.direction"] = (
                "方向为 higher（越高越好）或 lower（越低越好）/ Direction is higher or lower."
            )
        target = parse_measure(raw.get("target"))
        if target is None or target <= 0:
            errors[f"{at}.target"] = "目标值须大于 0 / The target is above 0."
        actual = parse_measure(raw.get("actual")) if actuals else None
        if actuals and (actual is None or actual < 0):
            errors[f"{at}.actual"] = "实际值须不小于 0 / The actual is 0 or more."
        weight = parse_measure(raw.get("weight", 1))
        if weight is None or weight < 0:
            errors[f"{at}.weight"] = "权重须不小于 0 / A weight is 0 or more."
        dimension = raw.get("dimension") or "custom"
        if dimension not in rules.DIMENSIONS:
            errors[f"{at}.dimension"] = (
                "维度为 business、customer、operations 或 custom / Unknown dimension."
            )
        kpi = {
            "name": name,
            "dimension": dimension,
            "direction": direction,
            "target": str(target) if target is not None else None,
            "actual": str(actual) if actual is not None else None,
            "unit": str(raw.get("unit") or "").strip()[:20],
            "weight": str(weight) if weight is not None else None,
            "primary": bool(raw.get("primary")),
            "complaint_rate": bool(raw.get("complaint_rate")),
        }
        if not actuals:
            del kpi["actual"]
        out.append(kpi)
    if sum(1 for k in out if k["primary"]) > 1:
        errors["kpis"] = "只能有一个主要指标 / One primary KPI at most."
    if sum(1 for k in out if k["complaint_rate"]) > 1:
        errors["kpis"] = "只能有一个投诉率指标 / One complaint-rate KPI at most."
    weights = [parse_measure(k["weight"]) for k in out]
    if weights and all(w is not None and w == 0 for w in weights):
        errors["kpis"] = "权重不能全为 0 / The weights cannot all be 0."
    if not errors and not any(k["primary"] for k in out):
        first = next((k for k in out if k["direction"] == "higher"), None)
        if first is not None:
            first["primary"] = True
    return out


def _scored(items: Sequence[dict[str, Any]]) -> rules.Scorecard:
    return rules.score_card(
        [
            rules.Kpi(k["name"], k["direction"], Decimal(k["target"]), Decimal(k["actual"]),
                      Decimal(k["weight"]))
            for k in items
        ]
    )  # fmt: skip


def _require(actor: User) -> None:
    if not may_manage_partners(actor):
        raise Forbidden("记分卡由伙伴关系官登记 / Partner officers record scorecards.")


def _summary(card: Scorecard) -> dict[str, Any]:
    return {
        "partner": card.partner.code,
        "period": card.period,
        "revision": card.revision,
        "scores": {k["name"]: k["score"] for k in card.items},
        "total": str(card.total),
        "band": card.band,
    }


@transaction.atomic(durable=True)
def record_scorecard(partner_code: str, *, period: str, kpis: Any, actor: User) -> Scorecard:
    """A partner's scorecard for a month (R-KPI-2): each KPI's score, the total and its band.
    One per partner and month: the month again is a conflict (correct it with a revision)."""
    return book_scorecard(partner_code, period=period, kpis=kpis, actor=actor)


def actuals_on_template(partner_code: str, actuals: dict[str, Any]) -> list[dict[str, Any]]:
    """A month's KPIs from the partner's template (R-KPI-1; D-KPI-2) and the actuals by KPI
    name — an import's rows. A name not in the template, a KPI of the template without its
    actual, or no template at all is a field error under ``actuals.<name>`` / ``template``."""
    template = ScorecardTemplate.objects.filter(partner__code=partner_code).first()
    if template is None:
        raise ValidationFailed(
            {"template": "该伙伴尚未设定记分卡模板 / The partner has no scorecard template."}
        )
    names = [k["name"] for k in template.items]
    errors = {
        f"actuals.{name}": f"模板中没有指标“{name}” / The template has no KPI {name}."
        for name in actuals
        if name not in names
    }
    missing = [name for name in names if name not in actuals]
    if missing:
        errors["template"] = f"缺少指标：{'、'.join(missing)} / Missing KPIs: {', '.join(missing)}."
    if errors:
        raise ValidationFailed(errors)
    return [{**k, "actual": actuals[k["name"]]} for k in template.items]


def book_scorecard(partner_code: str, *, period: str, kpis: Any, actor: User) -> Scorecard:
    """:func:`record_scorecard` in the caller's transaction: for an import, whose rows are
    recorded all or none in one (R-IMP-1). Everyone else calls record_scorecard."""
    _require(actor)
    partner = Partner.objects.select_for_update().filter(code=partner_code).first()
    if partner is None:
        raise NotFound("伙伴不存在 / No such partner.")
    errors: dict[str, str] = {}
    when = _period(period, errors)
    items = clean_kpis(kpis, errors)
    if errors:
        raise ValidationFailed(errors)
    assert when is not None
    year, month = when
    if Scorecard.objects.filter(partner=partner, year=year, month=month).exists():
        raise Conflict(
            f"{year:04d}-{month:02d} 已有记分卡，更正请提交修订版 / {year:04d}-{month:02d} "
            "already has a scorecard: correct it with a revision."
        )
    return _save(partner, year, month, 1, items, "", actor, previous=None)


@transaction.atomic(durable=True)
def set_scorecard_template(partner_code: str, *, kpis: Any, actor: User) -> ScorecardTemplate:
    """A partner's scorecard template (R-KPI-1; D-KPI-2): the KPIs it is judged on, checked as
    a month's are but without actuals. Setting it again replaces it; the audit trail keeps
    what it was."""
    _require(actor)
    partner = Partner.objects.select_for_update().filter(code=partner_code).first()
    if partner is None:
        raise NotFound("伙伴不存在 / No such partner.")
    errors: dict[str, str] = {}
    items = clean_kpis(kpis, errors, actuals=False)
    if errors:
        raise ValidationFailed(errors)
    template = ScorecardTemplate.objects.filter(partner=partner).first()
    before = {"partner": partner.code, "kpis": template.items} if template else None
    if template is None:
        template = ScorecardTemplate(partner=partner)
    template.items = items
    template.updated_by = actor
    template.updated_at = clock.now()
    template.save()
    record(
        actor,
        "scorecard.template",
        template,
        before=before,
        after={"partner": partner.code, "kpis": items},
    )
    return template


@transaction.atomic(durable=True)
def revise_scorecard(scorecard_id: int, *, kpis: Any, note: str, actor: User) -> Scorecard:
    """A correction (R-KPI-2): a new revision of the month; the old one is kept, superseded."""
    _require(actor)
    old = (
        Scorecard.objects.select_for_update()
        .select_related("partner")
        .filter(pk=scorecard_id)
        .first()
    )
    if old is None:
        raise NotFound("记分卡不存在 / No such scorecard.")
    if old.superseded_by_id is not None:
        raise Conflict("只能修订最新版 / Only the latest revision can be corrected.")
    errors: dict[str, str] = {}
    items = clean_kpis(kpis, errors)
    if not note.strip():
        errors["note"] = "请写明修订原因 / Say why it is corrected."
    if errors:
        raise ValidationFailed(errors)
    return _save(
        old.partner, old.year, old.month, old.revision + 1, items, note.strip(), actor, old
    )


def _save(
    partner: Partner,
    year: int,
    month: int,
    revision: int,
    items: list[dict[str, Any]],
    note: str,
    actor: User,
    previous: Scorecard | None,
) -> Scorecard:
    scored = _scored(items)
    for item, score in zip(items, scored.items, strict=True):
        item["score"] = str(score.shown)
    card = Scorecard.objects.create(
        partner=partner,
        year=year,
        month=month,
        revision=revision,
        items=items,
        total=scored.total,
        band=scored.band,
        explanation=explain.explanation_text(scored.explanation),
        note=note,
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    if previous is not None:
        previous.superseded_by = card
        previous.save(update_fields=["superseded_by"])
    record(
        actor,
        "scorecard.revise" if previous is not None else "scorecard.record",
        card,
        before=_summary(previous) if previous is not None else None,
        after={**_summary(card), **({"note": note} if note else {})},
    )
    # R-CRIS-6: recording a scorecard opens the cases it triggers, in the same transaction.
    open_cases_for(card, actor)
    return card


@transaction.atomic(durable=True)
def record_health(
    partner_code: str,
    *,
    period: str,
    ratings: dict[str, Any],
    notes: dict[str, str] | None = None,
    actor: User,
) -> HealthAssessment:
    """A partner's monthly health (R-HLTH-1): five dimensions, each excellent … bad or pending
    (not scored); the overall and its colour. One per partner and month (the month again: 409)."""
    _require(actor)
    partner = Partner.objects.select_for_update().filter(code=partner_code).first()
    if partner is None:
        raise NotFound("伙伴不存在 / No such partner.")
    errors: dict[str, str] = {}
    when = _period(period, errors)
    clean: dict[str, str] = {}
    for d in rules.HEALTH_DIMENSIONS:
        value = ratings.get(d)
        if value not in rules.HEALTH_VALUES:
            errors[d] = (
                "评价为 excellent、good、medium、poor、bad 或 pending（待定）/ A rating is "
                "excellent, good, medium, poor, bad or pending."
            )
        else:
            clean[d] = str(value)
    unknown = sorted(set(ratings) - set(rules.HEALTH_DIMENSIONS))
    if unknown:
        errors["ratings"] = f"未知维度 / Unknown dimensions: {', '.join(unknown)}"
    if not errors and all(v == "pending" for v in clean.values()):
        errors["ratings"] = "至少评价一项 / Rate at least one dimension."
    if errors:
        raise ValidationFailed(errors)
    assert when is not None
    year, month = when
    if HealthAssessment.objects.filter(partner=partner, year=year, month=month).exists():
        raise Conflict(f"{period} 已评估 / {period} is assessed already.")
    result = rules.health(clean)
    row = HealthAssessment.objects.create(
        partner=partner,
        year=year,
        month=month,
        ratings=clean,
        notes={d: n.strip() for d, n in (notes or {}).items() if d in clean and n.strip()},
        overall=result.overall,
        colour=result.colour,
        explanation=explain.explanation_text(result.explanation),
        assessed_by=actor,
        assessed_at=clock.now(),
    )
    # R-HLTH-2: red, or a fall of 1.0 or more, puts a review item on the risk register.
    before = (
        HealthAssessment.objects.filter(partner=partner)
        .exclude(pk=row.pk)
        .filter(models.Q(year__lt=year) | models.Q(year=year, month__lt=month))
        .order_by("-year", "-month")
        .first()
    )
    reason = rules.health_review_due(row.colour, row.overall, before.overall if before else None)
    if reason is not None:
        health_review_item(partner, reason, row.period, actor)
    record(
        actor,
        "health.record",
        row,
        after={
            "partner": partner.code,
            "period": row.period,
            "ratings": clean,
            "overall": str(row.overall),
            "colour": row.colour,
        },
    )
    return row
