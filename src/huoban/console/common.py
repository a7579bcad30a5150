"""What every console page shares: who sees commission figures, how a refused action answers."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise

from huoban.errors import DomainError
from huoban.policy import sees_money
from huoban.web import in_language

__all__ = ["forbidden", "refused", "sees_money"]


def refused(request: HttpRequest, error: DomainError) -> int:
    """Put a service's refusal on the page as a message and return its status (403, 409…)."""
    messages.error(request, in_language(error.message))
    return error.status


def forbidden(request: HttpRequest, nav: str, reason: str | Promise) -> HttpResponse:
    """The console's 403 page for a role that may not use this page: says why, shows no form."""
    return render(request, "console/forbidden.html", {"nav": nav, "reason": reason}, status=403)
