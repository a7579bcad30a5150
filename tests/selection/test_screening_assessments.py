"""Capability and willingness assessed at screening (R-SEL-2, R-ASM-1; issue #15): scored by the
same rule as a partner's, compared side by side, and carried to the partner at `sign` (R-SEL-4);
a partial or out-of-range assessment is a field error that changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from huoban.profiles.models import Assessment
from huoban.selection.models import Candidate
from huoban.selection.services import (
    add_candidate,
    create_selection,
    move_stage,
    record_trial,
    sign_candidate,
)
from tests.portal.helpers import client_for

pytestmark = pytest.mark.django_db

CAPABILITY = {"resources": 4, "technology": 5, "operations": 3, "credibility": 4}
WILLINGNESS = {"executive_support": 5, "dedicated_team": 3, "long_term_commitment": 4}


def _candidate(actors):
    selection = create_selection(
        title="车险保险合作伙伴甄选", partner_type="channel",
        criteria=[{"metric": "转化率", "op": "gte", "threshold": 15, "unit": "%"}],
        actor=actors.officer,
    )  # fmt: skip
    return selection, add_candidate(selection.pk, name="众安在线", actor=actors.officer)


def test_assessed_at_screening_and_carried_at_sign(actors, api_client):
    selection, candidate = _candidate(actors)
    status, _answer = api_client.as_(actors.officer).post(
        f"/api/v1/candidates/{candidate.pk}/stage",
        {"stage": "screened", "capability": CAPABILITY, "willingness": WILLINGNESS},
    )
    assert status == 200
    # (4+5+3+4)/4 = 4.0; (5+3+4)/3 = 4.0 (12/3)
    status, compared = api_client.as_(actors.gm).get(f"/api/v1/selections/{selection.pk}")
    [row] = compared["candidates"]
    assert (row["capability"], row["willingness"]) == ("4.0", "4.0")
    html = client_for(actors.gm).get(f"/console/selections/{selection.pk}/").content.decode()
    assert "4.0 / 4.0" in html
    for stage in ("nda", "due_diligence", "trial"):
        move_stage(candidate.pk, stage=stage, actor=actors.officer)
    record_trial(candidate.pk, results={"转化率": 21}, actor=actors.officer)
    signed = sign_candidate(candidate.pk, actor=actors.officer)
    scores = dict(Assessment.objects.filter(partner=signed.partner).values_list("kind", "score"))
    assert scores == {"capability": Decimal("4.0"), "willingness": Decimal("4.0")}
    page = client_for(actors.officer).get(f"/console/partners/{signed.partner.code}/")
    assert "甄选档案" in page.content.decode()


def test_a_partial_or_bad_assessment_changes_nothing(actors, api_client):
    _selection, candidate = _candidate(actors)
    url = f"/api/v1/candidates/{candidate.pk}/stage"
    officer = api_client.as_(actors.officer)
    for body, field in (
        ({"capability": {"resources": 4}}, "capability.technology"),
        ({"willingness": {**WILLINGNESS, "dedicated_team": 6}}, "willingness.dedicated_team"),
        ({"capability": {**CAPABILITY, "charm": 5}}, "capability.scores"),
    ):
        status, answer = officer.post(url, {"stage": "screened", **body})
        assert status == 422 and field in answer["detail"], (body, answer)
    fresh = Candidate.objects.get(pk=candidate.pk)
    assert (fresh.stage, fresh.capability, fresh.willingness) == ("sourced", {}, {})


def test_the_console_form_takes_the_scores(actors):
    _selection, candidate = _candidate(actors)
    url = f"/console/candidates/{candidate.pk}/stage/"
    officer = client_for(actors.officer)
    body = {"stage": "screened", **{f"cap_{k}": v for k, v in CAPABILITY.items()}}
    bad = officer.post(url, {**body, "cap_operations": ""})
    assert bad.status_code == 422 and Candidate.objects.get(pk=candidate.pk).stage == "sourced"
    assert officer.post(url, body).status_code == 302
    fresh = Candidate.objects.get(pk=candidate.pk)
    assert (fresh.capability, fresh.willingness) == (CAPABILITY, {})
