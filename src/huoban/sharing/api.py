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
from huoban.explain import explanation_text
from huoban.money import fmt, fmt_rate
from huoban.policy import sees_revenue_share
from huoban.projects.models import Project
from huoban.web import actor_of

from . import services
from .models import ProjectShare, ShareScheme

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


class SchemeIn(Schema):
    partner_code: str = Field(max_length=20)
    label: str = Field(max_length=40, description="the scheme's name, e.g. 方案A")
    share: str = Field(max_length=12, description='a ratio string, "0.40"')
    settle_days: int | None = Field(default=None, ge=0, le=60)
    role: str = Field(default="", max_length=200)


class SchemeOut(Schema):
    id: int
    project_id: int
    partner_code: str
    label: str
    share: str | None = Field(description="null for a caller who may not see it (R-PRF-3)")
    partner_amount: str | None = Field(description="round(share × contract); null as share")
    our_amount: str | None = Field(description="the contract less every co-delivery part")
    explanation: str | None
    settle_days: int
    role: str
    status: str = Field(description="proposed | approved | set_aside")
    proposed_at: dt.datetime
    decided_at: dt.datetime | None


class SchemeList(Schema):
    items: list[SchemeOut]
    count: int


def _scheme(row: ShareScheme, user: Any) -> dict[str, Any]:
    seen = sees_revenue_share(user, row.partner_id)
    figures = services.scheme_figures(row) if seen else None
    return {
        "id": row.pk,
        "project_id": row.project_id,
        "partner_code": row.partner.code,
        "label": row.label,
        "share": fmt_rate(row.share) if seen else None,
        "partner_amount": fmt(figures.theirs) if figures else None,
        "our_amount": fmt(figures.ours) if figures else None,
        "explanation": explanation_text(list(figures.explanation)) if figures else None,
        "settle_days": row.settle_days,
        "role": row.role,
        "status": row.status,
        "proposed_at": row.proposed_at,
        "decided_at": row.decided_at,
    }


@router.post(
    "/projects/{project_id}/share-schemes",
    response={201: SchemeOut},
    summary="Propose a revenue-share scheme for a co-delivery partner (R-RS-1; gm, admin)",
)
def propose_scheme(
    request: HttpRequest, project_id: int, payload: SchemeIn
) -> Answer[dict[str, Any]]:
    project = _project(request, project_id)
    actor = actor_of(request)
    row = services.propose_scheme(project.pk, actor=actor, **payload.dict())
    return Answer(201, _scheme(row, actor))


@router.get(
    "/projects/{project_id}/share-schemes",
    response=SchemeList,
    summary="A project's revenue-share schemes side by side (staff; figures per R-PRF-3)",
)
def schemes(request: HttpRequest, project_id: int) -> dict[str, Any]:
    project = _project(request, project_id)
    actor = require_role(actor_of(request), *STAFF)  # never a partner (R-VIS-2)
    rows = ShareScheme.objects.filter(project=project).select_related("partner", "project")
    items = [_scheme(r, actor) for r in rows]
    return {"items": items, "count": len(items)}


@router.post(
    "/share-schemes/{scheme_id}/approve",
    response=SchemeOut,
    summary="Approve a scheme: its share is locked on the project, the others set aside (gm)",
)
def approve_scheme(request: HttpRequest, scheme_id: int) -> dict[str, Any]:
    actor = require_role(actor_of(request), *STAFF)
    row = services.approve_scheme(scheme_id, actor=actor)
    return _scheme(row, actor)
