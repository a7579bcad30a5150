"""An officer decides a possible customer match, reading why it was offered (issue #13).

alpha's 北京星河数字科技 is registered; beta submits 北京星河数码科技: the same brand 星河 with
another industry word, a possible match. olivia reads the steps of the score on the lead page,
judges it another customer, and the pair is remembered: the name is not offered again.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from huoban.customers.matching import match_customer
from huoban.customers.models import MatchDecision
from tests.leads.helpers import judge, submit

pytestmark = pytest.mark.browser


def test_olivia_reads_why_a_match_was_offered_and_decides_it(actors, open_as, tmp_path):
    judge(actors.officer, submit(actors.alice, "北京星河数字科技有限公司"))
    lead = submit(actors.bob, "北京星河数码科技有限公司")
    assert lead.status == "needs_review"

    olivia = open_as("olivia")
    olivia.goto(f"/console/leads/{lead.pk}/")
    card = olivia.locator("section", has_text="确认客户匹配")
    expect(card).to_contain_text("北京星河数字科技有限公司")
    explanation = olivia.locator("#match-explanation")
    expect(explanation).to_contain_text("匹配说明")
    expect(explanation).to_contain_text("字号 星河 / 星河：相符 100% / 100%")
    olivia.screenshot(path=str(tmp_path / "match.png"), full_page=True)

    olivia.get_by_role("button", name="不是，作为新客户").click()
    expect(olivia).to_have_url(re.compile(rf"/console/leads/{lead.pk}/$"))
    expect(olivia.locator("section", has_text="确认客户匹配")).to_have_count(0)
    decision = MatchDecision.objects.get()
    assert (decision.same, decision.decided_by) == (False, actors.officer)
    assert (
        match_customer("北京星河数码科技有限公司").customer
        == lead.__class__.objects.get(pk=lead.pk).customer
    )


def test_olivia_chooses_the_second_customer_of_an_ambiguous_match(actors, open_as, tmp_path):
    # alice's customers 天山水泥 and 天山钢铁 both have the brand 天山; bob registers 天山股份
    judge(actors.officer, submit(actors.alice, "新疆天山水泥股份有限公司"))
    judge(actors.officer, submit(actors.alice, "天山钢铁股份有限公司"))
    lead = submit(actors.bob, "天山股份")
    assert lead.status == "needs_review"

    olivia = open_as("olivia")
    olivia.goto(f"/console/leads/{lead.pk}/")
    card = olivia.locator("section", has_text="确认客户匹配")
    expect(card).to_contain_text("新疆天山水泥股份有限公司")
    # the other certain customer is named under the candidate, with its score
    explanation = olivia.locator("#match-explanation")
    expect(explanation).to_contain_text("另一客户 天山钢铁股份有限公司 也达")
    expect(explanation).to_contain_text("须人工判断")
    olivia.screenshot(path=str(tmp_path / "ambiguous.png"), full_page=True)
    # each named customer has its own button: olivia says it is 天山钢铁, the second
    choices = olivia.locator("#match-candidates li")
    expect(choices).to_have_count(2)
    second = choices.filter(has_text="天山钢铁股份有限公司")
    expect(second).to_contain_text("归属：")
    second.get_by_role("button", name="是同一客户").click()
    expect(olivia).to_have_url(re.compile(rf"/console/leads/{lead.pk}/$"))
    expect(olivia.locator("section", has_text="确认客户匹配")).to_have_count(0)
    lead.refresh_from_db()
    assert (lead.customer.legal_name, lead.status) == ("天山钢铁股份有限公司", "duplicate")
    assert match_customer("天山股份").kind == "exact"
