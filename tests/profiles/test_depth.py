"""Cooperation depth (SPEC §10.1, R-PRF-2; issue #15): the suggestion rule by hand, the
officer's confirmation with its history, through the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from huoban.agreements.services import approve_agreement, draft_agreement, review_agreement
from huoban.audit.models import AuditEvent
from huoban.profiles import rules
from huoban.profiles.models import DepthDecision
from tests.projects.helpers import sign


@pytest.mark.parametrize(
    ("projects", "amount", "agreement", "depth"),
    [
        (0, "0", False, "ordinary"),
        (1, "900000", True, "ordinary"),
        (2, "300000", False, "important"),
        (3, "1000000", False, "important"),  # no strategic agreement in force
        (1, "999999.99", True, "ordinary"),  # just under the amount
        (1, "1000000", True, "strategic"),  # seed 001: ≥ 1,000,000 and the agreement
    ],
)
def test_the_suggestion(projects, amount, agreement, depth):
    assert rules.suggest_depth(projects, Decimal(amount), agreement).depth == depth


@pytest.mark.django_db
def test_the_officer_confirms_against_the_suggestion(actors, api_client):
    code = actors.alpha.code
    sign(actors.officer, actors.alpha, "600000.00", name="甲公司")
    sign(actors.officer, actors.alpha, "500000.00", name="乙公司")
    status, answer = api_client.as_(actors.finance).get(f"/api/v1/partners/{code}/depth")
    assert (status, answer["depth"], answer["suggested"]) == (200, None, "important")
    assert "1,100,000.00" in answer["explanation"]  # 600,000 + 500,000 signed in 2026
    officer = api_client.as_(actors.officer)
    before = AuditEvent.objects.count()
    status, answer = officer.post(f"/api/v1/partners/{code}/depth", {"depth": "strategic"})
    assert status == 422 and "reason" in answer["detail"]
    assert not DepthDecision.objects.exists() and AuditEvent.objects.count() == before
    status, answer = officer.post(f"/api/v1/partners/{code}/depth", {"depth": "important"})
    assert (status, answer["depth"]) == (201, "important")
    # an approved strategic agreement in force: now the suggestion is strategic
    agreement = draft_agreement(
        code, kind="strategic", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2028, 12, 31),
        actor=actors.officer,
    )  # fmt: skip
    review_agreement(agreement.pk, note="", actor=actors.legal)
    approve_agreement(agreement.pk, actor=actors.gm)
    status, answer = officer.post(
        f"/api/v1/partners/{code}/depth", {"depth": "strategic", "reason": "战略协议已生效"}
    )
    assert (status, answer["suggested"]) == (201, "strategic")
    history = list(
        DepthDecision.objects.filter(partner=actors.alpha).values_list("depth", flat=True)
    )
    assert history == ["strategic", "important"]
    assert (
        api_client.as_(actors.pm).post(
            f"/api/v1/partners/{code}/depth", {"depth": "ordinary", "reason": "x"}
        )[0]
        == 403
    )
    assert api_client.as_(actors.alice).get(f"/api/v1/partners/{code}/depth")[0] == 403
