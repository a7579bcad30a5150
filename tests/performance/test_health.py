"""Monthly health (SPEC §10.9, R-HLTH-1; issue #16): seed 001's 极峰科技 → 4.3 green, `pending`
not scored, the colour bounds, through the API; bad input changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huoban import clock
from huoban.audit.models import AuditEvent
from huoban.performance.models import HealthAssessment
from huoban.performance.rules import HEALTH_DIMENSIONS, HEALTH_VALUES, health

DECEMBER = dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)
SEED_001 = {"trust": "good", "communication": "excellent", "benefit": "pending",
            "risk": "medium", "long_term": "excellent"}  # fmt: skip


def test_seed_001():
    # (4 + 5 + 3 + 5) ÷ 4 = 4.25 → 4.3 green; benefit distribution pending, not scored
    result = health(SEED_001)
    assert (result.overall, result.colour) == (Decimal("4.3"), "green")
    assert "利益分配" in str(result.explanation[0])


@pytest.mark.parametrize(
    ("ratings", "overall", "colour"),
    [
        (["good"] * 5, "4.0", "green"),
        (["good", "medium", "medium", "medium", "medium"], "3.2", "amber"),
        (["medium"] * 5, "3.0", "amber"),
        (["medium", "poor", "poor", "poor", "poor"], "2.2", "red"),
        (["good", "good", "medium", "medium", "pending"], "3.5", "amber"),
    ],
)
def test_the_colours(ratings, overall, colour):
    result = health(dict(zip(HEALTH_DIMENSIONS, ratings, strict=True)))
    assert (str(result.overall), result.colour) == (overall, colour)


@given(st.lists(st.sampled_from(list(HEALTH_VALUES)), min_size=5, max_size=5))
def test_the_overall_lies_within_the_scored_values(values):
    scored = [HEALTH_VALUES[v] for v in values if HEALTH_VALUES[v] is not None]
    if not scored:
        return
    result = health(dict(zip(HEALTH_DIMENSIONS, values, strict=True)))
    assert min(scored) <= result.overall <= max(scored)


@pytest.mark.django_db
def test_through_the_api(actors, api_client):
    url = f"/api/v1/partners/{actors.alpha.code}/health"
    with clock.frozen(DECEMBER):
        status, answer = api_client.as_(actors.officer).post(url, {"period": "2026-11", **SEED_001})
        assert (status, answer["overall"], answer["colour"]) == (201, "4.3", "green")
        again = api_client.as_(actors.officer).post(url, {"period": "2026-11", **SEED_001})
        assert again[0] == 409
        assert api_client.as_(actors.pm).get(url)[1]["count"] == 1
        assert api_client.as_(actors.alice).get(url)[0] == 403
        assert api_client.as_(actors.pm).post(url, {"period": "2026-10", **SEED_001})[0] == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"trust": "great"}, "trust"),
        (dict.fromkeys(HEALTH_DIMENSIONS, "pending"), "ratings"),
        ({"period": "2026-1"}, "period"),
    ],
)
def test_bad_input_changes_nothing(actors, api_client, change, field):
    api_client.as_(actors.officer).get("/api/v1/agreements")  # the token's first use is audited
    before = AuditEvent.objects.count()
    with clock.frozen(DECEMBER):
        status, answer = api_client.as_(actors.officer).post(
            f"/api/v1/partners/{actors.alpha.code}/health",
            {"period": "2026-11", **SEED_001, **change},
        )
    assert status == 422 and field in answer["detail"], answer
    assert not HealthAssessment.objects.exists() and AuditEvent.objects.count() == before
