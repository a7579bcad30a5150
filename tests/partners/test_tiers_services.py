"""Tier services (SPEC §8): promotion, strategic applications, retention, inactivity, the job.

Figures are hand-computed in each test.
"""

from __future__ import annotations

import datetime as dt

import pytest

from huoban import clock
from huoban.audit.models import AuditEvent
from huoban.commissions.models import LedgerEntry
from huoban.customers.models import Attribution
from huoban.errors import Conflict, ValidationFailed
from huoban.jobs import run_daily
from huoban.partners.models import Partner, TierApplication, TierChange
from huoban.projects.services import cancel_project
from huoban.standing import tier_services as ts

from .tier_helpers import (
    make_tier,
    policy_demoting_from,
    signed,
    two_a_month,
    valid_leads,
    violation,
)

pytestmark = pytest.mark.django_db

D = dt.date
JULY_15 = D(2026, 7, 15)


def promote(partner: Partner, day: dt.date):
    with clock.frozen(day):
        return ts.promote_if_qualified(partner, reason_context="daily_job", day=day)


def tick(day: dt.date) -> list[str]:
    with clock.frozen(day):
        return run_daily(day)


def fresh(partner: Partner) -> Partner:
    return Partner.objects.get(pk=partner.pk)


# --- R-TIER-1 promotion ---------------------------------------------------------------------


def deep_candidate(actors, second_amount: str, months=(4, 5, 6)):
    """alpha: 2 valid leads in each of April-June 2026; 300,000.00 + `second_amount` signed."""
    valid_leads(actors, actors.alice, two_a_month(2026, list(months)))
    signed(actors, actors.alpha, "300000.00", D(2026, 2, 3), JULY_15)
    signed(actors, actors.alpha, second_amount, D(2026, 7, 1), JULY_15)


def test_it_promotes_to_deep_at_exactly_500000_with_two_leads_in_each_month(actors):
    # The signing that reaches 300,000.00 + 200,000.00 = 500,000.00 promotes at once (R-TIER-1).
    deep_candidate(actors, "200000.00")
    alpha = fresh(actors.alpha)
    assert (alpha.tier, alpha.tier_since) == ("deep", JULY_15)
    change = TierChange.objects.get(partner=alpha, kind="promotion")
    assert (change.from_tier, change.to_tier) == ("light", "deep")
    assert "500,000.00" in change.reason and "2026-06: 2" in change.reason
    app = TierApplication.objects.get(partner=alpha)
    assert (app.kind, app.status, app.requested_tier) == ("auto", "approved", "deep")
    assert AuditEvent.objects.filter(action="partner.tier.promote").count() == 1
    assert promote(actors.alpha, JULY_15) is None  # the daily job finds nothing more to do


def test_it_does_not_promote_at_499999_99(actors):
    deep_candidate(actors, "199999.99")  # 499,999.99
    assert promote(actors.alpha, JULY_15) is None
    assert fresh(actors.alpha).tier == "light"
    assert not TierApplication.objects.filter(partner=actors.alpha).exists()


def test_it_does_not_promote_with_one_lead_in_one_month(actors):
    valid_leads(actors, actors.alice, [D(2026, 4, 10), D(2026, 4, 20), D(2026, 5, 10)])
    valid_leads(actors, actors.alice, [D(2026, 6, 10), D(2026, 6, 20), D(2026, 6, 25)])
    signed(actors, actors.alpha, "500000.00", D(2026, 3, 1), JULY_15)
    assert promote(actors.alpha, JULY_15) is None  # May has 1: six leads, not two a month
    assert fresh(actors.alpha).tier == "light"


def test_a_violation_11_months_ago_blocks_deep(actors):
    violation(actors, actors.alpha, D(2025, 8, 15))
    deep_candidate(actors, "200000.00")
    assert promote(actors.alpha, JULY_15) is None
    assert fresh(actors.alpha).tier == "light"
    # 2026-08-15 is 12 months after: the violation no longer blocks. The lead months are then
    # May-July; July has none, so add two.
    valid_leads(actors, actors.alice, two_a_month(2026, [7]))
    assert fresh(actors.alpha).tier == "light"  # judged in July: the violation still counted
    assert promote(actors.alpha, D(2026, 8, 15)).to_tier == "deep"


