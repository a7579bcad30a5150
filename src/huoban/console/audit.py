"""The audit log (R-UI-1, R-VIS-2: finance and admin): filter by who, what, which object and
when; verify the whole chain on screen, naming the first bad event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from huoban.audit.models import AuditEvent
from huoban.audit.services import verify_audit_log
from huoban.pagination import page_of, query_without_page

from .finance import finance_required
from .forms import AuditFilterForm


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@finance_required
@require_http_methods(["GET", "POST"])
def audit_log(request: HttpRequest) -> HttpResponse:
    """Newest first, 50 a page; POST verifies the chain (nothing is written)."""
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.order_by("-id")
    if form.is_bound and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        if data["actor"]:
            events = events.filter(actor_name__icontains=data["actor"].strip())
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["object_type"]:
            events = events.filter(object_type=data["object_type"].strip())
        if data["object_id"]:
            events = events.filter(object_id=data["object_id"].strip())
        if data["since"]:
            events = events.filter(at__gte=_day_start(data["since"]))
        if data["until"]:
            events = events.filter(at__lt=_day_start(data["until"] + dt.timedelta(days=1)))
    first_bad = request.GET.get("event", "")
    if first_bad.isdigit():
        events = events.filter(pk__lte=int(first_bad))
    verification = verify_audit_log() if request.method == "POST" else None
    return render(
        request,
        "console/audit.html",
        {
            "nav": "audit",
            "form": form if form.is_bound else AuditFilterForm(),
            "page": page_of(request, events),
            "query": query_without_page(request),
            "verification": verification,
        },
        status=422 if form.is_bound and not form.is_valid() else 200,
    )
