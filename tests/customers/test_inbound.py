"""Inbound contact (主动寻访, R-ATT-5): routed back to the owner, or the first question asked."""

from __future__ import annotations

import datetime as dt

import pytest

from huoban import clock
from huoban.audit.models import AuditEvent
from huoban.customers.inbound import inbound_report, record_inbound_contact
from huoban.customers.models import InboundContact
from huoban.errors import ValidationFailed

from .helpers import MOUTAI, make_customer, owned_customer


def test_it_routes_an_attributed_customer_back_to_its_owner(actors):
    # given 贵州茅台 owned by alpha
    customer = owned_customer(actors.alpha)
    # when the customer calls in under its full name
    inbound, match = record_inbound_contact(name=MOUTAI, actor=actors.officer)
    # then the contact is recorded as routed back to alpha, no question needed
    assert (match.kind, inbound.customer, inbound.routed_to) == ("exact", customer, actors.alpha)
    assert inbound.referral_answer == ""
    assert AuditEvent.objects.filter(action="inbound.record").count() == 1


def test_it_requires_the_first_question_when_not_attributed(actors):
    make_customer("北京字节跳动科技有限公司")  # known, no owner
    for name in ("北京字节跳动科技有限公司", "从未登记的客户有限公司"):
        with pytest.raises(ValidationFailed) as err:
            record_inbound_contact(name=name, actor=actors.presales)
        assert "Ask whether a partner referred them" in err.value.errors["referral_answer"]
        assert err.value.errors["referral_answer"].startswith("首问必确认")
    assert InboundContact.objects.count() == 0


def test_it_records_the_answer(actors):
    inbound, _ = record_inbound_contact(
        name="从未登记的客户有限公司",
        referral_answer="yes",
        referring_partner_name="某位伙伴",
        actor=actors.pm,
    )
    assert (inbound.routed_to, inbound.referral_answer) == (None, "yes")


def test_it_refuses_inbound_from_a_partner_user(actors):
    from huoban.access import Forbidden

    with pytest.raises(Forbidden):
        record_inbound_contact(name="x", referral_answer="no", actor=actors.alice)


def test_it_counts_inbound_contacts_in_a_report(actors):
    owned_customer(actors.alpha)
    with clock.frozen(dt.date(2026, 3, 1)):  # outside the period
        record_inbound_contact(name=MOUTAI, actor=actors.officer)
    with clock.frozen(dt.date(2026, 3, 2)):
        record_inbound_contact(name=MOUTAI, actor=actors.officer)  # routed back
        record_inbound_contact(name="甲有限公司", referral_answer="yes", actor=actors.officer)
    with clock.frozen(dt.date(2026, 3, 8)):
        record_inbound_contact(name="乙有限公司", referral_answer="no", actor=actors.officer)
    with clock.frozen(dt.date(2026, 3, 9)):  # outside the period
        record_inbound_contact(name="丙有限公司", referral_answer="no", actor=actors.officer)
    # 2 March .. 8 March: 3 contacts, 1 routed back, 1 yes, 1 no
    assert inbound_report(dt.date(2026, 3, 2), dt.date(2026, 3, 8)) == {
        "total": 3,
        "routed_back": 1,
        "answered_yes": 1,
        "answered_no": 1,
    }
