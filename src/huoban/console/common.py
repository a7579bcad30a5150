"""What every console page shares: who sees commission figures, how a refused action answers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest

from huoban.accounts.models import Role
from huoban.errors import DomainError
from huoban.web import in_language


def sees_money(user: Any) -> bool:
    """Commission figures are for finance and admin only among staff (R-VIS-2)."""
    return bool(getattr(user, "has_role", None)) and user.has_role(Role.FINANCE)


def refused(request: HttpRequest, error: DomainError) -> int:
    """Put a service's refusal on the page as a message and return its status (403, 409…)."""
    messages.error(request, in_language(error.message))
    return error.status
