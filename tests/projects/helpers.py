"""Builders for project and ledger tests: attributed customers, signed projects, events."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from huoban.customers.attribution import attach_attribution
from huoban.customers.models import AttributionSource
from huoban.customers.registry import get_or_create_customer
from huoban.partners.models import Partner
from huoban.projects import services
from huoban.terms.models import PolicyVersion, parameters_of
from huoban.terms.rules import POLICY_V1

# The tests run "today" = 2026-06-30 (a Tuesday); every date used is before it.
TODAY = dt.date(2026, 6, 30)


def ensure_policy_v1() -> PolicyVersion:
    """Version 1 as its data migration writes it (a transactional test's flush removes it)."""
    version, _ = PolicyVersion.objects.get_or_create(
        version=1,
        defaults={
            "effective_from": POLICY_V1.effective_from,
            "parameters": parameters_of(POLICY_V1),
            "created_at": dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
        },
    )
    return version


def make_customer(partner: Partner | None, name: str = "晋城华东机械制造有限公司") -> Any:
    """A customer, attributed to ``partner`` unless None."""
    customer, _ = get_or_create_customer(name, region="山西")
    if partner is not None:
        attach_attribution(customer, partner, source=AttributionSource.TRANSFER)
    return customer


def sign(
    actor: Any,
    partner: Partner,
    amount: str = "300000.00",
    *,
    name: str = "晋城华东机械制造有限公司",
    kind: str = "new",
    high_margin: bool = False,
    category: str | None = None,
    signed_on: dt.date = dt.date(2026, 1, 5),
) -> Any:
    ensure_policy_v1()
    return services.create_project(
        actor=actor,
        customer_id=make_customer(partner, name).pk,
        title="生产数据平台",
        kind=kind,
        high_margin=high_margin,
        high_margin_category=category,
        contract_amount=Decimal(amount),
        signed_on=signed_on,
    )


def pay(actor: Any, project: Any, amount: str, on: dt.date, ref: str, **kw: Any) -> Any:
    return services.record_payment(
        project.pk, actor=actor, amount=Decimal(amount), received_on=on, reference=ref, **kw
    )


def full_example(actors: Any) -> Any:
    """300,000 new light project: 24,000 + 31,000 + 11,000 = 66,000 (see the API test)."""
    project = sign(actors.officer, actors.alpha)
    pay(actors.finance, project, "100000.00", dt.date(2026, 1, 15), "HK-001")
    pay(actors.finance, project, "150000.00", dt.date(2026, 3, 2), "HK-002")
    services.accept_project(project.pk, actor=actors.pm, accepted_on=dt.date(2026, 4, 10))
    pay(actors.finance, project, "50000.00", dt.date(2026, 5, 11), "HK-003")
    return project


def project_body(customer_id: int, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "customer_id": customer_id,
        "title": "生产数据平台",
        "kind": "new",
        "high_margin": False,
        "contract_amount": "300000.00",
        "signed_on": "2026-01-05",
    }
    body.update(overrides)
    return body
