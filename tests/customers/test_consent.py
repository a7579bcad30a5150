"""Contact consent (R-ATT-7) and business avoidance masking with audited reveals (R-VIS-3)."""

from __future__ import annotations

import datetime as dt

import pytest

from huoban import clock
from huoban.access import Forbidden
from huoban.audit.models import AuditEvent
from huoban.customers.consent import contacts_for, grant_consent, has_consent, revoke_consent
from huoban.customers.registry import add_contact
from huoban.errors import ValidationFailed

from .helpers import make_customer, owned_customer

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
MASKED = {"phone": "138****5678", "email": "z****@example.com", "wechat": "z****8"}
CLEAR = {"phone": "13812345678", "email": "zhang@example.com", "wechat": "zhangsan88"}


def _details(rows):
    return [{k: r[k] for k in ("phone", "email", "wechat")} for r in rows]


@pytest.fixture
def customer(actors):
    with clock.frozen(T0):
        c = owned_customer(actors.alpha)
        add_contact(c, name="张三", title="CIO", is_decision_maker=True, **CLEAR)
    return c


def _grant(customer, actors, days=7, **grantee):
    return grant_consent(
        customer,
        partner=actors.alpha,
        expires_at=T0 + dt.timedelta(days=days),
        actor=actors.alice,
        note="书面同意 2026-03-02",
        **grantee,
    )


def test_it_masks_an_attributed_customers_contacts_for_every_staff_user(actors, customer):
    with clock.frozen(T0):
        for user in actors.staff():
            assert _details(contacts_for(user, customer, reveal=True)) == [MASKED]
    assert not AuditEvent.objects.filter(action="contact.reveal").exists()


def test_it_shows_the_owner_its_own_contacts(actors, customer):
    assert _details(contacts_for(actors.alice, customer)) == [CLEAR]
    # another partner sees none
    assert contacts_for(actors.bob, customer) == []


def test_it_shows_an_unowned_customers_contacts_to_staff(actors):
    customer = make_customer("北京字节跳动科技有限公司")
    add_contact(customer, name="李四", phone="13912345678")
    assert contacts_for(actors.officer, customer)[0]["phone"] == "13912345678"


def test_it_reveals_to_a_consented_user_and_audits_the_view(actors, customer):
    # given alice (alpha, the owner) consents for presales user peter for 7 days
    with clock.frozen(T0):
        consent = _grant(customer, actors, grantee_user=actors.presales)
    assert AuditEvent.objects.filter(action="consent.grant").count() == 1
    with clock.frozen(T0 + dt.timedelta(days=1)):
        # when peter looks without asking to reveal / then masked, nothing audited
        assert _details(contacts_for(actors.presales, customer)) == [MASKED]
        assert not AuditEvent.objects.filter(action="contact.reveal").exists()
        # when peter reveals / then in clear, and the view is audited
        assert _details(contacts_for(actors.presales, customer, reveal=True)) == [CLEAR]
        event = AuditEvent.objects.get(action="contact.reveal")
        assert event.actor_id == actors.presales.pk
        assert event.object_id == str(customer.pk)
        # another staff user stays masked
        assert _details(contacts_for(actors.officer, customer, reveal=True)) == [MASKED]
    assert consent.partner == actors.alpha


def test_it_covers_a_role(actors, customer):
    with clock.frozen(T0):
        _grant(customer, actors, grantee_role="finance")
        assert has_consent(actors.finance, customer)
        assert not has_consent(actors.pm, customer)


def test_it_stops_at_the_expiry(actors, customer):
    with clock.frozen(T0):
        _grant(customer, actors, days=7, grantee_user=actors.presales)
    with clock.frozen(T0 + dt.timedelta(days=7, seconds=-1)):
        assert has_consent(actors.presales, customer)
    with clock.frozen(T0 + dt.timedelta(days=7)):
        assert not has_consent(actors.presales, customer)
        assert _details(contacts_for(actors.presales, customer, reveal=True)) == [MASKED]


def test_it_stops_at_revocation(actors, customer):
    with clock.frozen(T0):
        consent = _grant(customer, actors, grantee_user=actors.presales)
        revoke_consent(consent, actor=actors.alice)
        assert not has_consent(actors.presales, customer)
        assert AuditEvent.objects.filter(action="consent.revoke").count() == 1


def test_it_ignores_a_consent_of_a_former_owner(actors, customer):
    from huoban.customers.attribution import transfer_attribution

    with clock.frozen(T0):
        _grant(customer, actors, grantee_user=actors.presales)
        transfer_attribution(customer, actors.beta, "合并", actor=actors.admin)
        assert not has_consent(actors.presales, customer)


def test_it_refuses_an_expiry_in_the_past(actors, customer):
    with clock.frozen(T0), pytest.raises(ValidationFailed) as err:
        _grant(customer, actors, days=0, grantee_user=actors.presales)
    assert list(err.value.errors) == ["expires_at"]


def test_it_refuses_two_grantees_or_none(actors, customer):
    with clock.frozen(T0):
        with pytest.raises(ValidationFailed):
            _grant(customer, actors, grantee_user=actors.presales, grantee_role="pm")
        with pytest.raises(ValidationFailed):
            _grant(customer, actors)


def test_it_refuses_a_partner_user_as_grantee(actors, customer):
    with clock.frozen(T0), pytest.raises(ValidationFailed):
        _grant(customer, actors, grantee_user=actors.bob)


def test_it_lets_an_officer_grant_but_not_presales_or_another_partner(
    actors, customer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with clock.frozen(T0):
        for user in (actors.presales, actors.bob):
            with pytest.raises(Forbidden):
                grant_consent(
                    customer,
                    partner=actors.alpha,
                    grantee_role="pm",
                    expires_at=T0 + dt.timedelta(days=1),
                    actor=user,
                )
        from django.core.files.uploadedfile import SimpleUploadedFile

        grant_consent(
            customer,
            partner=actors.alpha,
            grantee_role="pm",
            expires_at=T0 + dt.timedelta(days=1),
            actor=actors.officer,
            document=SimpleUploadedFile("consent.pdf", b"%PDF-1.4 written consent"),
        )
