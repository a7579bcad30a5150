"""A referral agreement pins a commission policy version (R-POL-2, R-AGR-1 "scheme: the referral
policy version"; issue #15): only once approved, from its start date; the wrong kind or an
unknown version is a field error that changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from huoban.agreements.models import Agreement
from huoban.agreements.services import approve_agreement, draft_agreement, review_agreement
from huoban.audit.models import AuditEvent
from huoban.errors import ValidationFailed
from huoban.terms.models import PartnerAgreement, PolicyVersion, parameters_of
from huoban.terms.rules import POLICY_V1
from huoban.terms.services import policy_for
from tests.portal.helpers import client_for
from tests.projects.helpers import ensure_policy_v1, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy_v1(db):
    return ensure_policy_v1()


def _v2() -> PolicyVersion:
    params = parameters_of(POLICY_V1)
    params["tier_uplift"]["deep"] = "0.01"
    return PolicyVersion.objects.create(
        version=2,
        effective_from=dt.date(2026, 3, 1),
        parameters=params,
        created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )


def _referral(actors, scheme, kind="referral"):
    return draft_agreement(
        actors.alpha.code,
        kind=kind,
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2027, 5, 31),
        scheme=scheme,
        actor=actors.officer,
    )


def test_the_pinned_version_applies_from_the_start_once_approved(actors, policy_v1):
    v2 = _v2()
    agreement = _referral(actors, {"kind": "policy", "version": 1})
    review_agreement(agreement.pk, note="", actor=actors.legal)
    # not yet approved: nothing pinned, a project signed in August uses v2
    assert policy_for(dt.date(2026, 8, 1), actors.alpha) == v2
    approve_agreement(agreement.pk, actor=actors.gm)
    pin = PartnerAgreement.objects.get(partner=actors.alpha)
    assert (pin.policy_version, pin.signed_on) == (policy_v1, dt.date(2026, 6, 1))
    assert pin.note == f"{agreement.number} v1"
    assert policy_for(dt.date(2026, 8, 1), actors.alpha) == policy_v1
    assert policy_for(dt.date(2026, 5, 31), actors.alpha) == v2  # before its start
    assert policy_for(dt.date(2026, 8, 1), actors.beta) == v2  # another partner
    project = sign(actors.officer, actors.alpha, signed_on=dt.date(2026, 8, 1))
    assert project.policy_version == policy_v1
    event = AuditEvent.objects.get(action="agreement.approve")
    assert event.after["pinned_policy_version"] == 1
    html = client_for(actors.finance).get(f"/console/agreements/{agreement.pk}/").content
    assert "锁定 v1" in html.decode()


def test_a_pin_on_the_wrong_kind_or_an_unknown_version_changes_nothing(actors, policy_v1):
    for kind, scheme, field in (
        ("co_delivery", {"kind": "policy", "version": 1}, "scheme.kind"),
        ("referral", {"kind": "policy", "version": 99}, "scheme.version"),
        ("referral", {"kind": "policy", "version": "1"}, "scheme.version"),
    ):
        with pytest.raises(ValidationFailed) as raised:
            _referral(actors, scheme, kind=kind)
        assert field in raised.value.errors
    assert not Agreement.objects.exists()


def test_the_draft_form_pins_a_version(actors, policy_v1):
    officer = client_for(actors.officer)
    body = {
        "partner_code": actors.alpha.code,
        "kind": "co_delivery",
        "starts_on": "2026-06-01",
        "ends_on": "2027-05-31",
        "notice_months": "6",
        "penalty_rate": "0.20",
        "ip_project": "pending",
        "ip_platform": "pending",
        "ip_customisation": "pending",
        "policy_version": "1",
    }
    response = officer.post("/console/agreements/new/", body)
    assert response.status_code == 422 and "只有引荐协议可以锁定" in response.content.decode()
    assert not Agreement.objects.exists()
    assert officer.post("/console/agreements/new/", {**body, "kind": "referral"}).status_code == 302
    assert Agreement.objects.get().scheme == {"kind": "policy", "version": 1}
