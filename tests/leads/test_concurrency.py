"""R-ATT-3 / ARCHITECTURE §3 on PostgreSQL: two partners register the same new customer at the
same moment from two connections, and exactly one ends up owning it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from huoban.customers.models import Attribution, Customer
from huoban.errors import Conflict
from huoban.leads.models import Lead, Status
from tests.concurrency import run_together

from .helpers import judge, submit


@pytest.mark.django_db(transaction=True)
def test_two_partners_racing_for_a_new_customer_leave_exactly_one_owner(actors):
    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections to a PostgreSQL server")
    alice, bob = actors.alice, actors.bob
    leads = run_together(
        lambda: submit(alice, "朔州新元能源科技有限公司"),
        lambda: submit(bob, "朔州新元能源科技有限公司"),
    )
    assert all(isinstance(lead, Lead) for lead in leads), leads
    assert Customer.objects.filter(normalized_name__contains="新元能源").count() == 1
    assert leads[0].customer_id == leads[1].customer_id

    officer, presales = actors.officer, actors.presales
    outcomes = run_together(lambda: judge(officer, leads[0]), lambda: judge(presales, leads[1]))
    assert sum(isinstance(o, Lead) for o in outcomes) >= 1
    assert all(isinstance(o, Lead | Conflict) for o in outcomes), outcomes

    # Whatever the interleaving, the queue leaves one valid lead and one duplicate.
    for lead in leads:
        lead.refresh_from_db()
    statuses = sorted(lead.status for lead in leads)
    if statuses == [Status.PENDING, Status.VALID]:
        pytest.fail("the later lead should have become a duplicate")
    assert statuses == [Status.DUPLICATE, Status.VALID]
    assert Attribution.objects.filter(customer_id=leads[0].customer_id).count() == 1
    winner = next(lead for lead in leads if lead.status == Status.VALID)
    assert Attribution.objects.get(customer_id=winner.customer_id).partner_id == winner.partner_id


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_a_second_owner_even_past_the_queue(actors):
    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections to a PostgreSQL server")
    from django.db import transaction

    from huoban.customers.attribution import attach_attribution
    from huoban.customers.registry import get_or_create_customer

    customer, _ = get_or_create_customer("临汾恒盛焦化有限公司")

    def claim(partner: Any) -> Any:
        with transaction.atomic():
            return attach_attribution(customer, partner, source="lead")

    alpha, beta = actors.alpha, actors.beta
    results = run_together(lambda: claim(alpha), lambda: claim(beta))
    assert sum(isinstance(r, Attribution) for r in results) == 1, results
    assert sum(isinstance(r, Conflict) for r in results) == 1, results
    assert Attribution.objects.filter(customer=customer).count() == 1
