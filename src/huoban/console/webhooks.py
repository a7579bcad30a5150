"""Integrations (admin, R-UI-1, R-NOTE-2 and R-HOOK-1). Webhooks: register one and see its secret
once; each webhook's deliveries with their attempts; re-send a delivery by hand. Group robots:
register a team chat's WeCom, DingTalk or Feishu robot with its events; switch one off."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huoban import clock
from huoban.errors import DomainError
from huoban.notifications import outbox, robots, webhooks
from huoban.notifications.models import Channel, Delivery, DeliveryStatus, Robot, Webhook
from huoban.pagination import page_of
from huoban.policy import may_manage_integrations
from huoban.web import actor_of, mark_invalid, send, staff_required

from .common import forbidden, refused
from .forms import RobotForm, WebhookForm


def _switched(
    request: HttpRequest, switch: Callable[[bool], Webhook | Robot], back: str
) -> HttpResponse:
    """Switch a webhook or robot as the form asks (active=1: on), say so, and go `back`."""
    try:
        row = switch(request.POST.get("active") == "1")
    except DomainError as e:
        if e.status == 404:
            raise Http404 from e
        refused(request, e)
        return redirect(back)
    messages.success(request, _("已启用。") if row.active else _("已停用，不再推送。"))
    if isinstance(row, Webhook):
        return redirect("console:webhook", webhook_id=row.pk)
    return redirect(back)


def _admins_only(request: HttpRequest, nav: str = "webhooks") -> HttpResponse | None:
    if may_manage_integrations(request.user):
        return None
    return forbidden(request, nav, _("Webhook 和群机器人由管理员登记。"))


def _list_page(
    request: HttpRequest,
    form: WebhookForm | None = None,
    *,
    created: tuple[Webhook, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    hooks = Webhook.objects.order_by("-created_at", "-pk").annotate(
        pending=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)),
        failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
    )
    failures = Delivery.objects.filter(status=DeliveryStatus.FAILED).select_related(
        "webhook", "recipient", "robot"
    )
    return render(
        request,
        "console/webhooks.html",
        {
            "nav": "webhooks",
            "hooks": hooks,
            "failures": failures.order_by("-created_at", "-pk")[:20],
            "form": mark_invalid(form or WebhookForm()),
            "created": created,
        },
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def webhook_list(request: HttpRequest) -> HttpResponse:
    """Every webhook with its pending and failed deliveries, the latest failures, and the form
    to register one (admin)."""
    if (refusal := _admins_only(request)) is not None:
        return refusal
    if request.method == "GET":
        return _list_page(request)
    form = WebhookForm(request.POST)
    sent = send(
        form,
        lambda data: webhooks.register_webhook(
            data["url"], data["events"], actor=actor_of(request)
        ),
    )
    if sent.ok:
        # The secret is shown on this answer only (never stored in a message or a URL).
        return _list_page(request, created=sent.value)
    status = refused(request, sent.refusal) if sent.refusal else 422
    return _list_page(request, form, status=status)


@staff_required
@require_http_methods(["GET"])
def webhook_detail(request: HttpRequest, webhook_id: int) -> HttpResponse:
    """One webhook's deliveries, the newest first, each with its attempts (admin)."""
    if (refusal := _admins_only(request)) is not None:
        return refusal
    hook = Webhook.objects.filter(pk=webhook_id).first()
    if hook is None:
        raise Http404
    return _detail_page(request, hook)


def _detail_page(request: HttpRequest, hook: Webhook, *, secret: str = "") -> HttpResponse:
    rows = hook.deliveries.order_by("-created_at", "-pk").prefetch_related("tries")
    return render(
        request,
        "console/webhook.html",
        {"nav": "webhooks", "hook": hook, "page": page_of(request, rows), "secret": secret},
    )


@staff_required
@require_POST
def webhook_rotate(request: HttpRequest, webhook_id: int) -> HttpResponse:
    """A new secret for the webhook, shown on this answer only."""
    if (refusal := _admins_only(request)) is not None:
        return refusal
    try:
        hook, secret = webhooks.rotate_secret(webhook_id, actor=actor_of(request))
    except DomainError as e:
        if e.status == 404:
            raise Http404 from e
        refused(request, e)
        return redirect("console:webhooks")
    return _detail_page(request, hook, secret=secret)


