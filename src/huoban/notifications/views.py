"""The inbox pages (R-NOTE-2): the bell's list, opening one notification, marking all read.

One set of pages for staff and partners, like the sessions page: each person sees only their own
notifications, in the frame of their side (the console or the portal).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huoban.errors import NotFound
from huoban.pagination import page_of
from huoban.web import actor_of

from . import preferences, services
from .models import PersonalChannel

PAGE_SIZE = 30


def _frame(request: HttpRequest) -> str:
    return "base_portal.html" if actor_of(request).is_partner_user else "base_console.html"


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The person's notifications, the newest first, the unread marked."""
    user = actor_of(request)
    page = page_of(request, services.inbox(user), PAGE_SIZE)
    return render(
        request,
        "notifications/inbox.html",
        {
            "frame": _frame(request),
            "nav": "notifications",
            "page": page,
            "unread": services.unread_count(user),
        },
    )


@login_required
@require_GET
def badge(request: HttpRequest) -> HttpResponse:
    """The bell with its unread count (polled by HTMX)."""
    return render(
        request, "notifications/_bell.html", {"unread": services.unread_count(actor_of(request))}
    )


@login_required
@require_POST
def open_one(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one notification read and go to the page where the person acts."""
    try:
        notification = services.mark_read(notification_id, actor=actor_of(request))
    except NotFound as e:
        raise Http404 from e
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    services.mark_all_read(actor=actor_of(request))
    return redirect("notifications")


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """Per event that can reach the person, whether they want it in the app and by e-mail."""
    user = actor_of(request)
    if request.method == "POST":
        wanted = {
            kind.event: [c for c in PersonalChannel.values if f"{kind.event}:{c}" in request.POST]
            for kind in preferences.events_for(user)
        }
        preferences.set_choices(wanted, actor=user)
        messages.success(request, _("通知设置已保存。"))
        return redirect("notification_settings")
    chosen = preferences.choices_of(user)
    rows = [
        {
            "kind": kind,
            "channels": [
                (c, f"{kind.event}:{c}", c in chosen[kind.event]) for c in PersonalChannel
            ],
        }
        for kind in preferences.events_for(user)
    ]
    return render(
        request,
        "notifications/settings.html",
        {
            "frame": _frame(request),
            "nav": "notifications",
            "rows": rows,
            "channels": list(PersonalChannel),
            "email_on": bool(settings.HUOBAN["EMAIL_ENABLED"]),
            "address": user.email,
        },
    )
