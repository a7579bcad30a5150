"""Display filters for the console: amounts are formatted here, never computed (R-POL-3)."""

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
    return f"{format((Decimal(rate) * 100).normalize(), 'f')}%"
