"""The risk register (SPEC §10.10, R-RISK-1; R-HLTH-2; issue #16): a high risk's response due in
5 business days, medium monthly, low quarterly; reviews kept; overdue flagged; a red or falling
health adds a review item once; bad input changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from huoban import clock
from huoban.audit.models import AuditEvent
from huoban.performance.models import Risk
from huoban.performance.services import record_health

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)  # Mon 2026-12-07


def _raise(api_client, user, code, **body):
    return api_client.as_(user).post(f"/api/v1/partners/{code}/risks", body)


def test_review_dates_by_level_and_the_history(actors, api_client):
    code = actors.alpha.code
    with clock.frozen(MONDAY):
        status, high = _raise(api_client, actors.officer, code, title="分成比例未定",
                              category="revenue_share", level="high",
                              response="本周内完成协商，签订明确协议")  # fmt: skip
        assert status == 201
        # 5 business days after Mon 12-07 → Mon 12-14
        assert high["next_review"] == "2026-12-14"
        medium = _raise(api_client, actors.officer, code, title="技术依赖",
                        category="technology", level="medium")[1]  # fmt: skip
        low = _raise(api_client, actors.officer, code, title="沟通协调",
                     category="communication", level="low")[1]  # fmt: skip
        assert (medium["next_review"], low["next_review"]) == ("2027-01-07", "2027-03-07")
    # overdue once the review date has passed
    with clock.frozen(dt.datetime(2026, 12, 15, 10, tzinfo=dt.UTC)):
        listed = api_client.as_(actors.pm).get(f"/api/v1/partners/{code}/risks")[1]
        assert {i["title"]: i["overdue"] for i in listed["items"]} == {
            "分成比例未定": True, "技术依赖": False, "沟通协调": False,
        }  # fmt: skip
        status, reviewed = api_client.as_(actors.officer).post(
            f"/api/v1/risks/{high['id']}/review",
            {"note": "三方协议已明确分成，降为中", "level": "medium", "status": "mitigating"},
        )
        assert (status, reviewed["level"], reviewed["status"]) == (200, "medium", "mitigating")
        assert reviewed["next_review"] == "2027-01-15" and not reviewed["overdue"]
        assert reviewed["history"][-1]["from_level"] == "high"
    assert api_client.as_(actors.alice).get(f"/api/v1/partners/{code}/risks")[0] == 403


def test_bad_input_changes_nothing(actors, api_client):
    for who in (actors.pm, actors.officer):  # a token's first use is audited: before counting
        api_client.as_(who).get("/api/v1/agreements")
    before = AuditEvent.objects.count()
    for body, field in (
        ({"title": "x", "category": "weather", "level": "high"}, "category"),
        ({"title": "x", "category": "ip", "level": "urgent"}, "level"),
        ({"title": " ", "category": "ip", "level": "low"}, "title"),
    ):
        status, answer = _raise(api_client, actors.officer, actors.alpha.code, **body)
        assert status == 422 and field in answer["detail"]
    assert _raise(api_client, actors.pm, actors.alpha.code, title="x", category="ip",
                  level="low")[0] == 403  # fmt: skip
    assert not Risk.objects.exists() and AuditEvent.objects.count() == before


def test_a_falling_or_red_health_adds_a_review_item_once(actors):
    good = {
        "trust": "excellent",
        "communication": "excellent",
        "benefit": "good",
        "risk": "excellent",
        "long_term": "excellent",
    }  # 4.8
    fallen = {"trust": "good", "communication": "medium", "benefit": "medium",
              "risk": "good", "long_term": "good"}  # 3.6: a fall of 1.2  # fmt: skip
    with clock.frozen(MONDAY):
        record_health(actors.alpha.code, period="2026-10", ratings=good, actor=actors.officer)
        assert not Risk.objects.exists()
        record_health(actors.alpha.code, period="2026-11", ratings=fallen, actor=actors.officer)
        [item] = Risk.objects.all()
        assert item.title == "健康度复核 2026-11" and "4.8 → 3.6" in item.description
        red = dict.fromkeys(good, "poor")  # 2.0 red
        record_health(actors.beta.code, period="2026-11", ratings=red, actor=actors.officer)
        assert Risk.objects.filter(partner=actors.beta, source="health:2026-11").count() == 1
