"""Policy versions (R-POL-1, R-POL-2): v1 from the seed, pinning, frozen once used."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from huoban.terms.models import PartnerAgreement, PolicyInUse, PolicyVersion, parameters_of
from huoban.terms.rules import POLICY_V1
from huoban.terms.services import policy_for

from .helpers import sign


def test_the_migration_writes_version_1_exactly_as_the_rules(policy_v1):
    assert policy_v1.to_policy() == POLICY_V1
    assert policy_v1.parameters["ladder"][1] == ["300000.00", "0.22"]
    assert policy_v1.used is False


def _v2(effective_from: dt.date) -> PolicyVersion:
    params = parameters_of(POLICY_V1)
    params["tier_uplift"]["deep"] = "0.01"
    return PolicyVersion.objects.create(
        version=2,
        effective_from=effective_from,
        parameters=params,
        created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )


def test_a_project_uses_the_latest_version_effective_on_its_signing_date(actors, policy_v1):
    v2 = _v2(dt.date(2026, 3, 1))
    assert policy_for(dt.date(2026, 2, 28), actors.alpha) == policy_v1
    assert policy_for(dt.date(2026, 3, 1), actors.alpha) == v2
    assert v2.to_policy().tier_uplift["deep"] == Decimal("0.01")


def test_an_agreement_pins_its_version(actors, policy_v1):
    _v2(dt.date(2026, 3, 1))
    PartnerAgreement.objects.create(
        partner=actors.alpha, policy_version=policy_v1, signed_on=dt.date(2025, 12, 1)
    )
    assert policy_for(dt.date(2026, 4, 1), actors.alpha) == policy_v1
    assert policy_for(dt.date(2026, 4, 1), actors.beta).version == 2
    project = sign(actors.officer, actors.alpha, signed_on=dt.date(2026, 4, 1))
    assert project.policy_version == policy_v1


def test_a_version_used_by_a_project_refuses_changes(actors, policy_v1):
    policy_v1.parameters["cap"] = "0.35"
    policy_v1.save()  # unused: an admin may still correct it
    policy_v1.parameters["cap"] = "0.30"
    policy_v1.save()
    sign(actors.officer, actors.alpha)
    policy_v1.refresh_from_db()
    assert policy_v1.used
    policy_v1.parameters["cap"] = "0.40"
    with pytest.raises(PolicyInUse):
        policy_v1.save()
    with pytest.raises(PolicyInUse):
        policy_v1.delete()
    policy_v1.refresh_from_db()
    assert policy_v1.parameters["cap"] == "0.30"
