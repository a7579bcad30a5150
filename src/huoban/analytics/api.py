"""Channel analytics over the API (ARCHITECTURE §6, R-ANL-1): ``POST /api/v1/partners/{code}/
costs`` and ``GET /api/v1/analytics/channels?from=&to=``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status as Answer
from pydantic import Field

from huoban import clock
from huoban.access import STAFF, require_role
from huoban.errors import Forbidden, ValidationFailed
from huoban.money import fmt
from huoban.partners.api import visible_partner
from huoban.policy import may_read_analytics
from huoban.web import actor_of

from . import board, services
from .models import ChannelCost

router = Router(tags=["analytics"])


class CostIn(Schema):
    amount: Any = Field(description='an amount, "20000.00"')
    spent_on: Any = Field(description="YYYY-MM-DD")
    category: str = Field(max_length=16, description="event|marketing_fund|travel|training|other")
    note: str = Field("", max_length=2000)


class CostOut(Schema):
    id: int
    partner_code: str
    amount: str
    spent_on: dt.date
    category: str
    note: str
    recorded_at: dt.datetime


class ChannelOut(Schema):
    channel: str = Field(description="a partner code or `direct` (or a type / region)")
    name: str
    leads: int
    valid_leads: int
    valid_rate: str | None
    projects: int
    new_customers: int
    revenue: str
    cost: str
    cac: str | None
    clv: str | None
    roi: str | None = Field(description='a ratio string, "3.5000" for 350%')
    retention: str | None
    achievement: str | None
    explanation: str


class ChannelsOut(Schema):
    start: dt.date
    end: dt.date
    group: str
    counted_at: dt.datetime | None = Field(
        None, description="when the daily job counted this period's inputs; null: counted now"
    )
    items: list[ChannelOut]
    totals: ChannelOut


class ChannelsQuery(Schema):
    start: dt.date | None = Field(None, alias="from")
    end: dt.date | None = Field(None, alias="to")
    group: str = "partner"


def _ratio(value: Any) -> str | None:
    return None if value is None else str(value)


def row_out(row: services.Row) -> dict[str, Any]:
    f = row.figures
    return {
        "channel": row.channel,
        "name": row.label,
        "leads": f.inputs.leads,
        "valid_leads": f.inputs.valid_leads,
        "valid_rate": _ratio(f.valid_rate),
        "projects": f.inputs.projects,
        "new_customers": f.inputs.new_customers,
        "revenue": fmt(f.inputs.revenue),
        "cost": fmt(f.cost),
        "cac": None if f.cac is None else fmt(f.cac),
        "clv": None if f.clv is None else fmt(f.clv),
        "roi": _ratio(f.roi),
        "retention": _ratio(f.retention),
        "achievement": _ratio(f.achievement),
        "explanation": "\n".join(str(s) for s in f.steps),
    }


def period(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    """The period asked for; by default this year to today. A bad one is a field error."""
    today = clock.today()
    start = start or today.replace(month=1, day=1)
    end = end or today
    errors = clock.period_errors(start, end)
    if errors:
        names = {"start": "from", "end": "to"}
        raise ValidationFailed({names.get(k, k): v for k, v in errors.items()})
    return start, end


@router.get(
    "/analytics/channels",
    response=ChannelsOut,
    summary="Each channel's funnel, revenue, cost, CAC, CLV, ROI and retention (R-ANL-1)",
)
def channels(request: HttpRequest, q: Query[ChannelsQuery]) -> dict[str, Any]:
    require_role(request.user, *STAFF)
    if not may_read_analytics(request.user):
        raise Forbidden("渠道分析供伙伴关系官、财务、总经理查看 / Officers, finance and the gm.")
    if q.group not in services.GROUPS:
        raise ValidationFailed({"group": "按 partner、type 或 region 分组 / partner|type|region."})
    start, end = period(q.start, q.end)
    rows, totals = services.report(start, end, group=q.group)
    return {
        "start": start,
        "end": end,
        "group": q.group,
        "counted_at": services.counted_at(start, end),
        "items": [row_out(r) for r in rows],
        "totals": row_out(totals),
    }


class MonthOut(Schema):
    month: str = Field(description="YYYY-MM")
    leads: int
    valid_leads: int
    projects: int
    revenue: str
    cost: str
    roi: str | None


class TrendOut(Schema):
    channel: str
    name: str
    months: list[MonthOut]


class TrendQuery(Schema):
    months: int = Field(12, ge=1, le=36)
    end: dt.date | None = Field(None, alias="to", description="a day of the last month")


@router.get(
    "/analytics/channels/{code}/months",
    response=TrendOut,
    summary="One channel (a partner's code or `direct`) month by month: leads, projects, "
    "revenue, cost, ROI (R-ANL-1)",
)
def channel_months(request: HttpRequest, code: str, q: Query[TrendQuery]) -> dict[str, Any]:
    require_role(request.user, *STAFF)
    if not may_read_analytics(request.user):
        raise Forbidden("渠道分析供伙伴关系官、财务、总经理查看 / Officers, finance and the gm.")
    partner = None if code == services.DIRECT else visible_partner(actor_of(request), code)
    found = services.channel_months(
        partner.pk if partner else None, q.end or clock.today(), q.months
    )
    return {
        "channel": code,
        "name": partner.name if partner else services.DIRECT,
        "months": [
            {
                "month": m.month,
                "leads": m.figures.inputs.leads,
                "valid_leads": m.figures.inputs.valid_leads,
                "projects": m.figures.inputs.projects,
                "revenue": fmt(m.figures.inputs.revenue),
                "cost": fmt(m.figures.cost),
                "roi": _ratio(m.figures.roi),
            }
            for m in found
        ],
    }


def _cost(cost: ChannelCost) -> dict[str, Any]:
    return {
        "id": cost.pk,
        "partner_code": cost.partner.code,
        "amount": fmt(cost.amount),
        "spent_on": cost.spent_on,
        "category": cost.category,
        "note": cost.note,
        "recorded_at": cost.recorded_at,
    }


@router.post(
    "/partners/{code}/costs",
    response={201: CostOut},
    summary="Record a partner's channel cost: an event, marketing fund, travel (officer, finance)",
)
def record_cost(request: HttpRequest, code: str, payload: CostIn) -> Answer:
    partner = visible_partner(actor_of(request), code)
    cost = services.record_cost(partner.code, actor=actor_of(request), **payload.dict())
    return Answer(201, _cost(cost))


@router.get(
    "/partners/{code}/costs",
    response=list[CostOut],
    summary="A partner's channel costs, newest first (staff)",
)
def list_costs(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    partner = visible_partner(actor_of(request), code)
    require_role(request.user, *STAFF)
    return [_cost(c) for c in ChannelCost.objects.filter(partner=partner).select_related("partner")]


class KpiOut(Schema):
    key: str
    label: str
    actual: str | None = Field(description="a count for new_customers, else a ratio string")
    target: str
    met: bool | None
    explanation: str


class BoardOut(Schema):
    kpis: list[KpiOut]
    new_customers_by_month: list[tuple[str, int]]


class TargetsIn(Schema):
    new_customers: Any = None
    channel_roi: Any = None
    retention: Any = None
    agent_achievement: Any = None
    rating_accuracy: Any = None


def _board() -> dict[str, Any]:
    kpis, trend = board.board()
    return {
        "kpis": [
            {
                "key": k.key,
                "label": k.label,
                "actual": None if k.actual is None else str(k.actual),
                "target": board.shown(k.key, k.target),
                "met": k.met,
                "explanation": k.explanation,
            }
            for k in kpis
        ],
        "new_customers_by_month": trend,
    }


@router.get(
    "/analytics/board",
    response=BoardOut,
    summary="The programme KPI board against seed 003's targets (R-ANL-2)",
)
def get_board(request: HttpRequest) -> dict[str, Any]:
    require_role(request.user, *STAFF)
    if not may_read_analytics(request.user):
        raise Forbidden("渠道分析供伙伴关系官、财务、总经理查看 / Officers, finance and the gm.")
    return _board()


@router.put(
    "/analytics/targets",
    response=BoardOut,
    summary="Edit the programme KPI board's targets (gm)",
)
def put_targets(request: HttpRequest, payload: TargetsIn) -> dict[str, Any]:
    require_role(request.user, *STAFF)
    values = {k: v for k, v in payload.dict().items() if v is not None}
    board.set_targets(actor=actor_of(request), values=values)
    return _board()
