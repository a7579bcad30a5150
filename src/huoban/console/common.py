"""What every console page shares: who sees commission figures, how a refused action answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from huoban.audit.services import record
from huoban.core.exports import Column, export_response, wanted
from huoban.errors import DomainError
from huoban.partners.models import Partner
from huoban.policy import sees_money
from huoban.web import Sent, actor_of, in_language

__all__ = [
    "Column", "ask_first", "confirmed", "exported", "forbidden", "partner_or_404", "refused",
    "sees_money", "settle",
]  # fmt: skip


def exported(
    request: HttpRequest, rows: Any, columns: list[Column], *, name: str, title: str
) -> HttpResponseBase | None:
    """The list as Excel or CSV when the request asks for it (``?export=xlsx|csv``; R-IMP-5),
    its current filter and every row; who exported which list with which filter is audited
    (`list.export`). None when no export is asked for."""
    fmt = wanted(request)
    if fmt is None:
        return None
    params = request.GET.copy()
    for key in ("export", "page"):
        params.pop(key, None)
    record(
        actor_of(request),
        "list.export",
        None,
        object_type="list",
        object_id=name,
        after={"list": name, "filter": dict(params.items()), "format": fmt},
    )
    return export_response(rows, columns, name=f"huoban-{name}", title=title, fmt=fmt)


def refused(request: HttpRequest, error: DomainError) -> int:
    """Put a service's refusal on the page as a message and return its status (403, 409…)."""
    messages.error(request, in_language(error.message))
    return error.status


def partner_or_404(request: HttpRequest, code: str) -> Partner:
    """A partner the signed-in staff user may see, by code; 404 otherwise (R-VIS-4)."""
    found = Partner.objects.visible_to(request.user).filter(code=code).first()
    if found is None:
        raise Http404
    return found


def settle(
    request: HttpRequest,
    sent: Sent[Any],
    *,
    done: str | Callable[[Any], str],
    to: str,
    again: Callable[[int], HttpResponse],
) -> HttpResponse:
    """The ending of a console form's POST: on success the message (``done``, or ``done`` of
    the service's result) and the redirect to ``to``; otherwise ``again(status)`` — the page
    once more with the form's errors (422) or the service's refusal as a message (its status)."""
    if sent.ok:
        messages.success(request, done(sent.value) if callable(done) else done)
        return redirect(to)
    return again(refused(request, sent.refusal) if sent.refusal else 422)


def forbidden(request: HttpRequest, nav: str, reason: str | Promise) -> HttpResponse:
    """The console's 403 page for a role that may not use this page: says why, shows no form."""
    return render(request, "console/forbidden.html", {"nav": nav, "reason": reason}, status=403)


CONFIRMED = "confirmed"


def confirmed(request: HttpRequest) -> bool:
    """Whether the form was sent again from the confirmation page (:func:`ask_first`)."""
    return request.POST.get(CONFIRMED) == "yes"


def ask_first(
    request: HttpRequest,
    *,
    nav: str,
    title: str | Promise,
    lines: list[str],
    cancel_url: str,
    button: str | Promise | None = None,
) -> HttpResponse:
    """Before an action that cannot be undone (exit, cancellation, payout): a page that says
    what it will do, with the same form sent again (hidden) and a confirm button. Nothing is
    written until that second send (R-UI-1, care with what cannot be undone)."""
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", CONFIRMED)
        for value in values
    ]
    return render(
        request,
        "console/confirm.html",
        {
            "nav": nav,
            "page_url": cancel_url,  # a refresh goes back to the page, never re-sends
            "title": title,
            "lines": lines,
            "fields": fields,
            "action": request.path,
            "cancel_url": cancel_url,
            "button": button or _("确认"),
        },
    )
