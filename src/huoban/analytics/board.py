"""The programme KPI board (SPEC §10.13, R-ANL-2): seed 003's five KPIs — new customers a
month, channel ROI, yearly retention, agent achievement, credit-rating accuracy — against their
targets (editable by the gm), with the new customers of the last twelve months."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import TruncMonth

from huoban import clock
from huoban.accounts.models import User
from huoban.audit.services import record
from huoban.credit.services import rating_accuracy
from huoban.errors import Forbidden, ValidationFailed
from huoban.partners.models import Partner, PartnerType
from huoban.policy import may_set_programme_targets
from huoban.projects.models import Project
from huoban.projects.models import Status as ProjectStatus

from . import rules, services
from .models import ProgrammeTarget, TargetKey

#: Seed 003's targets: ≥ 100 new customers a month, ROI ≥ 120%, retention ≥ 85%, agent
#: achievement ≥ 90%, rating accuracy ≥ 95%.
DEFAULTS: dict[str, Decimal] = {
    TargetKey.NEW_CUSTOMERS: Decimal("100"),
    TargetKey.CHANNEL_ROI: Decimal("1.2000"),
    TargetKey.RETENTION: Decimal("0.8500"),
    TargetKey.AGENT_ACHIEVEMENT: Decimal("0.9000"),
    TargetKey.RATING_ACCURACY: Decimal("0.9500"),
}
#: The partners whose achievement is the agents' (代理): those who sell for the programme.
AGENT_TYPES = (PartnerType.CHANNEL, PartnerType.OVERSEAS_AGENT)


def shown(key: str, value: Decimal) -> str:
    """A target as stored and answered: a whole number of customers, a ratio to 4 places."""
    if key == TargetKey.NEW_CUSTOMERS:
        return str(int(value))
    return str(value.quantize(Decimal("0.0001")))


def targets() -> dict[str, Decimal]:
    found = dict(ProgrammeTarget.objects.values_list("key", "value"))
    return {key: found.get(key, default) for key, default in DEFAULTS.items()}


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    actual: Decimal | None
    target: Decimal
    count: bool  # a count (new customers), not a ratio
    explanation: str

    @property
    def met(self) -> bool | None:
        return None if self.actual is None else self.actual >= self.target


def new_customers_by_month(end: dt.date, months: int = 12) -> list[tuple[str, int]]:
    """The customers whose first project was signed in each of the ``months`` months up to
    ``end``'s (one query)."""
    first_month = end.replace(day=1)
    for _ in range(months - 1):
        first_month = (first_month - dt.timedelta(days=1)).replace(day=1)
    earlier = Project.objects.filter(
        customer=OuterRef("customer"), signed_on__lt=OuterRef("signed_on")
    ).exclude(status=ProjectStatus.CANCELLED)
    counted = dict(
        Project.objects.filter(signed_on__gte=first_month, signed_on__lte=end)
        .exclude(status=ProjectStatus.CANCELLED)
        .filter(~Exists(earlier))
        .annotate(month=TruncMonth("signed_on"))
        .order_by()
        .values("month")
        .annotate(n=Count("customer", distinct=True))
        .values_list("month", "n")
    )
    rows = []
    day = first_month
    for _ in range(months):
        key = next((k for k in counted if k.year == day.year and k.month == day.month), None)
        rows.append((f"{day.year:04d}-{day.month:02d}", counted.get(key, 0) if key else 0))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return rows


def board(today: dt.date | None = None) -> tuple[list[Kpi], list[tuple[str, int]]]:
    """The five KPIs as of ``today``: this month's new customers, this year's ROI, retention
    and agents' achievement, the accuracy of the reviews ended by today."""
    today = today or clock.today()
    goal = targets()
    trend = new_customers_by_month(today)
    year_start = today.replace(month=1, day=1)
    inputs, _as_of = services.inputs_for(year_start, today)
    margin = services.gross_margin()
    programme = rules.figures(rules.combine(list(inputs.values())), gross_margin=margin)
    agents = {
        pk
        for pk, types in Partner.objects.values_list("id", "types")
        if any(t in (types or []) for t in AGENT_TYPES)
    }
    agent_figures = rules.figures(
        rules.combine([v for k, v in inputs.items() if k in agents]), gross_margin=margin
    )
    accuracy = rating_accuracy(today)
    month = trend[-1]
    kpis = [
        Kpi(TargetKey.NEW_CUSTOMERS, str(TargetKey.NEW_CUSTOMERS.label), Decimal(month[1]),
            goal[TargetKey.NEW_CUSTOMERS], True, f"{month[0]}"),
        Kpi(TargetKey.CHANNEL_ROI, str(TargetKey.CHANNEL_ROI.label), programme.roi,
            goal[TargetKey.CHANNEL_ROI], False, str(programme.steps[3])),
        Kpi(TargetKey.RETENTION, str(TargetKey.RETENTION.label), programme.retention,
            goal[TargetKey.RETENTION], False, str(programme.steps[4])),
        Kpi(TargetKey.AGENT_ACHIEVEMENT, str(TargetKey.AGENT_ACHIEVEMENT.label),
            agent_figures.achievement, goal[TargetKey.AGENT_ACHIEVEMENT], False,
            str(agent_figures.steps[-1]) if agent_figures.achievement is not None else ""),
        Kpi(TargetKey.RATING_ACCURACY, str(TargetKey.RATING_ACCURACY.label), accuracy.ratio,
            goal[TargetKey.RATING_ACCURACY], False, str(accuracy.steps[0])),
    ]  # fmt: skip
    return kpis, trend


@transaction.atomic(durable=True)
def set_targets(*, actor: User, values: dict[str, Any]) -> dict[str, Decimal]:
    """The gm (or an admin) edits the board's targets: new customers a whole number ≥ 0, the
    others ratios from 0 to 10 (1.2 for 120%). Bad input is a field error; nothing changes."""
    if not may_set_programme_targets(actor):
        raise Forbidden("项目目标由总经理设定 / The general manager sets the targets.")
    errors: dict[str, str] = {}
    parsed: dict[str, Decimal] = {}
    for key, raw in values.items():
        if key not in DEFAULTS:
            errors[key] = "未知指标 / Unknown KPI."
            continue
        try:
            value = Decimal(str(raw).strip())
        except (InvalidOperation, ValueError):
            errors[key] = "须为数字 / A number."
            continue
        if key == TargetKey.NEW_CUSTOMERS:
            if (
                not value.is_finite()
                or value < 0
                or value != value.to_integral_value()
                or (value > 1_000_000)
            ):
                errors[key] = "须为 0 或以上的整数 / A whole number, 0 or more."
                continue
        elif (
            not value.is_finite()
            or not Decimal(0) <= value <= Decimal(10)
            or (value != value.quantize(Decimal("0.0001")))
        ):
            errors[key] = "比率在 0 到 10 之间（1.2 即 120%） / A ratio from 0 to 10."
            continue
        parsed[key] = value
    if errors:
        raise ValidationFailed(errors)
    before = {k: shown(k, v) for k, v in targets().items()}
    now = clock.now()
    for key, value in parsed.items():
        ProgrammeTarget.objects.update_or_create(
            key=key, defaults={"value": value, "set_by": actor, "set_at": now}
        )
    after = {k: shown(k, v) for k, v in targets().items()}
    record(actor, "programme.targets", None, before=before, after=after,
           object_type="analytics.programmetarget", object_id="board")  # fmt: skip
    return targets()
