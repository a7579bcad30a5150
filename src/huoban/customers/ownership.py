"""Who owns a customer (R-ATT-4): the one question every customer module asks."""

from __future__ import annotations

from huoban.partners.models import Partner

from .models import Attribution, Customer


def owner_of(customer: Customer) -> Partner | None:
    """The partner that owns the customer (R-ATT-4), or None."""
    attribution = (
        Attribution.objects.filter(customer_id=customer.pk).select_related("partner").first()
    )
    return attribution.partner if attribution is not None else None
