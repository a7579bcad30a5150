"""Who hears of a contact consent granted or revoked (R-NOTE-1, R-ATT-7; issue #14)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from huoban import clock
from huoban.customers.consent import grant_consent, revoke_consent
from huoban.notifications.models import Notification
from tests.customers.helpers import owned_customer

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def told(event: str) -> dict[str, list[Notification]]:
    out: dict[str, list[Notification]] = {}
    for n in Notification.objects.filter(event=event).select_related("recipient").order_by("pk"):
        out.setdefault(n.recipient.username, []).append(n)
    return out


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
