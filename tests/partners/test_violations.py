"""Company violations and liquidated damages (R-VIOL-1); partner violations and white-label
(R-VIOL-2, R-TIER-5). Figures computed by hand in each test."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from huoban import clock
from huoban.access import Forbidden
from huoban.audit.models import AuditEvent
from huoban.commissions import ledger
from huoban.commissions.models import LedgerEntry
from huoban.errors import Conflict, ValidationFailed
from huoban.partners.models import CompanyViolation, Partner, PartnerViolation
from huoban.standing import tier_services, tiers, violations
from tests.projects.helpers import TODAY, ensure_policy_v1, sign

D = dt.date


@pytest.fixture(autouse=True)
def _today(db):
    ensure_policy_v1()
    with clock.frozen(TODAY):  # Tuesday 2026-06-30
        yield


def _confirmed(actors, amount: str = "300000.00", name: str = "晋城华东机械制造有限公司"):
    project = sign(actors.officer, actors.alpha, amount, name=name)
    report = violations.report_company_violation(
        actor=actors.alice, project_id=project.pk, kind="bypass", description="销售绕开伙伴直接签约"
    )
    return violations.decide_company_violation(
        report.pk, actor=actors.admin, confirm=True, note="核实属实"
    )


def test_it_claims_30_percent_of_a_300000_contract(actors):
    violation = _confirmed(actors)
    entry, created = violations.claim_liquidated_damages(violation.pk, actor=actors.alice)
    assert created
    # 30% × 300,000.00 = 90,000.00
    assert entry.kind == "liquidated_damages"
    assert entry.amount == Decimal("90000.00")
    assert entry.basis == Decimal("300000.00")
    assert entry.rate == Decimal("0.3000")
    assert entry.project_id == violation.project_id
    assert entry.partner == actors.alpha
    # Confirmed Tuesday 2026-06-30 → due the 3rd business day after: Friday 2026-07-03.
    assert entry.earned_on == D(2026, 6, 30)
    assert entry.due_on == D(2026, 7, 3)
    assert "违约金 = 合同额 × 30% × 300,000.00 = 90,000.00" in entry.explanation
    assert f"公司违约 #{violation.pk}" in entry.explanation
    assert "due = 3 business days after" in entry.explanation
    assert ledger.verify_ledger(actors.alpha)[0].result.ok
    assert AuditEvent.objects.filter(action="ledger.liquidated_damages").count() == 1


def test_it_rounds_half_up_on_123456_78(actors):
    violation = _confirmed(actors, "123456.78")
    entry, _ = violations.claim_liquidated_damages(violation.pk, actor=actors.alice)
    # 30% × 123,456.78 = 37,037.034 → 37,037.03
    assert entry.amount == Decimal("37037.03")
    assert "30% × 123,456.78 = 37,037.0340 → 37,037.03" in entry.explanation


def test_claiming_twice_creates_one_entry(actors):
    violation = _confirmed(actors)
    first, created = violations.claim_liquidated_damages(violation.pk, actor=actors.alice)
    again, created_again = violations.claim_liquidated_damages(violation.pk, actor=actors.alice)
    assert created and not created_again
    assert again.pk == first.pk
    assert LedgerEntry.objects.filter(kind="liquidated_damages").count() == 1


@pytest.mark.parametrize("decision", [None, False])
def test_an_unconfirmed_violation_cannot_be_claimed(actors, decision):
    project = sign(actors.officer, actors.alpha)
    report = violations.report_company_violation(
        actor=actors.alice,
        project_id=project.pk,
        kind="withheld_commission",
        description="佣金逾期",
    )
    if decision is not None:
        violations.decide_company_violation(
            report.pk, actor=actors.admin, confirm=False, note="不属实"
        )
    with pytest.raises(Conflict):
        violations.claim_liquidated_damages(report.pk, actor=actors.alice)
    assert not LedgerEntry.objects.filter(kind="liquidated_damages").exists()


def test_only_an_admin_decides_and_only_once(actors):
    project = sign(actors.officer, actors.alpha)
    report = violations.report_company_violation(
        actor=actors.alice, project_id=project.pk, kind="other", description="x"
    )
    with pytest.raises(Forbidden):
        violations.decide_company_violation(
            report.pk, actor=actors.officer, confirm=True, note="ok"
        )
    with pytest.raises(ValidationFailed):
        violations.decide_company_violation(report.pk, actor=actors.admin, confirm=True, note=" ")
    violations.decide_company_violation(report.pk, actor=actors.admin, confirm=True, note="属实")
    with pytest.raises(Conflict):
        violations.decide_company_violation(
            report.pk, actor=actors.admin, confirm=False, note="改判"
        )
    assert CompanyViolation.objects.get().status == "confirmed"


def test_a_partner_reports_only_on_its_own_project(actors):
    betas = sign(actors.officer, actors.beta, name="云岭茶业股份有限公司")
    with pytest.raises(ValidationFailed) as caught:
        violations.report_company_violation(
            actor=actors.alice, project_id=betas.pk, kind="bypass", description="x"
        )
    assert set(caught.value.errors) == {"project_id"}
    with pytest.raises(Forbidden):
        violations.report_company_violation(
            actor=actors.officer, project_id=betas.pk, kind="bypass", description="x"
        )
    assert not CompanyViolation.objects.exists()


# --- partner violations and white-label ------------------------------------------------------


def _make_strategic(partner: Partner) -> Partner:
    Partner.objects.filter(pk=partner.pk).update(tier="strategic")
    partner.refresh_from_db()
    return partner


def test_a_partner_violation_blocks_white_label(actors):
    alpha = _make_strategic(actors.alpha)
    violations.record_partner_violation(
        alpha,
        actor=actors.officer,
        kind="fake_lead",
        occurred_on=D(2025, 8, 1),
        description="虚构需求",
    )
    # 2025-08-01 is after 2025-06-30 (12 months before today): it blocks.
    with pytest.raises(Conflict):
        violations.grant_white_label(alpha, actor=actors.officer)
    alpha.refresh_from_db()
    assert alpha.white_label is False


def test_a_violation_older_than_12_months_no_longer_blocks(actors):
    alpha = _make_strategic(actors.alpha)
    violations.record_partner_violation(
        alpha,
        actor=actors.officer,
        kind="confidentiality",
        occurred_on=D(2025, 6, 30),
        description="x",
    )
    # Exactly 12 months old (on the window's first day): no longer blocks.
    assert violations.grant_white_label(alpha, actor=actors.officer).white_label is True


def test_white_label_only_for_strategic(actors):
    with pytest.raises(Conflict):
        violations.grant_white_label(actors.alpha, actor=actors.officer)
    with pytest.raises(Forbidden):
        violations.grant_white_label(_make_strategic(actors.alpha), actor=actors.alice)


def test_a_new_violation_withdraws_white_label(actors):
    alpha = violations.grant_white_label(_make_strategic(actors.alpha), actor=actors.officer)
    assert alpha.white_label
    violations.record_partner_violation(
        alpha,
        actor=actors.officer,
        kind="confidentiality",
        occurred_on=D(2026, 6, 1),
        description="x",
    )
    alpha.refresh_from_db()
    assert alpha.white_label is False
    event = AuditEvent.objects.get(action="partner.violation")
    assert event.after["white_label_withdrawn"] is True


def test_the_tier_check_sees_the_violation(actors):
    violations.record_partner_violation(
        actors.alpha,
        actor=actors.officer,
        kind="fake_lead",
        occurred_on=D(2026, 5, 20),
        description="虚假线索",
    )
    last = tier_services.last_violation_on(actors.alpha, TODAY)
    assert last == D(2026, 5, 20)
    # 600,000 signed and 2 valid leads in each of the last 3 months would make it deep...
    q = tiers.qualifying_tier(
        day=TODAY,
        ytd_signed=Decimal("600000.00"),
        valid_leads_by_month={(2026, 3): 2, (2026, 4): 2, (2026, 5): 2},
        last_violation_on=last,
    )
    # ...but the violation blocks deep entry for 12 months.
    assert q.tier == "light"


def test_recording_a_violation_needs_an_officer_and_good_input(actors):
    with pytest.raises(Forbidden):
        violations.record_partner_violation(
            actors.alpha, actor=actors.pm, kind="fake_lead", occurred_on=TODAY, description="x"
        )
    with pytest.raises(ValidationFailed) as caught:
        violations.record_partner_violation(
            actors.alpha,
            actor=actors.officer,
            kind="spam",
            occurred_on=D(2026, 7, 1),
            description="",
        )
    assert set(caught.value.errors) == {"kind", "occurred_on", "description"}
    assert not PartnerViolation.objects.exists()
