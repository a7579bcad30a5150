"""Criticality grade (SPEC §10.2, R-CRIT-1/2; issue #15): the worked examples of seed 002, the
rule's properties, the service and the API."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huoban.audit.models import AuditEvent
from huoban.errors import Forbidden, ValidationFailed
from huoban.profiles import rules
from huoban.profiles.models import CriticalityAssessment
from huoban.profiles.services import assess_criticality

ORDER = {"C": 0, "B": 1, "A": 2, "S": 3}


@pytest.mark.parametrize(
    ("who", "value", "substitutability", "grade"),
    [
        ("OEM 主机厂", 5, "normal", "S"),
        ("首选保险公司", 4, "normal", "A"),
        ("首选二手车平台", 3, "normal", "A"),
        ("区域保险公司", 2, "normal", "B"),
        ("零部件供应商", 1, "easy", "C"),
        ("电池供应商", 4, "hard", "S"),
    ],
)
def test_the_seed_examples(who, value, substitutability, grade):
    assert rules.criticality(value, substitutability).grade == grade, who


def test_the_explanation_says_each_step():
    result = rules.criticality(4, "hard")
    assert [str(s) for s in result.explanation] == [
        "战略价值 4 星 → 基础等级 A / strategic value 4 stars → base grade A",
        "可替代性：难以替代，上调一级 → S / substitutability hard: one grade up → S",
    ]
    assert str(rules.criticality(5, "hard").explanation[1]).startswith(
        "可替代性：难以替代，已是最高级 S，不变 → S"
    )


values = st.integers(min_value=1, max_value=5)
subs = st.sampled_from(rules.SUBSTITUTABILITY)


@given(values, values, subs)
def test_more_strategic_value_never_lowers_the_grade(a, b, s):
    low, high = sorted((a, b))
    assert ORDER[rules.criticality(low, s).grade] <= ORDER[rules.criticality(high, s).grade]


@given(values)
def test_harder_to_replace_never_lowers_the_grade_and_moves_it_one_step_at_most(v):
    easy, normal, hard = (ORDER[rules.criticality(v, s).grade] for s in ("easy", "normal", "hard"))
    assert easy <= normal <= hard
    assert normal - easy <= 1 and hard - normal <= 1
    assert normal == ORDER[rules.base_grade(v)]


def test_the_officer_grades_a_partner_and_a_change_needs_a_reason(actors):
    first = assess_criticality(
        actors.alpha.code, strategic_value=3, substitutability="normal", actor=actors.officer
    )
    assert first.grade == "A" and "基础等级 A" in first.explanation
    with pytest.raises(ValidationFailed) as bad:
        assess_criticality(
            actors.alpha.code, strategic_value=4, substitutability="hard", actor=actors.officer
        )
    assert set(bad.value.errors) == {"reason"}
    second = assess_criticality(
        actors.alpha.code,
        strategic_value=4,
        substitutability="hard",
        investment="high",
        reason="独家电池技术，短期无替代",
        actor=actors.officer,
    )
    assert second.grade == "S"
    assert CriticalityAssessment.objects.filter(partner=actors.alpha).count() == 2
    event = AuditEvent.objects.filter(action="partner.criticality").order_by("pk").last()
    assert event.before == {"grade": "A"} and event.after["grade"] == "S"


def test_bad_input_and_the_wrong_role_change_nothing(actors):
    with pytest.raises(ValidationFailed) as bad:
        assess_criticality(
            actors.alpha.code,
            strategic_value=6,
            substitutability="sometimes",
            investment="huge",
            actor=actors.officer,
        )
    assert set(bad.value.errors) == {"strategic_value", "substitutability", "investment"}
    for user in (actors.alice, actors.finance, actors.presales):
        with pytest.raises(Forbidden):
            assess_criticality(
                actors.alpha.code, strategic_value=3, substitutability="normal", actor=user
            )
    assert not CriticalityAssessment.objects.exists()
    assert not AuditEvent.objects.filter(action="partner.criticality").exists()


def test_the_api_answers_the_grade(actors, api_client):
    status, body = api_client.as_(actors.officer).post(
        f"/api/v1/partners/{actors.alpha.code}/criticality",
        {"strategic_value": 1, "substitutability": "easy"},
    )
    assert (status, body["grade"]) == (201, "C")
    status, body = api_client.as_(actors.officer).post(
        f"/api/v1/partners/{actors.alpha.code}/criticality",
        {"strategic_value": 0, "substitutability": "easy"},
    )
    assert status == 422 and CriticalityAssessment.objects.count() == 1
    status, _ = api_client.as_(actors.alice).post(
        f"/api/v1/partners/{actors.alpha.code}/criticality",
        {"strategic_value": 5, "substitutability": "normal"},
    )
    assert status == 403
