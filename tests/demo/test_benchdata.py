"""The benchmark data set (huoban bench-data): seeded, consistent, and what the rules expect."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count, Sum

from huoban.commissions.ledger import verify_ledger
from huoban.commissions.models import LedgerEntry
from huoban.commissions.rebuild import rebuild_ledger
from huoban.customers.matching import match_customer
from huoban.customers.models import Attribution, Customer, CustomerName
from huoban.customers.normalize import normalize_name
from huoban.demo.benchdata import _Plan, generate, sizes_for
from huoban.leads.models import Lead
from huoban.partners.models import Partner
from huoban.projects.models import CustomerPayment, Milestone, Project
from huoban.uscc import is_valid_uscc
from tests.projects.helpers import ensure_policy_v1

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    ensure_policy_v1()
    return generate(0.002, seed=7)


def test_sizes_scale_with_n():
    assert sizes_for(1) == sizes_for(1.0)
    one = sizes_for(1)
    assert (one.partners, one.customers, one.projects, one.payments) == (
        10_000,
        1_000_000,
        300_000,
        1_000_000,
    )


def test_the_counts_are_those_asked_for(data):
    # 0.002 × (10,000, 1,000,000, 300,000, 1,000,000) = (20, 2,000, 600, 2,000).
    assert Partner.objects.count() == 20
    assert Customer.objects.count() == 2000
    assert Project.objects.count() == 600
    assert CustomerPayment.objects.filter(kind="payment").count() == 2000
    assert Milestone.objects.count() == 6 * 600
    # 40% of the customers have an owner, through one valid lead each.
    assert Attribution.objects.count() == Lead.objects.filter(status="valid").count() == 800


def test_every_name_normalises_to_its_stored_key_and_keys_are_unique(data):
    for customer in Customer.objects.all():
        assert normalize_name(customer.legal_name) == customer.normalized_name
    for name in CustomerName.objects.all():
        assert normalize_name(name.name) == name.normalized
    assert CustomerName.objects.filter(kind="alias").exists()
    codes = [c for c in Customer.objects.values_list("uscc", flat=True) if c]
    assert codes and all(is_valid_uscc(c) for c in codes)


def test_projects_belong_to_their_customers_owner_and_payments_fit(data):
    owner = dict(Attribution.objects.values_list("customer_id", "partner_id"))
    for project in Project.objects.all():
        assert owner[project.customer_id] == project.partner_id
    paid = CustomerPayment.objects.filter(kind="payment").values("project_id")
    for row in paid.annotate(total=Sum("amount")):
        project = Project.objects.get(pk=row["project_id"])
        assert row["total"] <= project.contract_amount
    # Events are numbered once each: payments, refunds, acceptance and cancellation.
    for project in Project.objects.annotate(n=Count("payments")):
        extra = (project.accepted_seq is not None) + (project.cancelled_seq is not None)
        assert project.event_count == project.n + extra


def test_the_seed_decides_the_names(data):
    """Customer i's 字号 + industry come from the seeded permutation: same seed, same names."""
    plan = _Plan(sizes_for(0.002), 7)
    other = _Plan(sizes_for(0.002), 8)
    names = dict(Customer.objects.values_list("id", "normalized_name"))
    # The key is 字号 + industry (+ 集团 for a group: the normaliser keeps it).
    assert all(names[i].startswith("".join(plan.names.parts(i))) for i in range(1, 201))
    assert sum(names[i].startswith("".join(other.names.parts(i))) for i in range(1, 201)) < 5


def test_the_name_index_finds_generated_customers(data):
    customer = Customer.objects.order_by("id")[17]
    match = match_customer(customer.legal_name)
    assert (match.kind, match.customer) == ("exact", customer)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # raises if the FTS5 index disagrees with the table
            cursor.execute(
                "INSERT INTO customers_customername_fts(customers_customername_fts) "
                "VALUES ('integrity-check')"
            )


def test_the_ledger_rebuilds_from_the_generated_events(data):
    report = rebuild_ledger(workers=0)
    assert report.projects == 600 and report.entries > 600
    assert report.events == CustomerPayment.objects.count()
    assert all(v.result.ok for v in verify_ledger())
    # No project earns more than its total commission T (R-LED-4).
    earned = LedgerEntry.objects.exclude(kind="override").values("project_id")
    for row in earned.annotate(total=Sum("amount")):
        assert row["total"] <= Project.objects.get(pk=row["project_id"]).commission_total


def test_a_database_with_partners_is_refused(data):
    with pytest.raises(RuntimeError, match="empty database"):
        generate(0.002)
