"""Who hears of each lead event, and what they are told (R-NOTE-1, R-VIS; issue #14)."""

from __future__ import annotations

import datetime as dt

import pytest

from huoban import clock
from huoban.errors import Conflict
from huoban.leads.services import VerdictInput, appeal, sign_second_review
from huoban.notifications.models import Notification
from tests.leads.helpers import INVALID, judge, submit
from tests.notifications.helpers import told


def test_a_new_lead_is_told_to_the_officers_and_presales(actors):
    with clock.frozen(dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)):  # 10:00 in Beijing
        lead = submit(actors.alice, "东义集团")
    got = told("lead.submitted")
    # the two officers and the presales user; not the admin, pm, finance, nor any partner
    assert sorted(got) == ["olivia", "oscar", "peter"]
    message = got["olivia"][0]
    assert message.title.startswith(f"新线索 #{lead.pk} 东义集团（阿尔法咨询有限公司 ")
    assert message.title_en.startswith(f"New lead #{lead.pk} 东义集团 (阿尔法咨询有限公司 ")
    assert message.link == f"/console/leads/{lead.pk}/"
    # 24 hours later, in the company's time (Asia/Shanghai), as every page shows it
    assert message.title.endswith("）待评估，截止 2026-11-21 10:00")
    # one event: the same id for everyone told of it
    assert len({n.event_id for ns in got.values() for n in ns}) == 1


def test_a_valid_verdict_is_told_to_the_partners_users_only(actors):
    lead = submit(actors.alice, "东义集团")
    judge(actors.officer, lead)
    got = told("lead.verdict")
    assert sorted(got) == ["alice"]
    message = got["alice"][0]
    assert message.title == f"线索 #{lead.pk} 东义集团：有效"
    assert message.body == "报价区间 ¥200,000.00–300,000.00。"
    assert message.body_en == "Quote range ¥200,000.00–300,000.00."
    assert message.link == f"/portal/leads/{lead.pk}/"


def test_an_invalid_verdict_gives_the_reason_in_both_languages(actors):
    lead = judge(actors.officer, submit(actors.alice, "东义集团"), INVALID)
    message = told("lead.verdict")["alice"][0]
    assert message.title_en == f"Your lead #{lead.pk} 东义集团: invalid"
    assert message.body.startswith("原因：纯咨询无落地意向。客户仅咨询价格，无立项计划")
    assert "可在 30 天内申诉" in message.body
    assert message.body_en.startswith("Reason: ")
    assert "纯咨询" not in message.body_en


def test_a_lead_made_duplicate_is_told_without_naming_the_winner(actors):
    first = submit(actors.alice, "东义集团")
    second = submit(actors.bob, "东义集团")
    judge(actors.officer, first)
    got = told("lead.verdict")
    assert sorted(got) == ["alice", "bob"]
    to_bob = got["bob"][0]
    assert to_bob.title == f"线索 #{second.pk} 东义集团：重复报备"
    for text in (to_bob.title, to_bob.body, to_bob.title_en, to_bob.body_en):
        assert "阿尔法" not in text and "alice" not in text


def test_an_appeal_and_its_final_review_are_told(actors):
    lead = judge(actors.officer, submit(actors.alice, "东义集团"), INVALID)
    appeal(lead.pk, "客户已立项，附会议纪要", actor=actors.alice)
    assert sorted(told("lead.appealed")) == ["olivia", "oscar", "peter"]
    assert told("lead.appealed")["peter"][0].body == "客户已立项，附会议纪要"
    valid = VerdictInput(
        verdict="valid",
        explanation="补充材料证明已立项",
        feasibility="可落地",
        quote_min=None,
        quote_max=None,
    )
    sign_second_review(lead.pk, valid, actor=actors.officer)
    assert told("review.decided") == {}  # one signature is not a decision
    sign_second_review(lead.pk, valid, actor=actors.presales)
    got = told("review.decided")
    assert sorted(got) == ["alice"]
    assert got["alice"][0].title == f"复核结论：线索 #{lead.pk} 东义集团：有效"


def test_an_action_that_fails_tells_nobody(actors):
    lead = judge(actors.officer, submit(actors.alice, "东义集团"))
    before = Notification.objects.count()
    with pytest.raises(Conflict):
        judge(actors.officer, lead)  # already judged
    assert Notification.objects.count() == before


def test_the_actor_is_not_told_of_their_own_action(actors):
    # olivia is an officer: a lead she judges is not a notification to her
    lead = judge(actors.officer, submit(actors.alice, "东义集团"), INVALID)
    appeal(lead.pk, "理由", actor=actors.alice)
    sign_second_review(lead.pk, INVALID, actor=actors.officer)
    assert not Notification.objects.filter(recipient=actors.officer, event="review.decided")
