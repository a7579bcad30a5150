"""Issue #10 finding 10: a duplicate lead's contact stays on the lead, and the later partner
never reads the owner's customer record (R-VIS-1, R-VIS-4)."""

from __future__ import annotations

import pytest

from huoban.customers.models import Contact
from huoban.leads.models import Status

from .helpers import judge, submit

pytestmark = pytest.mark.django_db


def test_a_duplicate_leads_contact_is_not_added_to_the_owners_customer(actors):
    # given alpha owns 东义集团 with its own contact (1 contact row)
    owned = judge(actors.officer, submit(actors.alice, "东义集团", contact_name="王博士"))
    assert Contact.objects.filter(customer=owned.customer).count() == 1
    # when bob (beta) registers the same company with another contact
    dup = submit(
        actors.bob, "东义集团", contact_name="竞争对手的联系人", contact_phone="13900001111"
    )
    # then it is a duplicate, its contact is on the lead only: still 1 contact on the customer
    assert dup.status == Status.DUPLICATE
    assert dup.contact_id is None
    assert dup.contact_name == "竞争对手的联系人"
    assert list(Contact.objects.filter(customer=owned.customer).values_list("name", flat=True)) == [
        "王博士"
    ]


def test_losing_leads_contacts_leave_the_customer_when_another_partner_wins(actors):
    # given alpha and beta both have a pending lead on the same new customer (2 contacts)
    first = submit(actors.alice, "东义集团", contact_name="王博士")
    second = submit(actors.bob, "东义集团", contact_name="李经理")
    assert Contact.objects.filter(customer=first.customer).count() == 2
    # when alpha's lead is judged valid
    judge(actors.officer, first)
    second.refresh_from_db()
    # then beta's lead is a duplicate and its contact is no longer on alpha's customer
    assert second.status == Status.DUPLICATE
    assert second.contact_id is None
    assert list(Contact.objects.filter(customer=first.customer).values_list("name", flat=True)) == [
        "王博士"
    ]


def test_the_later_partner_cannot_read_the_owners_customer(actors, api_client, client):
    owned = judge(actors.officer, submit(actors.alice, "东义集团"))
    submit(actors.bob, "东义集团")
    customer_id = owned.customer_id
    status, _ = api_client.as_(actors.bob).get(f"/api/v1/customers/{customer_id}")
    assert status == 404
    status, _ = api_client.as_(actors.bob).get(f"/api/v1/customers/{customer_id}/contacts")
    assert status == 404
    # the owner still reads it
    status, body = api_client.as_(actors.alice).get(f"/api/v1/customers/{customer_id}")
    assert (status, body["id"]) == (200, customer_id)
    # and the portal answers 404 to the later partner
    client.force_login(actors.bob)
    assert client.get(f"/portal/customers/{customer_id}/").status_code == 404


def test_the_verdict_event_lists_the_leads_it_made_duplicate(actors):
    """Issue #11: an action's side effects are in its audit event."""
    from huoban.audit.models import AuditEvent

    first = submit(actors.alice, "东义集团", contact_name="王博士")
    second = submit(actors.bob, "东义集团", contact_name="李经理")
    judge(actors.officer, first)
    event = AuditEvent.objects.filter(action="lead.verdict", object_id=str(first.pk)).get()
    assert event.after["made_duplicate"] == [second.pk]
