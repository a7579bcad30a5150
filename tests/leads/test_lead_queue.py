"""R-ATT-3, R-LEAD-2, R-LEAD-3: submission, the queue by submission time, verdicts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from huoban import clock
from huoban.audit.models import AuditEvent
from huoban.customers.models import Attribution, Customer
from huoban.errors import Conflict, ValidationFailed
from huoban.leads.models import Lead, Status
from huoban.leads.services import VerdictInput, record_verdict

from .helpers import INVALID, judge, submit

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=SH)


def test_it_queues_a_new_lead_with_a_verdict_due_24_hours_later(actors):
    with clock.frozen(at(2, 10)):
        lead = submit(actors.alice)
    assert lead.status == Status.PENDING
    assert lead.sla_due_at == at(3, 10)  # 2026-03-02 10:00 + 24 h
    assert lead.customer is not None and lead.customer.legal_name == "东义集团"
    assert AuditEvent.objects.filter(action="lead.submit", object_id=str(lead.pk)).count() == 1


def test_it_gives_the_customer_to_the_first_valid_lead_and_marks_the_later_duplicate(actors):
    with clock.frozen(at(2, 10)):
        first = submit(actors.alice)
    with clock.frozen(at(2, 10, 5)):
        later = submit(actors.bob)
    assert later.status == Status.PENDING and later.customer_id == first.customer_id

    with clock.frozen(at(2, 15)):
        # The later lead waits while the earlier one is pending (R-ATT-3).
        with pytest.raises(Conflict):
            judge(actors.officer, later)
        judge(actors.officer, first)

    later.refresh_from_db()
    assert later.status == Status.DUPLICATE
    assert Attribution.objects.get(customer_id=first.customer_id).partner == actors.alpha


def test_it_evaluates_the_later_lead_on_its_own_when_the_earlier_turns_invalid(actors):
    with clock.frozen(at(2, 10)):
        first = submit(actors.alice)
    with clock.frozen(at(2, 11)):
        later = submit(actors.bob)
    with clock.frozen(at(2, 15)):
        judge(actors.officer, first, INVALID)
        judge(actors.presales, later)
    assert Attribution.objects.get(customer_id=later.customer_id).partner == actors.beta


def test_it_answers_already_registered_without_naming_the_owner(actors):
    with clock.frozen(at(2, 10)):
        judge(actors.officer, submit(actors.alice))
    with clock.frozen(at(5, 9)):
        again = submit(actors.bob, "东义集团有限公司")  # normalises to the same name
    assert again.status == Status.DUPLICATE
    assert "已被其他伙伴报备" in again.explanation
    assert actors.alpha.name not in again.explanation and actors.alpha.code not in again.explanation


def test_it_lets_the_owner_register_a_new_need_of_its_own_customer(actors):
    with clock.frozen(at(2, 10)):
        judge(actors.officer, submit(actors.alice))
    with clock.frozen(at(9, 10)):
        renewal = submit(actors.alice, need="二期：设备预测性维护")
    assert renewal.status == Status.PENDING


def test_it_refuses_a_valid_verdict_without_a_quote_range_and_changes_nothing(actors):
    with clock.frozen(at(2, 10)):
        lead = submit(actors.alice)
    events = AuditEvent.objects.count()
    bad = VerdictInput(verdict="valid", feasibility="", quote_min=Decimal("0"), quote_max=None)
    with pytest.raises(ValidationFailed) as exc:
        record_verdict(lead.pk, bad, actor=actors.officer)
    assert set(exc.value.errors) == {"feasibility", "quote_min", "quote_max"}
    lead.refresh_from_db()
    assert lead.status == Status.PENDING and lead.verdict == ""
    assert Attribution.objects.count() == 0 and AuditEvent.objects.count() == events


def test_it_refuses_a_quote_range_whose_max_is_below_its_min(actors):
    with clock.frozen(at(2, 10)):
        lead = submit(actors.alice)
    bad = VerdictInput(
        verdict="valid",
        feasibility="ok",
        quote_min=Decimal("300000"),
        quote_max=Decimal("299999.99"),
    )
    with pytest.raises(ValidationFailed) as exc:
        record_verdict(lead.pk, bad, actor=actors.officer)
    assert "quote_max" in exc.value.errors


def test_it_requires_a_reason_code_and_explanation_for_an_invalid_verdict(actors):
    with clock.frozen(at(2, 10)):
        lead = submit(actors.alice)
    with pytest.raises(ValidationFailed) as exc:
        record_verdict(lead.pk, VerdictInput(verdict="invalid"), actor=actors.officer)
    assert set(exc.value.errors) == {"reason_code", "explanation"}


@pytest.mark.parametrize("code", ["no_intent", "no_authority", "price_probing", "fake", "other"])
def test_it_accepts_each_reason_code(actors, code):
    with clock.frozen(at(2, 10)):
        lead = submit(actors.alice)
        judged = record_verdict(
            lead.pk,
            VerdictInput(verdict="invalid", reason_code=code, explanation="说明"),
            actor=actors.officer,
        )
    assert judged.status == Status.INVALID and judged.reason_code == code


def test_an_invalid_lead_does_not_mark_the_partner(actors):
    """R-LEAD-5: invalid leads count for nothing; the partner can go on registering."""
    with clock.frozen(at(2, 10)):
        judge(actors.officer, submit(actors.alice), INVALID)
        next_lead = submit(actors.alice, "晋中华泰煤化工有限公司")
    actors.alpha.refresh_from_db()
    assert actors.alpha.tier == "light" and next_lead.status == Status.PENDING


def test_it_counts_sla_compliance_with_hand_computed_figures(actors):
    from huoban.leads.services import sla_report

    with clock.frozen(at(2, 10)):
        on_time = submit(actors.alice, "甲公司")
        late = submit(actors.alice, "乙公司")
        submit(actors.alice, "丙公司")  # never judged: overdue by 03-03 10:00
    with clock.frozen(at(3, 9, 59)):
        judge(actors.officer, on_time)  # 23 h 59 min after submission
    with clock.frozen(at(3, 10, 1)):
        judge(actors.officer, late, INVALID)  # 24 h 1 min
    with clock.frozen(at(4, 9)):
        report = sla_report(at(1, 0), at(5, 0))
    # 1 on time out of 2 judged + 1 open overdue = 1/3 = 33.3 %
    assert report == {
        "submitted": 3,
        "judged": 2,
        "judged_on_time": 1,
        "overdue_open": 1,
        "compliance_percent": Decimal("33.3"),
    }


def test_the_daily_job_flags_overdue_leads_once(actors):
    from huoban.jobs import run_daily

    with clock.frozen(at(2, 10)):
        submit(actors.alice)
    with clock.frozen(at(3, 9)):
        run_daily(dt.date(2026, 3, 3))
        assert Lead.objects.filter(sla_breached=True).count() == 0
    with clock.frozen(at(3, 11)):
        assert run_daily(dt.date(2026, 3, 3))[0].startswith("leads: 1 newly overdue")
        assert run_daily(dt.date(2026, 3, 3))[0].startswith("leads: 0 newly overdue")


def test_a_possible_match_waits_for_an_officer(actors):
    from huoban.customers.registry import get_or_create_customer
    from huoban.leads.services import resolve_match

    existing, _ = get_or_create_customer("贵州茅台酒股份有限公司", region="贵州")
    with clock.frozen(at(2, 10)):
        lead = submit(actors.alice, "贵州茅台")
    assert lead.status in (Status.NEEDS_REVIEW, Status.PENDING)
    if lead.status == Status.NEEDS_REVIEW:
        assert lead.customer is None and lead.candidate_customer == existing
        with pytest.raises(Conflict):
            judge(actors.officer, lead)
        lead = resolve_match(lead.pk, existing.pk, actor=actors.officer)
    assert lead.status == Status.PENDING and lead.customer == existing
    assert Customer.objects.count() == 1
