"""The one template-tag library of the console and the portal: ``{% load huoban_tags %}``.

Amounts are formatted here, never computed (R-POL-3); who may see what is asked of
:mod:`huoban.policy`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from huoban import money, policy
from huoban.accounts.models import Role, User
from huoban.analytics import rules as analytics_rules
from huoban.audit.actions import Action
from huoban.notifications.services import unread_count
from huoban.partners.models import Tier
from huoban.web import in_language

register = template.Library()


@register.filter
def yuan(value: Decimal | str | None) -> str:
    """24000 → '24,000.00': the ledger's two decimals with thousands separators."""
    if value is None or value == "":
        return "—"
    return format(money.cny(value), ",.2f")


@register.filter
def percent(rate: Decimal | None) -> str:
    """0.2200 → '22%' (0.225 → '22.5%')."""
    if rate is None:
        return "—"
    return f"{format((Decimal(rate) * 100).normalize(), 'f')}%"


@register.filter
def role_label(code: str) -> str:
    """A role's display name ('finance' → 财务)."""
    return str(Role(code).label) if code in Role.values else code


@register.filter
def own_language(text: str) -> str:
    """Each "中文 / English" line of a stored explanation or reason, in the user's language."""
    return "\n".join(in_language(line) for line in (text or "").splitlines())


@register.filter
def sees_money(user: Any) -> bool:
    """R-VIS-2: ``{% if request.user|sees_money %}``."""
    return policy.sees_money(user)


@register.filter
def may_manage_staff(user: Any) -> bool:
    """R-UI-1: ``{% if request.user|may_manage_staff %}`` (the staff-user pages)."""
    return policy.may_manage_staff(user)


@register.filter
def ratio_percent(value: Any) -> str:
    """A ratio as a percentage with one decimal (3.5 → 350.0%), '—' for none (R-ANL)."""
    return analytics_rules.percent(value)


@register.filter
def may_read_analytics(user: Any) -> bool:
    """R-ANL: ``{% if request.user|may_read_analytics %}`` (the channel analytics)."""
    return policy.may_read_analytics(user)


@register.filter
def may_import(user: Any) -> bool:
    """R-IMP-1: ``{% if request.user|may_import %}`` (the imports page, any kind)."""
    return policy.may_import(user)


@register.filter
def may_approve_adjustment(entry: Any, user: Any) -> bool:
    """R-LED-2: ``{% if entry|may_approve_adjustment:request.user %}``."""
    return policy.may_approve_adjustment(user, entry)


@register.filter
def action_label(code: str) -> str:
    """An audit action's name in the user's language (the code itself if it is not listed)."""
    return str(Action(code).label) if code in Action.values else code


@register.filter
def may_manage_integrations(user: Any) -> bool:
    """R-HOOK-1: the webhooks page is the admin's."""
    return policy.may_manage_integrations(user)


@register.filter
def may_judge_leads(user: Any) -> bool:
    """R-LEAD-2: ``{% if request.user|may_judge_leads %}`` (the lead queue in the menu)."""
    return policy.may_judge_leads(user)


@register.filter
def tier_label(code: str) -> str:
    """A tier's name in the user's language (the code itself if it is not a tier)."""
    return str(Tier(code).label) if code in Tier.values else code


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context: template.Context) -> dict[str, Any]:
    """The bell with the signed-in person's unread count (R-NOTE-2): ``{% notification_bell %}``."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"unread": unread_count(user) if isinstance(user, User) else 0}


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``{{ health|get_item:partner.pk }}``: a dictionary's value for a key, or None."""
    return mapping.get(key) if hasattr(mapping, "get") else None