def test_it_promotes_to_strategic_at_3000000_without_leads(actors):
    signed(actors, actors.alpha, "2999999.99", D(2026, 3, 2), JULY_15)
    assert promote(actors.alpha, JULY_15) is None
    assert fresh(actors.alpha).tier == "light"
    signed(actors, actors.alpha, "0.01", D(2026, 7, 15), JULY_15)  # 3,000,000.00: promoted now
    change = TierChange.objects.get(partner=actors.alpha, kind="promotion")
    assert (change.from_tier, change.to_tier) == ("light", "strategic")
    assert "3,000,000.00" in change.reason


def test_cancelled_projects_do_not_count(actors):
    p = signed(actors, actors.alpha, "3000000.00", D(2026, 3, 2), JULY_15)
    with clock.frozen(JULY_15):
        cancel_project(p.pk, actor=actors.officer, cancelled_on=JULY_15, reason="客户终止")
    assert promote(actors.alpha, JULY_15) is None
    assert ts.ytd_signed(actors.alpha, JULY_15) == 0


def test_promotion_is_only_upward(actors):
    make_tier(actors.alpha, "strategic", D(2026, 1, 5))
    deep_candidate(actors, "200000.00")  # meets deep, not strategic
    assert promote(actors.alpha, JULY_15) is None
    assert fresh(actors.alpha).tier == "strategic"


def test_the_hooks_promote_after_a_signing_and_after_a_valid_verdict(actors):
    signed(actors, actors.alpha, "3000000.00", D(2026, 7, 1), JULY_15)
    assert fresh(actors.alpha).tier == "strategic"  # create_project called on_project_signed
    with clock.frozen(JULY_15):
        assert ts.on_project_signed(actors.alpha) is None  # and calling it again does nothing
    # The verdict hook: beta's sixth valid lead, judged 2026-07-15 (after its signing).
    signed(actors, actors.beta, "500000.00", D(2026, 1, 20), D(2026, 6, 30))
    valid_leads(actors, actors.bob, two_a_month(2026, [4, 5, 6]))
    assert fresh(actors.beta).tier == "light"  # judged in June: the months were Mar-May
    valid_leads(actors, actors.bob, [JULY_15])
    assert fresh(actors.beta).tier == "deep"
    assert TierChange.objects.filter(partner=actors.beta, kind="promotion").count() == 1


# --- R-TIER-2 strategic applications --------------------------------------------------------


def apply(actors, day: dt.date) -> TierApplication:
    with clock.frozen(day):
        return ts.apply_for_strategic(
            actor=actors.alice, resources="山西省属国企集团资源", plan="三年计划"
        )


def test_an_application_on_friday_is_due_the_next_friday(actors):
    app = apply(actors, D(2026, 3, 6))  # Friday; 5 business days: 9, 10, 11, 12, 13 March
    assert (app.due_on, app.due_estimated, app.status) == (D(2026, 3, 13), False, "pending")


def test_an_application_before_national_day_is_due_after_it(actors):
    # 2026-09-30 (Wed). 10-01..10-07 are holidays; 10-08, 10-09, 10-10 (Saturday make-up day),
    # 10-12 and 10-13 are the 5 business days.
    app = apply(actors, D(2026, 9, 30))
    assert app.due_on == D(2026, 10, 13)


def test_an_application_in_an_unpublished_year_is_estimated(actors):
    app = apply(actors, D(2027, 3, 5))  # Friday; weekends only
    assert (app.due_on, app.due_estimated) == (D(2027, 3, 12), True)


def test_approval_makes_the_partner_strategic_with_history(actors):
    app = apply(actors, D(2026, 3, 6))
    before = AuditEvent.objects.count()
    with clock.frozen(D(2026, 3, 10)):
        ts.decide_application(app.pk, actor=actors.officer, approve=True, note="资源属实")
    alpha = fresh(actors.alpha)
    assert (alpha.tier, alpha.tier_since) == ("strategic", D(2026, 3, 10))
    change = TierChange.objects.filter(partner=alpha).latest("id")
    assert (change.kind, change.to_tier, change.actor) == (
        "application",
        "strategic",
        actors.officer,
    )
    assert "资源属实" in change.reason
    assert AuditEvent.objects.count() == before + 1
    with pytest.raises(Conflict), clock.frozen(D(2026, 3, 10)):
        ts.decide_application(app.pk, actor=actors.officer, approve=False, note="重复")


def test_a_rejection_needs_a_reason_and_keeps_the_tier(actors):
    app = apply(actors, D(2026, 3, 6))
    with pytest.raises(ValidationFailed) as exc, clock.frozen(D(2026, 3, 10)):
        ts.decide_application(app.pk, actor=actors.officer, approve=False, note=" ")
    assert "note" in exc.value.errors
    with clock.frozen(D(2026, 3, 10)):
        ts.decide_application(app.pk, actor=actors.officer, approve=False, note="资源无法核实")
    assert fresh(actors.alpha).tier == "light"
    assert TierApplication.objects.get(pk=app.pk).status == "rejected"