@staff_required
@require_POST
def webhook_switch(request: HttpRequest, webhook_id: int) -> HttpResponse:
    """Switch a webhook off, or on again."""
    if (refusal := _admins_only(request)) is not None:
        return refusal
    return _switched(
        request,
        lambda on: webhooks.set_webhook_active(webhook_id, on, actor=actor_of(request)),
        "console:webhooks",
    )


@staff_required
@require_POST
def delivery_resend(request: HttpRequest, delivery_id: int) -> HttpResponse:
    """Send a delivery again (admin): due now, for the next round of the worker."""
    if (refusal := _admins_only(request)) is not None:
        return refusal
    try:
        delivery = outbox.resend(delivery_id, actor=actor_of(request))
    except DomainError as e:
        if e.status == 404:
            raise Http404 from e
        refused(request, e)
        return redirect("console:webhooks")
    messages.success(request, _("已排入重发，下一轮投递时发送。"))
    if delivery.webhook_id is None:
        return redirect("console:webhooks")
    return redirect("console:webhook", webhook_id=delivery.webhook_id)


# --- group robots ------------------------------------------------------------------------------


def _robots_page(
    request: HttpRequest, form: RobotForm | None = None, *, status: int = 200
) -> HttpResponse:
    rows = Robot.objects.order_by("team", "name", "pk").annotate(
        pending=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)),
        sent=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)),
        failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
    )
    return render(
        request,
        "console/robots.html",
        {"nav": "robots", "robots": rows, "form": mark_invalid(form or RobotForm())},
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def robot_list(request: HttpRequest) -> HttpResponse:
    """The team chats' robots with their delivery counts, and the form to register one."""
    if (refusal := _admins_only(request, "robots")) is not None:
        return refusal
    if request.method == "GET":
        return _robots_page(request)
    form = RobotForm(request.POST)
    sent = send(form, lambda data: robots.register_robot(**data, actor=actor_of(request)))
    if sent.ok:
        messages.success(request, _("已登记群机器人，所选事件将推送到该群。"))
        return redirect("console:robots")
    status = refused(request, sent.refusal) if sent.refusal else 422
    return _robots_page(request, form, status=status)


@staff_required
@require_POST
def robot_switch(request: HttpRequest, robot_id: int) -> HttpResponse:
    """Switch a robot off, or on again."""
    if (refusal := _admins_only(request, "robots")) is not None:
        return refusal
    return _switched(
        request,
        lambda on: robots.set_robot_active(robot_id, on, actor=actor_of(request)),
        "console:robots",
    )


# --- the channels ------------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET"])
def channels(request: HttpRequest) -> HttpResponse:
    """Whether the worker keeps up, what each channel did in the last 7 days, and the e-mail
    settings (admin)."""
    if (refusal := _admins_only(request, "channels")) is not None:
        return refusal
    state = outbox.health()
    now = clock.now()
    rows = [
        {
            "channel": label,
            "pending": state.by_channel.get(value, {}).get(DeliveryStatus.PENDING, 0),
            "sent": state.by_channel.get(value, {}).get(DeliveryStatus.SENT, 0),
            "failed": state.by_channel.get(value, {}).get(DeliveryStatus.FAILED, 0),
        }
        for value, label in Channel.choices
    ]
    return render(
        request,
        "console/channels.html",
        {
            "nav": "channels",
            "health": state,
            "stalled": state.stalled(now),
            "rows": rows,
            "email_on": bool(settings.HUOBAN["EMAIL_ENABLED"]),
            "email": {
                "host": settings.EMAIL_HOST,
                "port": settings.EMAIL_PORT,
                "tls": settings.EMAIL_USE_TLS,
                "ssl": settings.EMAIL_USE_SSL,
                "sender": settings.DEFAULT_FROM_EMAIL,
                "base_url": settings.HUOBAN_BASE_URL,
            },
            "robots": Robot.objects.filter(active=True).count(),
            "hooks": Webhook.objects.filter(active=True).count(),
        },
    )


@staff_required
@require_POST
def channels_test(request: HttpRequest) -> HttpResponse:
    """Send the admin a test notification (the bell, and e-mail when configured)."""
    if (refusal := _admins_only(request, "channels")) is not None:
        return refusal
    outbox.send_test(actor=actor_of(request))
    messages.success(request, _("测试通知已排入发送，worker 下一轮送达（站内铃铛与邮件）。"))
    return redirect("console:channels")
