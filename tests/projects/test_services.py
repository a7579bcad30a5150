"""Project services (SPEC §5): signing, leads, events, cancellation and their audit events."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from huoban.access import Forbidden
from huoban.audit.models import AuditEvent
from huoban.commissions.models import LedgerEntry
from huoban.errors import Conflict, ValidationFailed
from huoban.projects import services
from huoban.projects.models import Milestone
from tests.leads.helpers import judge, submit

from .helpers import make_customer, pay, sign

D = dt.date


def test_signing_stores_the_owner_locks_the_rate_and_opens_six_milestones(actors, policy_v1):
    project = sign(actors.pm, actors.alpha, "80000.00", kind="iteration")
    # 80,000 ≤ 100,000 → 15%; iteration +2% → 17%; T = 17% × 80,000 = 13,600.00.
    assert (project.partner, project.rate, project.commission_total) == (
        actors.alpha,
        Decimal("0.17"),
        Decimal("13600.00"),
    )
    assert project.policy_version == policy_v1
    assert "续费加成 +2%" in project.rate_explanation
    assert Milestone.objects.filter(project=project).count() == 6
    assert AuditEvent.objects.filter(action="project.create", object_id=str(project.pk)).count()


def test_a_lead_must_be_valid_and_on_the_customer(actors, policy_v1):
    lead = submit(actors.alice, "东义集团")
    customer = lead.customer
    with pytest.raises(ValidationFailed) as pending:
        services.create_project(
            actor=actors.officer,
            customer_id=customer.pk,
            lead_id=lead.pk,
            title="平台",
            kind="new",
            high_margin=False,
            contract_amount=Decimal("100000.00"),
            signed_on=D(2026, 6, 1),
        )
    assert "lead_id" in pending.value.errors
    judge(actors.officer, lead)
    other = make_customer(actors.alpha, "阳泉另一家客户有限公司")
    with pytest.raises(ValidationFailed) as elsewhere:
        services.create_project(
            actor=actors.officer,
            customer_id=other.pk,
            lead_id=lead.pk,
            title="平台",
            kind="new",
            high_margin=False,
            contract_amount=Decimal("100000.00"),
            signed_on=D(2026, 6, 1),
        )
    assert "lead_id" in elsewhere.value.errors
    project = services.create_project(
        actor=actors.officer,
        customer_id=customer.pk,
        lead_id=lead.pk,
        title="平台",
        kind="new",
        high_margin=False,
        contract_amount=Decimal("100000.00"),
        signed_on=D(2026, 6, 1),
    )
    assert (project.lead, project.partner) == (lead, actors.alpha)


def test_only_finance_records_payments(actors, policy_v1):
    project = sign(actors.officer, actors.alpha)
    with pytest.raises(Forbidden):
        pay(actors.pm, project, "1.00", D(2026, 1, 15), "HK-1")
    with pytest.raises(Forbidden):
        sign(actors.finance, actors.alpha, name="另一个客户有限公司")


def test_a_cancelled_project_keeps_its_credit_and_earns_nothing_more(actors, policy_v1):
    project = sign(actors.officer, actors.alpha)
    pay(actors.finance, project, "100000.00", D(2026, 1, 15), "HK-1")
    services.cancel_project(
        project.pk, actor=actors.officer, cancelled_on=D(2026, 2, 1), reason="客户终止"
    )
    # The 24,000.00 confirmation stays; a later payment earns nothing.
    _p, _created, outcomes = pay(actors.finance, project, "50000.00", D(2026, 2, 10), "HK-2")
    assert [o.entry for o in outcomes] == [None]
    assert [str(e.amount) for e in LedgerEntry.objects.all()] == ["24000.00"]
    with pytest.raises(Conflict):
        services.accept_project(project.pk, actor=actors.pm, accepted_on=D(2026, 3, 1))


def test_every_event_writes_one_audit_event(actors, policy_v1):
    project = sign(actors.officer, actors.alpha)
    before = AuditEvent.objects.count()
    pay(actors.finance, project, "100000.00", D(2026, 1, 15), "HK-1")
    pay(actors.finance, project, "100000.00", D(2026, 1, 15), "HK-1")  # same again: nothing
    services.accept_project(project.pk, actor=actors.pm, accepted_on=D(2026, 4, 10))
    services.update_milestone(project.pk, "solution", actor=actors.pm, status="done")
    actions = list(AuditEvent.objects.order_by("id")[before:].values_list("action", flat=True))
    assert actions == ["project.payment", "project.accept", "project.milestone"]
    # 100,000 received: r × R = 22% × 100,000 = 22,000 < C = 24,000, so acceptance earns
    # nothing more and its event lists no entry (R-LED-4).
    assert AuditEvent.objects.get(action="project.accept").after["entries"] == []


def test_the_acceptance_event_lists_the_settlement_it_earned(actors, policy_v1):
    project = sign(actors.officer, actors.alpha)  # 300,000 new, light: r = 22%, T = 66,000
    pay(actors.finance, project, "100000.00", D(2026, 1, 15), "HK-1")  # C = 24,000
    pay(actors.finance, project, "150000.00", D(2026, 3, 2), "HK-2")
    services.accept_project(project.pk, actor=actors.pm, accepted_on=D(2026, 4, 10))
    # R = 250,000: 22% × 250,000 = 55,000 earned, 24,000 credited → a 31,000 settlement.
    settlement = LedgerEntry.objects.get(project=project, kind="settlement")
    assert settlement.amount == Decimal("31000.00")
    accepted = AuditEvent.objects.get(action="project.accept")
    assert accepted.after["entries"] == [settlement.pk]  # the side effect, in the event
