"""Customer lookup for inbound contact (R-ATT-5), related entities (R-ATT-6) and masked
contacts with the consent-aware reveal (R-VIS-3, R-ATT-7)."""

from __future__ import annotations

import datetime as dt

import pytest

from huoban import clock
from huoban.audit.models import AuditEvent
from huoban.customers.consent import grant_consent
from huoban.customers.models import CustomerLink, InboundContact
from huoban.customers.ownership import owner_of
from huoban.customers.registry import add_contact
from tests.customers.helpers import make_customer, owned_customer, row_counts
from tests.portal.helpers import client_for

pytestmark = pytest.mark.django_db

MOUTAI = "贵州茅台酒股份有限公司"


def test_it_names_the_owner_to_staff_when_looking_up(actors):
    owned_customer(actors.alpha)
    html = client_for(actors.presales).get("/console/customers/", {"name": MOUTAI}).content
    page = html.decode()
    assert actors.alpha.name in page
    assert "登记并转回伙伴" in page
    assert "客户是否有引荐伙伴" not in page  # the owner is known: no first question


def test_it_records_an_attributed_contact_as_routed_back(actors):
    # given alpha owns the customer
    customer = owned_customer(actors.alpha)
    # when a presales user records the customer's call
    response = client_for(actors.presales).post(
        "/console/customers/inbound/", {"name": MOUTAI, "note": "客户来电咨询"}, follow=True
    )
    # then it is routed back to alpha, and staff are told so by name
    assert response.status_code == 200
    assert actors.alpha.name in response.content.decode()
    inbound = InboundContact.objects.get()
    assert inbound.customer == customer
    assert inbound.routed_to == actors.alpha
    assert inbound.recorded_by == actors.presales


def test_the_first_question_is_required_and_nothing_changes_without_it(actors):
    # given a customer nobody owns
    make_customer()
    before = row_counts()
    # when staff record the contact without asking whether a partner referred them
    response = client_for(actors.officer).post(
        "/console/customers/inbound/", {"name": MOUTAI, "note": "来电"}
    )
    # then it is refused in place, the typed values are kept, and nothing is written
    assert response.status_code == 422
    page = response.content.decode()
    assert "首问必确认" in page
    assert "invalid-feedback" in page
    assert f'value="{MOUTAI}"' in page
    assert row_counts() == before


def test_it_records_an_unowned_contact_with_the_answer(actors):
    response = client_for(actors.officer).post(
        "/console/customers/inbound/",
        {"name": "新客户科技有限公司", "referral_answer": "yes", "referring_partner_name": "张三"},
    )
    assert response.status_code == 302
    inbound = InboundContact.objects.get()
    assert inbound.routed_to is None
    assert inbound.referral_answer == "yes"
    assert inbound.referring_partner_name == "张三"


def test_partner_users_cannot_record_inbound_contacts(actors):
    response = client_for(actors.alice).post(
        "/console/customers/inbound/", {"name": MOUTAI, "referral_answer": "no"}
    )
    assert response.status_code == 404
    assert not InboundContact.objects.exists()


def _customer_with_contact(actors):
    customer = owned_customer(actors.alpha)
    add_contact(customer, name="王经理", title="CIO", phone="13812345678", email="wang@moutai.cn")
    return customer


def test_staff_without_consent_see_masked_contacts_and_a_note(actors):
    customer = _customer_with_contact(actors)
    page = client_for(actors.presales).get(f"/console/customers/{customer.pk}/").content.decode()
    assert "138****5678" in page
    assert "13812345678" not in page
    assert "商务回避" in page
    assert "查看完整联系方式" not in page  # no reveal control without consent
    # and posting a reveal anyway is refused, still masked, nothing audited
    response = client_for(actors.presales).post(f"/console/customers/{customer.pk}/reveal/")
    assert response.status_code == 403
    assert "13812345678" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="contact.reveal").exists()


def test_with_consent_the_reveal_shows_them_and_is_audited(actors):
    customer = _customer_with_contact(actors)
    grant_consent(
        customer,
        partner=actors.alpha,
        grantee_user=actors.presales,
        expires_at=clock.now() + dt.timedelta(days=7),
        actor=actors.alice,
    )
    client = client_for(actors.presales)
    # masked until asked
    page = client.get(f"/console/customers/{customer.pk}/").content.decode()
    assert "138****5678" in page
    assert "查看完整联系方式" in page
    assert not AuditEvent.objects.filter(action="contact.reveal").exists()
    # when revealed / then in full and audited
    response = client.post(f"/console/customers/{customer.pk}/reveal/")
    assert response.status_code == 200
    assert "13812345678" in response.content.decode()
    event = AuditEvent.objects.get(action="contact.reveal")
    assert event.actor_id == actors.presales.pk
    assert event.object_id == str(customer.pk)
    # another staff user stays masked
    other = client_for(actors.officer).post(f"/console/customers/{customer.pk}/reveal/")
    assert "13812345678" not in other.content.decode()


def test_an_officer_links_a_related_entity_which_inherits_the_owner(actors):
    customer = owned_customer(actors.alpha)
    related = make_customer("贵州茅台集团财务有限公司")
    response = client_for(actors.officer).post(
        f"/console/customers/{customer.pk}/link/",
        {"related": "贵州茅台集团财务有限公司", "kind": "subsidiary"},
    )
    assert response.status_code == 302
    assert CustomerLink.objects.filter(customer=customer, related=related).exists()
    assert owner_of(related) == actors.alpha


def test_a_pm_may_not_link_and_sees_no_link_form(actors):
    customer = owned_customer(actors.alpha)
    make_customer("贵州茅台集团财务有限公司")
    page = client_for(actors.pm).get(f"/console/customers/{customer.pk}/").content.decode()
    assert "关联主体名称或信用代码" not in page
    response = client_for(actors.pm).post(
        f"/console/customers/{customer.pk}/link/",
        {"related": "贵州茅台集团财务有限公司", "kind": "subsidiary"},
    )
    assert response.status_code == 403
    assert not CustomerLink.objects.exists()


def test_linking_an_unknown_name_shows_the_error_in_place(actors):
    customer = owned_customer(actors.alpha)
    response = client_for(actors.officer).post(
        f"/console/customers/{customer.pk}/link/", {"related": "不存在的公司", "kind": "affiliate"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "登记簿中没有该主体" in page
    assert 'value="不存在的公司"' in page
