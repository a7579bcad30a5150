"""Capability and willingness assessments (SPEC §10.2, R-ASM-1; issue #15): the score is the
mean of the dimensions rounded half-up to 0.1, kept with its trend."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huoban.audit.models import AuditEvent
from huoban.errors import Forbidden, ValidationFailed
from huoban.profiles import rules
from huoban.profiles.models import Assessment
from huoban.profiles.services import record_assessment

CAPABILITY = {"resources": 4, "technology": 5, "operations": 3, "credibility": 4}


@pytest.mark.parametrize(
    ("kind", "scores", "expected"),
    [
        # 4 + 5 + 3 + 4 = 16; 16 ÷ 4 = 4.0
        ("capability", CAPABILITY, "4.0"),
        # 3 + 3 + 3 + 4 = 13; 13 ÷ 4 = 3.25 → 3.3 (half-up; half to even would give 3.2)
        ("capability", {"resources": 3, "technology": 3, "operations": 3, "credibility": 4}, "3.3"),
        # 3 + 4 + 4 + 4 = 15; 15 ÷ 4 = 3.75 → 3.8
        ("capability", {"resources": 3, "technology": 4, "operations": 4, "credibility": 4}, "3.8"),
        # 5 + 4 + 4 = 13; 13 ÷ 3 = 4.333… → 4.3
        (
            "willingness",
            {"executive_support": 5, "dedicated_team": 4, "long_term_commitment": 4},
            "4.3",
        ),
        # 5 + 5 + 4 = 14; 14 ÷ 3 = 4.666… → 4.7
        (
            "willingness",
            {"executive_support": 5, "dedicated_team": 5, "long_term_commitment": 4},
            "4.7",
        ),
    ],
)
def test_the_score_by_hand(kind, scores, expected):
    assert rules.assessment_score(kind, scores).score == Decimal(expected)


def test_the_explanation_shows_the_sum_and_the_division():
    steps = [str(s) for s in rules.assessment_score("capability", CAPABILITY).explanation]
    assert steps[0].startswith("资源 4 + 技术 5 + 运营 3 + 信誉 4 = 16")
    assert steps[1].startswith("16 ÷ 4 = 4.0（四舍五入到 0.1）")


@given(st.lists(st.integers(min_value=1, max_value=5), min_size=4, max_size=4))
def test_the_score_lies_between_the_lowest_and_highest_dimension(values):
    scores = dict(zip(rules.CAPABILITY, values, strict=True))
    score = rules.assessment_score("capability", scores).score
    assert min(values) <= score <= max(values)
    assert score == score.quantize(Decimal("0.1"))
    assert abs(score - Decimal(sum(values)) / 4) <= Decimal("0.05")


def test_assessments_are_kept_with_their_trend(actors):
    first = record_assessment(
        actors.alpha.code, kind="capability", scores=CAPABILITY, actor=actors.officer
    )
    assert (first.score, first.trend) == (Decimal("4.0"), "new")
    lower = record_assessment(
        actors.alpha.code,
        kind="capability",
        scores=CAPABILITY | {"technology": 3},
        notes={"technology": "核心算法工程师离职"},
        actor=actors.officer,
    )
    assert (lower.score, lower.trend, lower.notes) == (
        Decimal("3.5"),
        "down",
        {"technology": "核心算法工程师离职"},
    )
    willing = record_assessment(
        actors.alpha.code,
        kind="willingness",
        scores={"executive_support": 5, "dedicated_team": 4, "long_term_commitment": 4},
        actor=actors.admin,
    )
    assert willing.trend == "new"  # its own kind's history
    assert Assessment.objects.filter(partner=actors.alpha).count() == 3
    assert AuditEvent.objects.filter(action="partner.assessment").count() == 3


def test_bad_scores_and_the_wrong_role_change_nothing(actors):
    with pytest.raises(ValidationFailed) as bad:
        record_assessment(
            actors.alpha.code,
            kind="capability",
            scores={"resources": 0, "technology": 6, "operations": 3, "charm": 5},
            actor=actors.officer,
        )
    assert set(bad.value.errors) == {"resources", "technology", "credibility", "scores"}
    with pytest.raises(Forbidden):
        record_assessment(actors.alpha.code, kind="capability", scores=CAPABILITY, actor=actors.pm)
    assert not Assessment.objects.exists()


def test_the_api_records_and_lists_for_staff_only(actors, api_client):
    url = f"/api/v1/partners/{actors.alpha.code}/assessments"
    status, body = api_client.as_(actors.officer).post(
        url, {"kind": "capability", "scores": CAPABILITY}
    )
    assert (status, body["score"], body["trend"]) == (201, "4.0", "new")
    status, body = api_client.as_(actors.officer).post(
        url, {"kind": "capability", "scores": CAPABILITY | {"operations": 9}}
    )
    assert status == 422 and Assessment.objects.count() == 1
    status, body = api_client.as_(actors.presales).get(url)
    assert (status, body["count"]) == (200, 1)
    status, _ = api_client.as_(actors.alice).get(url)
    assert status == 403
