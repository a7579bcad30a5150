"""R-LEAD-4: one appeal within 30 days, and the two-person second review."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from huoban import clock
from huoban.access import Forbidden
from huoban.customers.models import Attribution
from huoban.errors import Conflict, ValidationFailed
from huoban.leads.models import Status
from huoban.leads.services import VerdictInput, appeal, sign_second_review

from .helpers import INVALID, judge, submit

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db

UPHOLD = VerdictInput(verdict="valid", explanation="补充材料证明客户已立项")
REJECT = VerdictInput(verdict="invalid", explanation="仍无落地意向")


@pytest.fixture
def invalid_lead(actors):
    # Judged invalid on Friday 2026-03-06 at 10:00.
    with clock.frozen(dt.datetime(2026, 3, 5, 10, tzinfo=SH)):
        lead = submit(actors.alice)
    with clock.frozen(dt.datetime(2026, 3, 6, 10, tzinfo=SH)):
        return judge(actors.officer, lead, INVALID)


def test_it_takes_an_appeal_due_two_business_days_later(actors, invalid_lead):
    with clock.frozen(dt.datetime(2026, 3, 6, 16, tzinfo=SH)):  # Friday
        lead = appeal(invalid_lead.pk, "客户已签署立项文件", actor=actors.alice)
    assert lead.status == Status.APPEALED
    # Friday 03-06 → Mon 03-09 (1), Tue 03-10 (2)
    assert lead.second_review_due_on == dt.date(2026, 3, 10)
    assert lead.second_review_due_estimated is False


def test_it_refuses_an_appeal_after_30_days(actors, invalid_lead):
    # verdict 2026-03-06 10:00 + 30 days = 2026-04-05 10:00
    with clock.frozen(dt.datetime(2026, 4, 5, 10, 1, tzinfo=SH)), pytest.raises(Conflict):
        appeal(invalid_lead.pk, "迟到的申诉", actor=actors.alice)
    with clock.frozen(dt.datetime(2026, 4, 5, 9, 59, tzinfo=SH)):
        assert appeal(invalid_lead.pk, "最后一天", actor=actors.alice).status == Status.APPEALED


def test_it_allows_one_appeal_only(actors, invalid_lead):
    with clock.frozen(dt.datetime(2026, 3, 7, 10, tzinfo=SH)):
        appeal(invalid_lead.pk, "第一次", actor=actors.alice)
        sign_second_review(invalid_lead.pk, REJECT, actor=actors.officer)
        sign_second_review(invalid_lead.pk, REJECT, actor=actors.presales)
        with pytest.raises(Conflict):
            appeal(invalid_lead.pk, "第二次", actor=actors.alice)


def test_it_needs_a_reason(actors, invalid_lead):
    with pytest.raises(ValidationFailed) as exc:
        appeal(invalid_lead.pk, "   ", actor=actors.alice)
    assert "reason" in exc.value.errors


def test_only_the_partner_appeals(actors, invalid_lead):
    with pytest.raises(Forbidden):
        appeal(invalid_lead.pk, "x", actor=actors.officer)
    from huoban.errors import NotFound

    with pytest.raises(NotFound):  # beta may not even see alpha's lead (R-VIS-4)
        appeal(invalid_lead.pk, "x", actor=actors.bob)


def test_the_verdict_is_final_when_an_officer_and_a_presales_user_agree(actors, invalid_lead):
    with clock.frozen(dt.datetime(2026, 3, 7, 10, tzinfo=SH)):
        appeal(invalid_lead.pk, "客户已立项", actor=actors.alice)
        one = sign_second_review(invalid_lead.pk, UPHOLD, actor=actors.officer)
        assert one.status == Status.APPEALED  # one signature is not enough
        two = sign_second_review(invalid_lead.pk, UPHOLD, actor=actors.officer2)
        assert two.status == Status.APPEALED  # two officers are not an officer and presales
        final = sign_second_review(invalid_lead.pk, UPHOLD, actor=actors.presales)
    assert final.status == Status.VALID and final.final_at is not None
    assert Attribution.objects.get(customer_id=final.customer_id).partner == actors.alpha


def test_disagreeing_signatures_leave_the_lead_under_review(actors, invalid_lead):
    with clock.frozen(dt.datetime(2026, 3, 7, 10, tzinfo=SH)):
        appeal(invalid_lead.pk, "客户已立项", actor=actors.alice)
        sign_second_review(invalid_lead.pk, UPHOLD, actor=actors.officer)
        lead = sign_second_review(invalid_lead.pk, REJECT, actor=actors.presales)
        assert lead.status == Status.APPEALED
        # The presales reviewer reconsiders: now both say valid.
        lead = sign_second_review(invalid_lead.pk, UPHOLD, actor=actors.presales)
    assert lead.status == Status.VALID


def test_a_rejected_appeal_is_final_invalid(actors, invalid_lead):
    with clock.frozen(dt.datetime(2026, 3, 7, 10, tzinfo=SH)):
        appeal(invalid_lead.pk, "客户已立项", actor=actors.alice)
        sign_second_review(invalid_lead.pk, REJECT, actor=actors.presales)
        lead = sign_second_review(invalid_lead.pk, REJECT, actor=actors.officer)
    assert lead.status == Status.INVALID and lead.final_at is not None
    assert Attribution.objects.count() == 0


def test_pm_and_finance_cannot_sign(actors, invalid_lead):
    with clock.frozen(dt.datetime(2026, 3, 7, 10, tzinfo=SH)):
        appeal(invalid_lead.pk, "客户已立项", actor=actors.alice)
    for user in (actors.pm, actors.finance, actors.alice):
        with pytest.raises(Forbidden):
            sign_second_review(invalid_lead.pk, UPHOLD, actor=user)