def test_a_new_application_supersedes_the_pending_one(actors):
    first = apply(actors, D(2026, 3, 6))
    second = apply(actors, D(2026, 3, 9))
    assert TierApplication.objects.get(pk=first.pk).status == "superseded"
    assert TierApplication.objects.get(pk=second.pk).status == "pending"
    # The side effect is in the new application's audit event (issue #11).
    events = AuditEvent.objects.filter(action="partner.tier.apply").order_by("pk")
    assert [e.after["superseded"] for e in events] == [[], [first.pk]]


def test_a_strategic_partner_cannot_apply(actors):
    make_tier(actors.alpha, "strategic", D(2026, 1, 5))
    with pytest.raises(Conflict):
        apply(actors, D(2026, 3, 6))


# --- R-TIER-3 retention ---------------------------------------------------------------------


def deep_in_2026(actors) -> Partner:
    """alpha deep since 2026-05-01 with 300,000.00 signed in 2026 (< 500,000.00)."""
    signed(actors, actors.alpha, "300000.00", D(2026, 4, 1), D(2026, 4, 30))
    return make_tier(actors.alpha, "deep", D(2026, 5, 1))


def test_grace_starts_on_1_january_and_meeting_it_in_february_retains(actors):
    deep_in_2026(actors)
    tick(D(2027, 1, 1))
    alpha = fresh(actors.alpha)
    assert (alpha.retention_state, alpha.grace_until, alpha.retention_cycle) == (
        "grace",
        D(2027, 3, 31),
        2027,
    )
    assert TierChange.objects.filter(partner=alpha, kind="retention").count() == 1
    signed(actors, actors.alpha, "500000.00", D(2027, 2, 10), D(2027, 2, 10))
    tick(D(2027, 2, 10))
    assert fresh(actors.alpha).retention_state == "retained"
    tick(D(2027, 4, 1))
    alpha = fresh(actors.alpha)
    assert (alpha.tier, alpha.retention_state) == ("deep", "retained")


def test_grace_unmet_is_retention_lapsed_on_1_april_with_the_tier_kept(actors):
    deep_in_2026(actors)
    tick(D(2027, 1, 1))
    signed(actors, actors.alpha, "499999.99", D(2027, 3, 1), D(2027, 3, 1))
    tick(D(2027, 3, 31))
    assert fresh(actors.alpha).retention_state == "grace"
    tick(D(2027, 4, 1))
    alpha = fresh(actors.alpha)
    assert (alpha.tier, alpha.retention_state, alpha.tier_since) == (
        "deep",
        "retention_lapsed",
        D(2026, 5, 1),
    )
    line = TierChange.objects.filter(partner=alpha).latest("id")
    assert (line.kind, line.from_tier, line.to_tier) == ("retention", "deep", "deep")
    assert "retention_lapsed" in line.reason


def test_a_partner_that_met_last_years_threshold_has_no_grace(actors):
    signed(actors, actors.alpha, "500000.00", D(2026, 4, 1), D(2026, 4, 30))
    make_tier(actors.alpha, "deep", D(2026, 5, 1))
    tick(D(2027, 1, 4))
    alpha = fresh(actors.alpha)
    assert (alpha.retention_state, alpha.retention_cycle) == ("none", 2027)


def test_with_demote_after_grace_the_partner_moves_to_the_highest_tier_it_meets(actors):
    # strategic since 2026-05-01 with 1,000,000.00 signed in 2026 (< 3,000,000.00).
    signed(actors, actors.alpha, "1000000.00", D(2026, 4, 1), D(2026, 4, 30))
    make_tier(actors.alpha, "strategic", D(2026, 5, 1))
    policy_demoting_from(D(2027, 1, 1))
    tick(D(2027, 1, 1))
    assert fresh(actors.alpha).retention_state == "grace"
    # 2027: 600,000.00 signed and two valid leads in each of January-March → meets deep.
    signed(actors, actors.alpha, "600000.00", D(2027, 1, 15), D(2027, 1, 15))
    valid_leads(actors, actors.alice, two_a_month(2027, [1, 2, 3]))
    tick(D(2027, 4, 1))
    alpha = fresh(actors.alpha)
    assert (alpha.tier, alpha.retention_state, alpha.tier_since) == ("deep", "none", D(2027, 4, 1))
    line = TierChange.objects.filter(partner=alpha).latest("id")
    assert (line.kind, line.from_tier, line.to_tier) == ("demotion", "strategic", "deep")
    assert "demote_after_grace" in line.reason


