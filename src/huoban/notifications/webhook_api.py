"""Webhooks over the API (ARCHITECTURE §6, R-HOOK-1): admins register and read deliveries."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status as Answer
from pydantic import Field

from huoban.access import require_role
from huoban.accounts.models import Role
from huoban.errors import NotFound
from huoban.pagination import PageParams, paginate
from huoban.web import actor_of

from . import webhooks
from .models import Delivery, Webhook

router = Router(tags=["webhooks"])


class WebhookIn(Schema):
    url: str = Field(min_length=1, max_length=500)
    events: list[str] = Field(min_length=1, max_length=len(webhooks.EVENTS))


class WebhookCreated(Schema):
    id: int
    secret: str = Field(description="shown this once: keep it to check the signatures")


class DeliveryOut(Schema):
    id: int
    event: str
    delivery_id: str
    attempts: int
    status: str
    last_status_code: int | None


class DeliveryPage(Schema):
    items: list[DeliveryOut]
    count: int


@router.post("", response={201: WebhookCreated}, summary="Register a webhook (admin)")
def register(request: HttpRequest, payload: WebhookIn) -> Answer[dict[str, Any]]:
    hook, secret = webhooks.register_webhook(payload.url, payload.events, actor=actor_of(request))
    return Answer(201, {"id": hook.pk, "secret": secret})


@router.post(
    "/{webhook_id}/rotate-secret",
    response=WebhookCreated,
    summary="Give a webhook a new secret, shown once (admin)",
)
def rotate(request: HttpRequest, webhook_id: int) -> dict[str, Any]:
    hook, secret = webhooks.rotate_secret(webhook_id, actor=actor_of(request))
    return {"id": hook.pk, "secret": secret}


def _render(d: Delivery) -> dict[str, Any]:
    return {
        "id": d.pk,
        "event": d.event,
        "delivery_id": str(d.event_id),
        "attempts": d.attempts,
        "status": d.status,
        "last_status_code": d.last_status_code,
    }


@router.get(
    "/{webhook_id}/deliveries", response=DeliveryPage, summary="A webhook's deliveries (admin)"
)
def deliveries(request: HttpRequest, webhook_id: int, params: Query[PageParams]) -> dict[str, Any]:
    require_role(actor_of(request), Role.ADMIN)
    hook = Webhook.objects.filter(pk=webhook_id).first()
    if hook is None:
        raise NotFound("Webhook 不存在 / No such webhook.")
    return paginate(hook.deliveries.order_by("-created_at", "-pk"), params, _render)
