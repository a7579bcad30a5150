"""The registry and permanent attribution (R-ATT-1, R-ATT-3, R-ATT-4, R-ATT-6)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from huoban.access import Forbidden
from huoban.audit.models import AuditEvent
from huoban.customers.attribution import (
    AlreadyAttributed,
    attach_attribution,
    link_related,
    transfer_attribution,
)
from huoban.customers.models import Attribution, AttributionTransfer, Customer, CustomerName
from huoban.customers.ownership import owner_of
from huoban.customers.registry import get_or_create_customer
from huoban.errors import Conflict, ValidationFailed

from .helpers import MOUTAI, USCC_A, USCC_B, make_customer, owned_customer


def test_it_creates_a_customer_with_its_legal_name_row(actors):
    customer, created = get_or_create_customer(MOUTAI, uscc=USCC_A, region="贵州")
    assert created
    assert (customer.normalized_name, customer.uscc) == ("茅台酒", USCC_A)
    assert list(customer.names.values_list("name", "normalized", "head2", "kind")) == [
        (MOUTAI, "茅台酒", "茅台", "legal")
    ]


def test_it_returns_the_same_customer_for_the_same_normalised_name(actors):
    first = make_customer(MOUTAI)
    again, created = get_or_create_customer("贵州茅台酒有限公司")
    assert (again, created) == (first, False)
    assert Customer.objects.count() == 1


def test_it_keeps_two_entities_with_the_same_key_but_different_codes_apart(actors):
    # given 贵州茅台酒 (key 茅台酒) registered with one code
    moutai = make_customer(MOUTAI, uscc=USCC_A)
    # when another entity whose name also normalises to 茅台酒 comes with another code
    other, created = get_or_create_customer("四川茅台酒有限公司", uscc=USCC_B)
    # then it is a new customer under the place-kept key
    assert created and other != moutai
    assert other.normalized_name == "四川茅台酒"


def test_it_attaches_an_owner_once(actors):
    customer = make_customer(MOUTAI)
    first = attach_attribution(customer, actors.alpha)
    # the same partner again: the same row
    assert attach_attribution(customer, actors.alpha) == first
    # another partner: refused, without naming the owner (R-VIS-1)
    with pytest.raises(AlreadyAttributed) as err:
        attach_attribution(customer, actors.beta)
    assert actors.alpha.name not in err.value.message
    assert owner_of(customer) == actors.alpha


def test_it_lets_a_related_entity_inherit_the_owner(actors):
    # given 茅台 owned by alpha and a subsidiary found later with no owner
    parent = owned_customer(actors.alpha)
    child = make_customer("贵州茅台酱香酒营销有限公司")
    # when an officer links them
    link_related(parent, child, "subsidiary", actor=actors.officer)
    # then the subsidiary belongs to alpha, inherited via the parent
    inherited = Attribution.objects.get(customer=child)
    assert (inherited.partner, inherited.source, inherited.via) == (actors.alpha, "related", parent)
    assert AuditEvent.objects.filter(action="customer.link").count() == 1


def test_it_lets_the_owned_side_give_its_owner_whichever_side_it_is(actors):
    parent = make_customer(MOUTAI)
    child = owned_customer(actors.beta, "贵州茅台酱香酒营销有限公司")
    link_related(parent, child, "subsidiary", actor=actors.officer)
    assert owner_of(parent) == actors.beta


def test_it_gives_linked_entities_the_owner_won_later(actors):
    # given two linked customers with no owner
    parent = make_customer(MOUTAI)
    child = make_customer("贵州茅台酱香酒营销有限公司")
    link_related(parent, child, "subsidiary", actor=actors.officer)
    # when alpha's lead on the parent turns valid / then the subsidiary follows (R-ATT-4)
    attach_attribution(parent, actors.alpha)
    assert owner_of(child) == actors.alpha


def test_it_refuses_to_link_entities_owned_by_different_partners(actors):
    a = owned_customer(actors.alpha)
    b = owned_customer(actors.beta, "北京字节跳动科技有限公司")
    with pytest.raises(Conflict):
        link_related(a, b, "affiliate", actor=actors.officer)
    assert (owner_of(a), owner_of(b)) == (actors.alpha, actors.beta)


def test_it_lets_only_officers_and_admins_link(actors):
    a, b = make_customer(MOUTAI), make_customer("北京字节跳动科技有限公司")
    for user in (actors.presales, actors.alice):
        with pytest.raises(Forbidden):
            link_related(a, b, "affiliate", actor=user)
    link_related(a, b, "affiliate", actor=actors.admin)


def test_it_transfers_by_admin_with_a_reason(actors):
    customer = owned_customer(actors.alpha)
    # when the admin transfers with a reason
    transfer_attribution(customer, actors.beta, "伙伴合并，书面协议 2026-03", actor=actors.admin)
    # then beta owns it, and the transfer and its reason are kept and audited
    assert owner_of(customer) == actors.beta
    transfer = AttributionTransfer.objects.get()
    assert (transfer.from_partner, transfer.to_partner, transfer.by) == (
        actors.alpha,
        actors.beta,
        actors.admin,
    )
    assert transfer.reason == "伙伴合并，书面协议 2026-03"
    event = AuditEvent.objects.get(action="attribution.transfer")
    assert event.before["partner"] == actors.alpha.code
    assert event.after["partner"] == actors.beta.code


def test_it_refuses_a_transfer_by_anyone_but_an_admin(actors):
    customer = owned_customer(actors.alpha)
    for user in (actors.officer, actors.finance, actors.alice):
        with pytest.raises(Forbidden):
            transfer_attribution(customer, actors.beta, "reason", actor=user)
    assert owner_of(customer) == actors.alpha


def test_it_refuses_a_transfer_without_a_reason(actors):
    customer = owned_customer(actors.alpha)
    with pytest.raises(ValidationFailed) as err:
        transfer_attribution(customer, actors.beta, "   ", actor=actors.admin)
    assert list(err.value.errors) == ["reason"]
    assert owner_of(customer) == actors.alpha
    assert AttributionTransfer.objects.count() == 0


def test_it_refuses_deleting_an_attribution_in_the_database(actors):
    # given an attribution
    customer = owned_customer(actors.alpha)
    attribution = Attribution.objects.get(customer=customer)
    # when raw SQL tries to delete it / then the trigger refuses, on SQLite and PostgreSQL
    with pytest.raises(DatabaseError, match="attribution is permanent"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM customers_attribution WHERE id = %s", [attribution.pk])
    # and the ORM cannot either
    with pytest.raises(DatabaseError, match="attribution is permanent"):
        with transaction.atomic():
            Attribution.objects.filter(pk=attribution.pk).delete()
    assert Attribution.objects.filter(pk=attribution.pk).exists()


def test_it_creates_one_name_row_per_customer(actors):
    make_customer(MOUTAI)
    make_customer("贵州茅台酒有限公司")
    assert CustomerName.objects.count() == 1
