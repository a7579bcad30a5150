"""What every console page shares: who sees commission figures, how a refused action answers."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest

from huoban.errors import DomainError
from huoban.policy import sees_money
from huoban.web import in_language

__all__ = ["refused", "sees_money"]


def refused(request: HttpRequest, error: DomainError) -> int:
    """Put a service's refusal on the page as a message and return its status (403, 409…)."""
    messages.error(request, in_language(error.message))
    return error.status
