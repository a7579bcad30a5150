"""Display filters for the portal: amounts are formatted here, never computed (R-POL-3)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from huoban import money

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
    text = format((Decimal(rate) * 100).normalize(), "f")
    return f"{text}%"


@register.filter
def role_label(code: str) -> str:
    """A role's display name ('finance' → 财务)."""
    from huoban.accounts.models import Role

    return str(Role(code).label) if code in Role.values else code


@register.filter
def own_language(text: str) -> str:
    """Each "中文 / English" line of a stored explanation or reason, in the user's language."""
    from huoban.web import in_language

    return "\n".join(in_language(line) for line in (text or "").splitlines())
