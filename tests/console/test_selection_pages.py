"""Selections in the console (R-SEL-1…3, R-UI-1; issue #15): bad input on its field, a skipped
or closed step refused, nothing written."""

from __future__ import annotations

from huoban.audit.models import AuditEvent
from huoban.selection.models import Candidate, Selection
from huoban.selection.services import add_candidate, create_selection
from tests.portal.helpers import client_for


def test_a_criterion_line_that_cannot_be_read_is_refused_on_its_field(actors):
    officer = client_for(actors.officer)
    before = AuditEvent.objects.count()
    response = officer.post(
        "/console/selections/",
        {"title": "甄选", "partner_type": "technology", "criteria": "NPS 至少 70"},
    )
    assert response.status_code == 422 and "第 1 行应为" in response.content.decode()
    assert not Selection.objects.exists() and AuditEvent.objects.count() == before


def test_a_skipped_stage_and_a_trial_before_its_time_change_nothing(actors):
    selection = create_selection(
        title="技术伙伴甄选",
        partner_type="technology",
        criteria=[{"metric": "交付准时率", "op": "gte", "threshold": 90, "unit": "%"}],
        actor=actors.officer,
    )
    candidate = add_candidate(selection.pk, name="甲科技", actor=actors.officer)
    officer = client_for(actors.officer)
    response = officer.post(f"/console/candidates/{candidate.pk}/stage/", {"stage": "trial"})
    assert response.status_code == 409 and "不得跳过" in response.content.decode()
    response = officer.post(f"/console/candidates/{candidate.pk}/trial/", {"m0": "95"})
    assert response.status_code == 409
    response = officer.post(f"/console/candidates/{candidate.pk}/reject/", {"reason": ""})
    assert response.status_code == 422
    assert Candidate.objects.get().stage == "sourced"
    # other staff read the comparison but have no forms and may not act
    finance = client_for(actors.finance)
    html = finance.get(f"/console/selections/{selection.pk}/").content.decode()
    assert "甲科技" in html and "stage-form" not in html
    assert (
        finance.post(f"/console/candidates/{candidate.pk}/reject/", {"reason": "x"}).status_code
        == 403
    )
