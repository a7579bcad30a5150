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