def test_with_demote_after_grace_and_nothing_met_the_partner_returns_to_light(actors):
    deep_in_2026(actors)
    policy_demoting_from(D(2027, 1, 1))
    tick(D(2027, 1, 1))
    tick(D(2027, 4, 1))
    assert fresh(actors.alpha).tier == "light"


def test_a_tier_gained_this_year_is_not_checked_until_next_january(actors):
    signed(actors, actors.alpha, "3000000.00", D(2026, 1, 5), D(2026, 1, 10))
    tick(D(2026, 1, 10))
    alpha = fresh(actors.alpha)
    assert (alpha.tier, alpha.retention_state, alpha.retention_cycle) == ("strategic", "none", 2026)


# --- R-TIER-4 inactivity --------------------------------------------------------------------


def inactive_since_june_2025(actors) -> Partner:
    """alpha deep since 2025-01-10; a valid lead judged 2025-03-03; a project signed 2025-06-15
    (500,000.00, so no retention grace in 2026). Last activity: 2025-06-15."""
    valid_leads(actors, actors.alice, [D(2025, 3, 3)])
    signed(actors, actors.alpha, "500000.00", D(2025, 6, 15), D(2025, 6, 15))
    return make_tier(actors.alpha, "deep", D(2025, 1, 10))


def test_inactivity_notice_30_days_before_and_light_at_12_months(actors):
    inactive_since_june_2025(actors)
    assert ts.last_activity(fresh(actors.alpha)) == D(2025, 6, 15)
    attributions = list(Attribution.objects.values_list("customer_id", "partner_id"))

    tick(D(2026, 5, 15))
    # The first tick also settles 2025 (R-LED-6: 2% × 500,000.00 = 10,000.00); from here on
    # the inactivity jobs must leave the ledger alone.
    ledger = list(LedgerEntry.objects.values_list("id", "amount"))
    assert [str(amount) for _id, amount in ledger] == ["10000.00"]
    assert fresh(actors.alpha).inactivity_notice_on is None
    events = AuditEvent.objects.count()
    tick(D(2026, 5, 16))  # 2026-06-15 minus 30 days
    alpha = fresh(actors.alpha)
    assert (alpha.tier, alpha.inactivity_notice_on) == ("deep", D(2026, 5, 16))
    notice = TierChange.objects.filter(partner=alpha).latest("id")
    assert notice.kind == "inactivity_notice" and "2026-06-15" in notice.reason
    assert AuditEvent.objects.count() == events + 1
    assert AuditEvent.objects.latest("id").action == "partner.tier.inactivity_notice"

    tick(D(2026, 6, 14))
    assert fresh(actors.alpha).tier == "deep"
    tick(D(2026, 6, 15))
    alpha = fresh(actors.alpha)
    assert (alpha.tier, alpha.tier_since) == ("light", D(2026, 6, 15))
    line = TierChange.objects.filter(partner=alpha).latest("id")
    assert (line.kind, line.from_tier, line.to_tier) == ("inactivity", "deep", "light")
    assert list(Attribution.objects.values_list("customer_id", "partner_id")) == attributions
    assert list(LedgerEntry.objects.values_list("id", "amount")) == ledger


def test_activity_after_the_notice_voids_it(actors):
    inactive_since_june_2025(actors)
    tick(D(2026, 5, 16))
    valid_leads(actors, actors.alice, [D(2026, 6, 1)])  # new activity
    tick(D(2026, 6, 15))
    assert fresh(actors.alpha).tier == "deep"


# --- the daily job --------------------------------------------------------------------------


def state() -> tuple:
    return (
        list(
            Partner.objects.order_by("pk").values_list(
                "tier",
                "tier_since",
                "retention_state",
                "grace_until",
                "retention_cycle",
                "inactivity_notice_on",
            )
        ),
        TierChange.objects.count(),
        TierApplication.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(
    "day", [D(2026, 5, 16), D(2026, 6, 15), D(2027, 1, 1), D(2027, 4, 1)], ids=str
)
def test_running_the_daily_job_twice_changes_nothing_the_second_time(actors, day):
    inactive_since_june_2025(actors)  # alpha: notice, then light
    signed(actors, actors.beta, "3000000.00", D(2026, 3, 1), D(2026, 3, 1))  # beta: strategic
    tick(day)
    first = state()
    report = tick(day)
    assert state() == first
    assert any(line.startswith("tiers: 0 promoted") for line in report), report
