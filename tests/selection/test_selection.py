"""Selection (SPEC §10.3, R-SEL-1…4; issue #15): seed 002's insurer selection through the API —
three candidates through the stages in order, the trial decisions by hand, the once-only
extension, an override with a reason, `sign` making a partner with a draft agreement."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huoban.agreements.models import Agreement
from huoban.audit.models import AuditEvent
from huoban.partners.models import Partner
from huoban.selection import rules
from huoban.selection.models import Candidate

# Seed 002: conversion ≥ 15%, NPS ≥ 70, complaints ≤ 5%, response ≤ 24 h.
CRITERIA = [
    {"metric": "转化率", "op": "gte", "threshold": 15, "unit": "%"},
    {"metric": "NPS", "op": "gte", "threshold": 70},
    {"metric": "投诉率", "op": "lte", "threshold": 5, "unit": "%"},
    {"metric": "响应时效", "op": "lte", "threshold": 24, "unit": "h"},
]
ZHONGAN = {"转化率": 21, "NPS": 76, "投诉率": 2.8, "响应时效": 12}
TAIKANG = {"转化率": 16, "NPS": 71, "投诉率": 5.1, "响应时效": 20}
DILAIBAO = {"转化率": 18, "NPS": 68, "投诉率": 6.8, "响应时效": 28}


def _criteria():
    return [
        rules.Criterion(c["metric"], c["op"], Decimal(str(c["threshold"])), c.get("unit", ""))
        for c in CRITERIA
    ]


def _results(values):
    return {k: Decimal(str(v)) for k, v in values.items()}


@pytest.mark.parametrize(
    ("results", "failed", "decision"),
    [
        (ZHONGAN, (), "sign"),
        (TAIKANG, ("投诉率",), "extend"),
        (DILAIBAO, ("NPS", "投诉率", "响应时效"), "stop"),
    ],
)
def test_seed_002_trial_decisions(results, failed, decision):
    decided = rules.trial_decision(_criteria(), _results(results))
    assert (decided.failed, decided.decision) == (failed, decision)


def test_the_second_trial_stops_on_any_failure():
    assert (
        rules.trial_decision(_criteria(), _results(TAIKANG), second_trial=True).decision == "stop"
    )
    assert (
        rules.trial_decision(_criteria(), _results(ZHONGAN), second_trial=True).decision == "sign"
    )


def test_at_the_threshold_a_criterion_is_met():
    edge = {"转化率": 15, "NPS": 70, "投诉率": 5, "响应时效": 24}
    assert rules.trial_decision(_criteria(), _results(edge)).decision == "sign"


@given(st.lists(st.decimals(0, 100, places=1), min_size=4, max_size=4), st.integers(0, 3),
       st.decimals(0, 50, places=1))  # fmt: skip
def test_a_better_result_never_worsens_the_decision(values, which, gain):
    order = {"stop": 0, "extend": 1, "sign": 2}
    metrics = [c.metric for c in _criteria()]
    base = dict(zip(metrics, values, strict=True))
    better = dict(base)
    criterion = _criteria()[which]
    delta = gain if criterion.op == "gte" else -gain
    better[criterion.metric] = base[criterion.metric] + delta
    a = rules.trial_decision(_criteria(), base).decision
    b = rules.trial_decision(_criteria(), better).decision
    assert order[b] >= order[a]


@pytest.mark.django_db
def test_seed_002_insurer_selection_through_the_api(actors, api_client):
    officer = api_client.as_(actors.officer)
    status, answer = officer.post(
        "/api/v1/selections",
        {
            "title": "车险保险合作伙伴甄选",
            "partner_type": "channel",
            "criteria": CRITERIA,
            "needs": "车险产品与理赔服务",
            "offers": "车主流量与数据",
            "screening": ["持牌经营", "线上理赔"],
        },
    )
    assert status == 201
    selection_id = answer["id"]
    ids = {}
    for name in ("众安在线", "泰康在线", "蔕来保"):
        status, answer = officer.post(
            f"/api/v1/selections/{selection_id}/candidates", {"name": name, "channel": "行业会议"}
        )
        assert (status, answer["stage"]) == (201, "sourced")
        ids[name] = answer["id"]
    zhongan = ids["众安在线"]
    # skipping a stage is refused, nothing changes
    status, answer = officer.post(f"/api/v1/candidates/{zhongan}/stage", {"stage": "nda"})
    assert status == 409 and "skipped" in answer["detail"]
    assert Candidate.objects.get(pk=zhongan).stage == "sourced"
    for candidate_id in ids.values():
        screening = {"持牌经营": True, "线上理赔": True}
        url = f"/api/v1/candidates/{candidate_id}/stage"
        officer.post(url, {"stage": "screened", "screening": screening})
        officer.post(f"/api/v1/candidates/{candidate_id}/stage", {"stage": "nda"})
        status, _ = officer.post(
            f"/api/v1/candidates/{candidate_id}/stage",
            {"stage": "due_diligence", "due_diligence": {
                "resources": [{"question": "专职团队", "answer": "有", "red_flag": False}],
                "commercial": [{"question": "诉讼", "answer": "1 起", "red_flag": True}]}},
        )  # fmt: skip
        assert status == 200
        assert officer.post(f"/api/v1/candidates/{candidate_id}/stage", {"stage": "trial"})[1] == {
            "stage": "trial"
        }
    decisions = {}
    for name, results in (("众安在线", ZHONGAN), ("泰康在线", TAIKANG), ("蔕来保", DILAIBAO)):
        status, answer = officer.post(f"/api/v1/candidates/{ids[name]}/trial", {"results": results})
        assert status == 200
        decisions[name] = (answer["decision"], answer["failed"])
    assert decisions == {
        "众安在线": ("sign", []),
        "泰康在线": ("extend", ["投诉率"]),
        "蔕来保": ("stop", ["NPS", "投诉率", "响应时效"]),
    }
    # 泰康 stays in trial for the once-only second trial: complaints still 5.1% → stop
    taikang = Candidate.objects.get(pk=ids["泰康在线"])
    assert (
        taikang.stage == "trial"
        and taikang.trial_end.month
        == taikang.trial_start.month + 6 - 12 * (taikang.trial_start.month > 6)
    )
    status, answer = officer.post(
        f"/api/v1/candidates/{ids['泰康在线']}/trial", {"results": TAIKANG}
    )
    assert answer["decision"] == "stop"
    # side by side: stages, red flags, decisions
    status, compared = api_client.as_(actors.gm).get(f"/api/v1/selections/{selection_id}")
    assert [
        (c["name"], c["stage"], c["red_flags"], c["decision"]) for c in compared["candidates"]
    ] == [
        ("众安在线", "decided", 1, "sign"),
        ("泰康在线", "decided", 1, "stop"),
        ("蔕来保", "decided", 1, "stop"),
    ]
    # sign: a partner of the selection's type with a draft agreement
    officer = api_client.as_(actors.officer)  # the client acted as the gm just above
    status, answer = officer.post(f"/api/v1/candidates/{zhongan}/sign", {})
    assert status == 201, answer
    partner = Partner.objects.get(code=answer["partner_code"])
    assert partner.name == "众安在线" and partner.types == ["channel"]
    agreement = Agreement.objects.get(pk=answer["agreement_id"])
    assert (agreement.partner, agreement.kind, agreement.status) == (partner, "channel", "draft")
    # a stopped candidate cannot sign; an override needs a reason
    assert officer.post(f"/api/v1/candidates/{ids['蔕来保']}/sign", {})[0] == 409
    status, answer = officer.post(
        f"/api/v1/candidates/{ids['蔕来保']}/decision", {"decision": "sign", "reason": " "}
    )
    assert status == 422 and "reason" in answer["detail"]
    status, answer = officer.post(
        f"/api/v1/candidates/{ids['蔕来保']}/decision",
        {"decision": "sign", "reason": "总部战略合作，响应时效已书面承诺整改"},
    )
    assert (status, answer["decision"]) == (200, "sign")
    assert AuditEvent.objects.filter(action="selection.override").count() == 1


@pytest.mark.django_db
def test_who_may_run_a_selection(actors, api_client):
    body = {"title": "甄选", "partner_type": "technology", "criteria": CRITERIA[:1]}
    for who in (actors.presales, actors.pm, actors.finance, actors.gm, actors.legal):
        assert api_client.as_(who).post("/api/v1/selections", body)[0] == 403
    assert api_client.as_(actors.alice).post("/api/v1/selections", body)[0] == 403
    _status, answer = api_client.as_(actors.officer).post("/api/v1/selections", body)
    assert api_client.as_(actors.alice).get(f"/api/v1/selections/{answer['id']}")[0] == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"partner_type": "friend"}, "partner_type"),
        ({"criteria": []}, "criteria"),
        ({"criteria": [{"metric": "NPS", "op": "gte", "threshold": "high"}]}, "criteria[0]"),
        ({"title": " "}, "title"),
    ],
)
def test_bad_selections_change_nothing(actors, api_client, body, field):
    from huoban.selection.models import Selection

    officer = api_client.as_(actors.officer)
    officer.get("/api/v1/agreements")  # the token's first use is audited: before counting
    before = (Selection.objects.count(), AuditEvent.objects.count())
    full = {"title": "甄选", "partner_type": "technology", "criteria": CRITERIA, **body}
    status, answer = officer.post("/api/v1/selections", full)
    assert status == 422 and field in answer["detail"], answer
    assert (Selection.objects.count(), AuditEvent.objects.count()) == before
