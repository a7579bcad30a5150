"""The co-delivery review (SPEC §10.2, R-ASM-2; issue #15): seed 001's 极峰科技 review with three
dimensions 待验证, listed as open until a later review rates them."""

from __future__ import annotations

import pytest

from huoban.audit.models import AuditEvent
from huoban.profiles import rules
from huoban.profiles.models import DeliveryReview

pytestmark = pytest.mark.django_db

SEED_001 = {
    "AI算法能力": "优秀",
    "开发效率": "待验证",
    "项目管理": "待验证",
    "沟通配合": "良好",
    "交付质量": "待验证",
}


def test_to_verify_is_its_own_value_and_stays_open(actors, api_client):
    url = f"/api/v1/partners/{actors.alpha.code}/delivery-reviews"
    officer = api_client.as_(actors.officer)
    status, answer = officer.post(url, {"ratings": SEED_001, "note": "首次合作"})
    assert status == 201
    assert answer["ratings"] == {
        "AI算法能力": "excellent",
        "开发效率": "to_verify",
        "项目管理": "to_verify",
        "沟通配合": "good",
        "交付质量": "to_verify",
    }
    assert answer["open"] == ["开发效率", "项目管理", "交付质量"]
    # after the first milestone: efficiency rated, the rest still open
    status, answer = api_client.as_(actors.gm).post(
        url, {"ratings": {**SEED_001, "开发效率": "good"}}
    )
    assert answer["open"] == ["项目管理", "交付质量"]
    status, listed = api_client.as_(actors.pm).get(url)
    # read back from the database, in the reviewer's order (jsonb would sort an object's keys)
    assert [i["open"] for i in listed["items"]] == [
        ["项目管理", "交付质量"],
        ["开发效率", "项目管理", "交付质量"],
    ]
    assert list(listed["items"][1]["ratings"]) == list(SEED_001)
    assert api_client.as_(actors.alice).get(url)[0] == 403


def test_a_rating_that_is_not_one_of_the_four_changes_nothing(actors, api_client):
    officer = api_client.as_(actors.officer)
    officer.get("/api/v1/agreements")  # the token's first use is audited: before counting
    before = AuditEvent.objects.count()
    url = f"/api/v1/partners/{actors.alpha.code}/delivery-reviews"
    status, answer = officer.post(url, {"ratings": {"交付质量": "还行"}})
    assert status == 422 and "ratings.交付质量" in answer["detail"]
    assert not DeliveryReview.objects.exists() and AuditEvent.objects.count() == before


def test_a_dimension_rated_twice_changes_nothing(actors):
    from huoban.errors import ValidationFailed
    from huoban.profiles.services import record_delivery_review

    with pytest.raises(ValidationFailed) as raised:
        record_delivery_review(
            actors.alpha.code,
            ratings=[("交付质量", "good"), ("交付质量", "weak")],
            actor=actors.officer,
        )
    assert "ratings.交付质量" in raised.value.errors
    assert not DeliveryReview.objects.exists()


def test_the_rating_words():
    assert [rules.rating_of(w) for w in ("优秀", "GOOD", "待验证", "较弱", "ok")] == [
        "excellent", "good", "to_verify", "weak", None,
    ]  # fmt: skip
