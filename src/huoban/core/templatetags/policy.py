"""The visibility rules of :mod:`huoban.policy` for templates: ``{% load policy %}``."""

from __future__ import annotations

from typing import Any

from django import template

from huoban import policy

register = template.Library()


@register.filter
def sees_money(user: Any) -> bool:
    """R-VIS-2: ``{% if request.user|sees_money %}``."""
    return policy.sees_money(user)
