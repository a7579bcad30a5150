"""A partner's exit (R-EXIT-1): the tail through record_payment (R-LED-7), read-only access
after exit, payouts still made. Figures computed by hand in each test."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps

from huoban import clock
from huoban.access import Forbidden
from huoban.commissions import ledger
from huoban.commissions.models import LedgerEntry
from huoban.customers.consent import grant_consent, revoke_consent
from huoban.customers.models import ContactConsent
from huoban.errors import Conflict, ValidationFailed
from huoban.leads.services import appeal
from huoban.partners.models import Partner
from huoban.standing import violations
from tests.leads.helpers import INVALID, judge, submit
from tests.projects.helpers import TODAY, ensure_policy_v1, pay, sign

D = dt.date
READ_ONLY = "伙伴已退出，仅可查看 / The partner has exited: read-only access."


@pytest.fixture(autouse=True)
def _policy(db):
    ensure_policy_v1()


def _two_projects(actors):
    with clock.frozen(TODAY):
        first = sign(actors.officer, actors.alpha, name="晋城华东机械制造有限公司")
        second = sign(actors.officer, actors.alpha, name="云岭茶业股份有限公司")
    return first, second


def test_partner_initiated_exit_earns_for_3_years_then_nothing(actors):
    first, second = _two_projects(actors)
    with clock.frozen(TODAY):
        violations.exit_partner(
            actors.alpha, kind="partner_initiated", on_date=D(2026, 3, 1), actor=actors.officer
        )
    with clock.frozen(D(2029, 3, 10)):
        # Exit 2026-03-01 → the tail ends 2029-03-01, a payment that day still earns:
        # confirmation C = 8% × 300,000.00 = 24,000.00.
        _, _, outcomes = pay(actors.finance, first, "100000.00", D(2029, 3, 1), "HK-1")
        assert [o.entry.amount for o in outcomes if o.entry] == [Decimal("24000.00")]
        # The day after earns nothing, and the explanation says why.
        _, _, outcomes = pay(actors.finance, second, "100000.00", D(2029, 3, 2), "HK-2")
    assert [o.entry for o in outcomes] == [None]
    assert "2029-03-02 > 2029-03-01 → 不计佣" in outcomes[0].explanation
    assert LedgerEntry.objects.filter(partner=actors.alpha).count() == 1


def test_company_violation_exit_has_no_tail_limit(actors):
    first, _ = _two_projects(actors)
    with clock.frozen(TODAY):
        violations.exit_partner(
            actors.alpha, kind="company_violation", on_date=D(2026, 3, 1), actor=actors.admin
        )
    with clock.frozen(D(2035, 1, 10)):
        _, _, outcomes = pay(actors.finance, first, "100000.00", D(2035, 1, 8), "HK-1")
    assert [o.entry.amount for o in outcomes if o.entry] == [Decimal("24000.00")]


def test_the_answer_lists_in_flight_projects_and_the_notice(actors):
    first, second = _two_projects(actors)
    with clock.frozen(TODAY):
        from huoban.projects.services import cancel_project

        cancel_project(second.pk, actor=actors.pm, cancelled_on=TODAY, reason="客户终止")
        result = violations.exit_partner(
            actors.alpha,
            kind="partner_initiated",
            on_date=D(2026, 7, 20),
            actor=actors.officer,
            note="伙伴书面通知退出",
            notice_on=D(2026, 6, 30),
        )
    assert [p.pk for p in result.in_flight] == [first.pk]
    # 2026-06-30 → 2026-07-20: 20 days, less than the suggested 30.
    assert result.notice_days == 20
    assert "less than the suggested 30" in result.warnings[0]
    alpha = Partner.objects.get(pk=actors.alpha.pk)
    assert (alpha.status, alpha.exit_kind, alpha.exited_on) == (
        "exited",
        "partner_initiated",
        D(2026, 7, 20),
    )
    assert alpha.exit_notice_on == D(2026, 6, 30)


def test_exit_rules(actors):
    with clock.frozen(TODAY):
        with pytest.raises(Forbidden):
            violations.exit_partner(
                actors.alpha, kind="mutual", on_date=TODAY, actor=actors.finance
            )
        with pytest.raises(ValidationFailed) as caught:
            violations.exit_partner(
                actors.alpha, kind="company_violation", on_date=D(2026, 7, 1), actor=actors.admin
            )
        assert set(caught.value.errors) == {"on"}
        with pytest.raises(ValidationFailed) as caught:
            violations.exit_partner(actors.alpha, kind="leave", on_date=None, actor=actors.admin)
        assert set(caught.value.errors) == {"kind", "on"}
        assert Partner.objects.get(pk=actors.alpha.pk).status == "active"
        violations.exit_partner(actors.alpha, kind="mutual", on_date=TODAY, actor=actors.officer)
        with pytest.raises(Conflict):
            violations.exit_partner(
                actors.alpha, kind="mutual", on_date=TODAY, actor=actors.officer
            )


def row_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def test_after_exit_the_partner_user_reads_but_cannot_write(actors, api_client):
    with clock.frozen(TODAY):
        lead = judge(actors.officer, submit(actors.alice, "东义集团"))
        invalid = judge(actors.officer, submit(actors.alice, "太原智慧政务服务中心"), INVALID)
        consent = grant_consent(
            lead.customer,
            partner=actors.alpha,
            grantee_user=actors.presales,
            expires_at=dt.datetime(2027, 6, 30, tzinfo=dt.UTC),
            actor=actors.alice,
        )
        project = sign(actors.officer, actors.alpha, name="东义集团")
        pay(actors.finance, project, "100000.00", D(2026, 6, 1), "HK-1")
        violations.exit_partner(
            actors.alpha, kind="partner_initiated", on_date=TODAY, actor=actors.officer
        )
        code = actors.alpha.code
        client = api_client.as_(actors.alice)
        before = row_counts()

        status, body = client.get(f"partners/{code}/ledger")
        assert status == 200
        assert body["totals"]["earned"] == "24000.00"  # 8% × 300,000.00
        writes = [
            ("POST", f"leads/{invalid.pk}/appeal", {"reason": "客户已立项"}),
            (
                "POST",
                f"customers/{lead.customer_id}/consents",
                {"grantee_role": "pm", "expires_at": "2027-06-30T18:00:00+08:00"},
            ),
            ("POST", f"customers/consents/{consent.pk}/revoke", None),
            (
                "POST",
                f"partners/{code}/company-violations",
                {"project_id": project.pk, "kind": "bypass", "description": "绕开伙伴"},
            ),
        ]
        for method, path, payload in writes:
            status, body = client.request(method, path, payload)
            assert (status, body["detail"]) == (409, READ_ONLY), path
        # The strategic application (tier services) refuses with its own 409.
        status, body = client.post(
            f"partners/{code}/tier-applications", {"resources": "集团资源", "plan": "三年计划"}
        )
        assert status == 409, body
        with pytest.raises(Conflict, match="read-only"):
            appeal(invalid.pk, "客户已立项", actor=actors.alice)
        with pytest.raises(Conflict, match="read-only"):
            revoke_consent(consent, actor=actors.alice)
        with pytest.raises(Conflict, match="read-only"):
            submit(actors.alice, "全新客户有限公司")
        assert row_counts() == before
        assert ContactConsent.objects.get(pk=consent.pk).revoked_at is None
        # Staff may still act: an officer revokes the consent for it.
        revoke_consent(consent, actor=actors.officer)


def test_after_exit_the_partner_is_still_paid_and_may_claim_damages(actors):
    with clock.frozen(TODAY):
        project = sign(actors.officer, actors.alpha)
        pay(actors.finance, project, "100000.00", D(2026, 6, 1), "HK-1")
        report = violations.report_company_violation(
            actor=actors.alice, project_id=project.pk, kind="bypass", description="绕开伙伴"
        )
        violations.decide_company_violation(
            report.pk, actor=actors.admin, confirm=True, note="属实"
        )
        violations.exit_partner(
            actors.alpha, kind="company_violation", on_date=TODAY, actor=actors.admin
        )
        damages, created = violations.claim_liquidated_damages(report.pk, actor=actors.alice)
        assert created and damages.amount == Decimal("90000.00")
        entries = list(LedgerEntry.objects.filter(partner=actors.alpha).order_by("id"))
        for entry in entries:
            ledger.approve_entry(entry.pk, actor=actors.finance)
        payout, _ = ledger.create_payout(
            actors.alpha,
            actor=actors.finance,
            bank_reference="BANK-1",
            paid_on=TODAY,
            entry_ids=[e.pk for e in entries],
        )
    # 24,000.00 confirmation + 90,000.00 liquidated damages, no fee.
    assert payout.total == Decimal("114000.00")
