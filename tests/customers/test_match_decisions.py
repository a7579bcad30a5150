"""Officers' decisions on possible matches are kept and reused (R-ATT-2, issue #13)."""

from __future__ import annotations

from huoban.customers.matching import match_customer
from huoban.customers.models import Customer, MatchDecision
from huoban.leads.models import Status
from huoban.leads.services import resolve_match
from tests.leads.helpers import judge, submit
from tests.portal.helpers import client_for

from .helpers import make_customer

FIRST = "北京星河数字科技有限公司"
SECOND = "北京星河数码科技有限公司"  # the same brand, another industry word: possible


def test_a_possible_match_explains_itself_to_the_officer(actors):
    judge(actors.officer, submit(actors.alice, FIRST))
    lead = submit(actors.bob, SECOND)
    # then the lead keeps how it was scored, in Chinese and English, and the officer sees it
    assert lead.status == Status.NEEDS_REVIEW
    assert "字号 星河 / 星河：相符 100% / 100% / brand 星河 / 星河: 100% / 100% matched" in (
        lead.match_explanation.splitlines()
    )
    html = client_for(actors.officer).get(f"/console/leads/{lead.pk}/").content.decode()
    assert "匹配说明" in html and "字号 星河 / 星河" in html


def test_an_ambiguous_match_names_both_customers_to_the_officer(actors):
    # given two customers with the brand 天山, each registered by a valid lead of alice's
    judge(actors.officer, submit(actors.alice, "新疆天山水泥股份有限公司"))
    judge(actors.officer, submit(actors.alice, "天山钢铁股份有限公司"))
    # when bob registers 天山股份 / then it waits for an officer, who sees both candidates
    lead = submit(actors.bob, "天山股份")
    assert lead.status == Status.NEEDS_REVIEW
    html = client_for(actors.officer).get(f"/console/leads/{lead.pk}/").content.decode()
    assert "另一客户 天山钢铁股份有限公司 也达" in html
    assert "another customer, 天山钢铁股份有限公司, also scores" in html


def test_a_pair_judged_different_is_never_asked_again(actors):
    judge(actors.officer, submit(actors.alice, FIRST))
    first = Customer.objects.get()
    lead = submit(actors.bob, SECOND)
    # when the officer says it is another customer
    lead = resolve_match(lead.pk, None, actor=actors.officer)
    # then the decision is kept, and the name no longer points at the first customer
    decision = MatchDecision.objects.get()
    assert (decision.submitted, decision.customer, decision.same) == ("星河数码科技", first, False)
    assert decision.decided_by == actors.officer
    assert match_customer("星河数码科技集团").customer != first


def test_a_pair_judged_the_same_becomes_an_alias(actors):
    customer = make_customer(FIRST)
    judge(actors.officer, submit(actors.alice, FIRST))
    lead = submit(actors.bob, SECOND)
    resolve_match(lead.pk, customer.pk, actor=actors.officer)
    # then the submitted name is an alias: the next submission of it is an exact match
    assert MatchDecision.objects.get().same is True
    assert customer.names.filter(kind="alias", name=SECOND).exists()
    match = match_customer(SECOND)
    assert (match.kind, match.customer) == ("exact", customer)


def _ambiguous_lead(actors):
    """bob's 天山股份, named like alice's 天山水泥 and 天山钢铁 (both score 93)."""
    judge(actors.officer, submit(actors.alice, "新疆天山水泥股份有限公司"))
    judge(actors.officer, submit(actors.alice, "天山钢铁股份有限公司"))
    cement = Customer.objects.get(legal_name="新疆天山水泥股份有限公司")
    steel = Customer.objects.get(legal_name="天山钢铁股份有限公司")
    lead = submit(actors.bob, "天山股份")
    assert lead.status == Status.NEEDS_REVIEW
    return lead, cement, steel


def test_the_officer_may_choose_the_customer_named_beside_the_first(actors):
    lead, cement, steel = _ambiguous_lead(actors)
    # the lead keeps both: the first candidate, and the other named beside it
    assert (lead.candidate_customer, list(lead.other_candidates.all())) == (cement, [steel])
    client = client_for(actors.officer)
    html = client.get(f"/console/leads/{lead.pk}/").content.decode()
    assert f'name="customer_id" value="{steel.pk}"' in html
    assert f'name="customer_id" value="{cement.pk}"' in html
    # when the officer says it is 天山钢铁, the second
    response = client.post(
        f"/console/leads/{lead.pk}/match/", {"decision": "candidate", "customer_id": steel.pk}
    )
    assert response.status_code == 302
    # then the lead is on 天山钢铁 (alice's: a duplicate), and both answers are kept
    lead.refresh_from_db()
    assert (lead.customer, lead.status) == (steel, Status.DUPLICATE)
    kept = {(d.customer_id, d.same) for d in MatchDecision.objects.all()}
    assert kept == {(steel.pk, True), (cement.pk, False)}
    # and the name is 天山钢铁 from now on, without an officer
    assert (match_customer("天山股份").kind, match_customer("天山股份").customer) == (
        "exact",
        steel,
    )


def test_none_of_the_named_customers_makes_a_new_one(actors):
    lead, cement, steel = _ambiguous_lead(actors)
    client_for(actors.officer).post(f"/console/leads/{lead.pk}/match/", {"decision": "new"})
    lead.refresh_from_db()
    assert lead.status == Status.PENDING
    assert lead.customer not in (cement, steel)
    kept = {(d.customer_id, d.same) for d in MatchDecision.objects.all()}
    assert kept == {(steel.pk, False), (cement.pk, False)}


def test_a_customer_not_named_cannot_be_chosen_on_the_page(actors):
    lead, _cement, _steel = _ambiguous_lead(actors)
    other = make_customer("浙江万安科技股份有限公司")
    response = client_for(actors.officer).post(
        f"/console/leads/{lead.pk}/match/",
        {"decision": "candidate", "customer_id": other.pk},
        follow=True,
    )
    assert "请选择是否为同一客户" in response.content.decode()
    # nothing changed
    lead.refresh_from_db()
    assert (lead.status, lead.customer) == (Status.NEEDS_REVIEW, None)
    assert not MatchDecision.objects.exists()


def test_the_api_names_the_candidates_to_staff_only(actors, api_client):
    lead, cement, steel = _ambiguous_lead(actors)
    status, body = api_client.as_(actors.officer).get(f"leads/{lead.pk}")
    assert status == 200
    assert body["match_candidates"] == [
        {"customer_id": cement.pk, "legal_name": cement.legal_name},
        {"customer_id": steel.pk, "legal_name": steel.legal_name},
    ]
    # bob sees his lead, never alice's customers
    status, body = api_client.as_(actors.bob).get(f"leads/{lead.pk}")
    assert (status, body["match_candidates"]) == (200, [])
