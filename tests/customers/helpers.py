"""Shared helpers for the customers tests: plain functions, no magic (STYLE §12)."""

from __future__ import annotations

from typing import Any

from huoban.audit.models import AuditEvent
from huoban.customers import models as m
from huoban.customers.attribution import attach_attribution
from huoban.customers.models import Customer
from huoban.customers.registry import get_or_create_customer
from huoban.partners.models import Partner

MOUTAI = "贵州茅台酒股份有限公司"
USCC_A = "91110000710926094P"
USCC_B = "91310000631696382C"


def make_customer(name: str = MOUTAI, **kwargs: Any) -> Customer:
    customer, _created = get_or_create_customer(name, **kwargs)
    return customer


def owned_customer(partner: Partner, name: str = MOUTAI, **kwargs: Any) -> Customer:
    customer = make_customer(name, **kwargs)
    attach_attribution(customer, partner, source="lead")
    return customer


def row_counts() -> dict[str, int]:
    """How many rows each customers table and the audit log hold."""
    tables = [
        m.Customer,
        m.CustomerName,
        m.CustomerLink,
        m.Attribution,
        m.AttributionTransfer,
        m.Contact,
        m.ContactConsent,
        m.InboundContact,
        AuditEvent,
    ]
    return {t.__name__: t.objects.count() for t in tables}


def owner_codes() -> dict[int, str]:
    return dict(m.Attribution.objects.values_list("customer_id", "partner__code"))
