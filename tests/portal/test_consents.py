"""Contact consents from the portal (R-ATT-7): grant to a staff user or a role with an expiry,
revoke; bad input is shown on its field and changes nothing; another partner's consent is 404;
an exited partner sees no forms and the service refuses (R-EXIT-1)."""

from __future__ import annotations

import pytest

from huoban.customers.models import ContactConsent
from huoban.partners.models import PartnerStatus
from tests.portal.helpers import client_for
from tests.projects.helpers import make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(actors, today):
    return make_customer(actors.alpha)


def grant(client, customer, **overrides):
    data = {
        "customer": str(customer.pk),
        "grantee_username": "",
        "grantee_role": "officer",
        "expires_at": "2026-12-31T18:00",
        "note": "合同谈判",
    }
    data.update(overrides)
    return client.post("/portal/consents/grant/", data)


def test_it_grants_a_role_and_lists_it(actors, customer):
    client = client_for(actors.alice)
    response = grant(client, customer)
    assert response.status_code == 302
    consent = ContactConsent.objects.get()
    assert consent.grantee_role == "officer" and consent.partner == actors.alpha
    html = client.get("/portal/consents/").content.decode()
    assert customer.legal_name in html and "伙伴关系官" in html and "有效" in html


def test_it_grants_a_staff_user_by_username(actors, customer):
    response = grant(client_for(actors.alice), customer, grantee_username="olivia", grantee_role="")
    assert response.status_code == 302
    assert ContactConsent.objects.get().grantee_user == actors.officer


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"grantee_username": "nobody", "grantee_role": ""}, "grantee_username", "没有该员工用户"),
        ({"grantee_username": "olivia"}, "grantee_username", "二选一"),
        ({"grantee_role": ""}, "grantee_username", "二选一"),
        ({"grantee_username": "bob", "grantee_role": ""}, "grantee_username", "没有该员工用户"),
        ({"expires_at": "2026-01-01T08:00"}, "expires_at", "须在未来"),
        ({"expires_at": "明天"}, "expires_at", ""),
    ],
)
def test_bad_input_is_shown_in_place_and_changes_nothing(
    actors, customer, overrides, field, message
):
    response = grant(client_for(actors.alice), customer, **overrides)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert ContactConsent.objects.count() == 0
    html = response.content.decode()
    assert "合同谈判" in html  # what was typed is kept


def test_it_refuses_another_partners_customer(actors, customer):
    response = grant(client_for(actors.bob), customer)
    assert response.status_code == 422
    assert "customer" in response.context["form"].errors
    assert ContactConsent.objects.count() == 0


def test_it_revokes_and_another_partner_gets_404(actors, customer):
    grant(client_for(actors.alice), customer)
    consent = ContactConsent.objects.get()
    assert client_for(actors.bob).post(f"/portal/consents/{consent.pk}/revoke/").status_code == 404
    consent.refresh_from_db()
    assert consent.revoked_at is None
    response = client_for(actors.alice).post(f"/portal/consents/{consent.pk}/revoke/")
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    html = client_for(actors.alice).get("/portal/consents/").content.decode()
    assert "已撤销" in html


def test_an_exited_partner_sees_no_forms_and_cannot_grant(actors, customer):
    actors.alpha.status = PartnerStatus.EXITED
    actors.alpha.save()
    client = client_for(actors.alice)
    html = client.get("/portal/consents/").content.decode()
    assert "/portal/consents/grant/" not in html
    assert "仅可查看" in html
    response = grant(client, customer)
    assert response.status_code == 422
    assert ContactConsent.objects.count() == 0
