"""Who hears of a contact consent granted or revoked (R-ATT-7) and of an inbound contact routed
to its owner (R-ATT-5) (R-NOTE-1; issue #14)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from huoban import clock
from huoban.customers.consent import grant_consent, revoke_consent
from huoban.customers.inbound import record_inbound_contact
from tests.customers.helpers import MOUTAI, make_customer, owned_customer
from tests.notifications.helpers import told

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def test_a_consent_to_one_user_tells_that_user_and_its_revocation_too(actors):
    with clock.frozen(T0):
        customer = owned_customer(actors.alpha)
        consent = grant_consent(
            customer,
            partner=actors.alpha,
            grantee_user=actors.presales,
            expires_at=T0 + dt.timedelta(days=7),
            actor=actors.alice,
        )
        granted = told("consent.granted")
        # peter only: not the other staff, not bob; alice granted it herself
        assert sorted(granted) == ["peter"]
        note = granted["peter"][0]
        assert note.title == f"已获授权查看 {customer.legal_name} 的联系人，至 2026-03-09"
        assert note.link == f"/console/customers/{customer.pk}/"
        revoke_consent(consent, actor=actors.alice)
    revoked = told("consent.revoked")
    assert sorted(revoked) == ["peter"]
    assert revoked["peter"][0].body == "联系人重新遮蔽显示。"


def test_a_consent_to_a_role_tells_each_active_user_of_it(actors):
    with clock.frozen(T0):
        customer = owned_customer(actors.alpha)
        grant_consent(
            customer,
            partner=actors.alpha,
            grantee_role="officer",
            expires_at=T0 + dt.timedelta(days=7),
            actor=actors.alice,
        )
    assert sorted(told("consent.granted")) == ["olivia", "oscar"]


def test_a_consent_recorded_by_staff_tells_the_partner_and_waits_for_a_second_officer(
    actors, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with clock.frozen(T0):
        customer = owned_customer(actors.alpha)
        # olivia records alpha's written consent for the pm role: a second person must approve
        grant_consent(
            customer,
            partner=actors.alpha,
            grantee_role="pm",
            expires_at=T0 + dt.timedelta(days=7),
            actor=actors.officer,
            document=SimpleUploadedFile("consent.pdf", b"%PDF-1.4 written consent"),
        )
    granted = told("consent.granted")
    # oscar (the other officer) and adam may approve; alice hears it was recorded; mia (pm) not
    # yet: it is not in force
    assert sorted(granted) == ["adam", "alice", "oscar"]
    assert granted["oscar"][0].title == f"联系人授权待批准：{customer.legal_name}"
    assert granted["alice"][0].link == "/portal/consents/"


def test_an_inbound_contact_routed_to_its_owner_tells_the_owner_only(actors):
    with clock.frozen(T0):
        customer = owned_customer(actors.alpha)
        record_inbound_contact(name=MOUTAI, actor=actors.officer)
        # a customer nobody owns is asked the first question; nobody is told
        make_customer("北京字节跳动科技有限公司")
        record_inbound_contact(
            name="北京字节跳动科技有限公司", referral_answer="no", actor=actors.officer
        )
    routed = told("customer.inbound_routed")
    assert sorted(routed) == ["alice"]
    note = routed["alice"][0]
    assert note.title == f"贵方客户 {customer.legal_name} 主动联系了我方，已转交贵方跟进"
    assert note.body == "时间 2026-03-02 09:00。客户归属不变（永久归属）。"
    assert note.link == f"/portal/customers/{customer.pk}/"
