"""Co-delivery partners over the API (ARCHITECTURE §6): ``POST /api/v1/projects/{id}/shares``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status as Answer
from pydantic import Field

from huoban.access import STAFF, require_role
from huoban.errors import NotFound
from huoban.money import fmt_rate
from huoban.policy import sees_revenue_share
from huoban.projects.models import Project
from huoban.web import actor_of

from . import services
from .models import ProjectShare

router = Router(tags=["projects"])


class ShareIn(Schema):
    partner_code: str = Field(max_length=20)
    share: str = Field(max_length=12, description='a ratio string, "0.40"')
    settle_days: int | None = Field(default=None, ge=0, le=60)
    role: str = Field(default="", max_length=200)


class ShareOut(Schema):
    id: int
    partner_code: str
    share: str | None = Field(description="null for a caller who may not see it (R-PRF-3)")
    settle_days: int
    role: str
    created_at: dt.datetime


class ShareList(Schema):
    items: list[ShareOut]
    count: int


def _render(row: ProjectShare, user: Any) -> dict[str, Any]:
    return {
        "id": row.pk,
        "partner_code": row.partner.code,
        "share": fmt_rate(row.share) if sees_revenue_share(user, row.partner_id) else None,
        "settle_days": row.settle_days,
        "role": row.role,
        "created_at": row.created_at,
    }


def _project(request: HttpRequest, project_id: int) -> Project:
    project = Project.objects.visible_to(actor_of(request)).filter(pk=project_id).first()
    if project is None:
        raise NotFound("项目不存在 / No such project.")
    return project


@router.post(
    "/projects/{project_id}/shares",
    response={201: ShareOut},
    summary="Add a co-delivery partner and its share (R-RS-1; officer, pm, admin)",
)
def add_share(request: HttpRequest, project_id: int, payload: ShareIn) -> Answer[dict[str, Any]]:
    project = _project(request, project_id)
    actor = actor_of(request)
    row = services.add_share(
        project.pk,
        partner_code=payload.partner_code,
        share=payload.share,
        settle_days=payload.settle_days,
        role=payload.role,
        actor=actor,
    )
    answer = _render(row, actor)
    answer["share"] = fmt_rate(row.share)  # the caller just entered it
    return Answer(201, answer)


@router.get(
    "/projects/{project_id}/shares",
    response=ShareList,
    summary="A project's co-delivery partners (staff; the ratio per R-PRF-3)",
)
def shares(request: HttpRequest, project_id: int) -> dict[str, Any]:
    project = _project(request, project_id)
    actor = require_role(actor_of(request), *STAFF)  # never the referring partner (R-VIS-2)
    rows = ProjectShare.objects.filter(project=project).select_related("partner").order_by("pk")
    items = [_render(r, actor) for r in rows]
    return {"items": items, "count": len(items)}
