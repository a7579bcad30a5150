"""Commission policy versions in the console (issue #12, R-POL-1, R-POL-2)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from huoban import clock
from huoban.audit.models import AuditEvent
from huoban.console.policy_forms import PolicyForm
from huoban.errors import Conflict, Forbidden, ValidationFailed
from huoban.terms.models import PolicyVersion
from huoban.terms.versions import create_policy_version, parameter_errors, update_policy_version
from tests.projects.helpers import ensure_policy_v1, sign

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 6)


@pytest.fixture(autouse=True)
def _today(db):
    with clock.frozen(dt.datetime(2026, 12, 6, 2, tzinfo=dt.UTC)):
        yield


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form_data(v1: PolicyVersion, **over) -> dict:
    data = {"effective_from": "2027-01-01", **PolicyForm.initial_from(v1.parameters), **over}
    return {k: v for k, v in data.items() if v is not False}


def test_the_form_shows_v1_as_percentages_and_gives_it_back_unchanged(db):
    v1 = ensure_policy_v1()
    initial = PolicyForm.initial_from(v1.parameters)
    assert initial["ladder"].splitlines() == ["100000 15", "300000 22", "500000 28", "以上 30"]
    assert (initial["cap"], initial["confirmation_rate"]) == ("30", "8")
    form = PolicyForm(_form_data(v1))
    assert form.is_valid(), form.errors
    parameters = form.parameters(v1.parameters)
    assert PolicyVersion(version=9, effective_from=TODAY, parameters=parameters).to_policy() == (
        PolicyVersion(version=9, effective_from=TODAY, parameters=v1.parameters).to_policy()
    )


def test_an_admin_writes_v2_with_a_deep_tier_uplift(actors):
    v1 = ensure_policy_v1()
    admin = _client(actors.admin)
    page = admin.get("/console/policies/new/").content.decode()
    assert "以 v1 为底稿" in page and "300000 22" in page
    response = admin.post("/console/policies/new/", _form_data(v1, uplift_deep="2"))
    assert response.status_code == 302 and response["Location"] == "/console/policies/2/"
    v2 = PolicyVersion.objects.get(version=2)
    policy = v2.to_policy()
    assert policy.tier_uplift["deep"] == Decimal("0.02")
    assert policy.ladder == v1.to_policy().ladder and v2.effective_from == dt.date(2027, 1, 1)
    assert AuditEvent.objects.filter(action="policy.create").count() == 1


def test_bad_parameters_are_named_and_nothing_is_written(actors):
    v1 = ensure_policy_v1()
    admin = _client(actors.admin)
    before = (PolicyVersion.objects.count(), AuditEvent.objects.count())
    bad = _form_data(
        v1,
        effective_from="2026-12-06",
        ladder="300000 22\n100000 15\n以上 30",
        confirmation_rate="35",
    )
    response = admin.post("/console/policies/new/", bad)
    page = response.content.decode()
    assert response.status_code == 422
    assert (PolicyVersion.objects.count(), AuditEvent.objects.count()) == before
    assert "生效日须晚于今天" in page and "上限须逐档递增" in page
    assert "引荐确认金不能超过佣金上限" in page
    response = admin.post("/console/policies/new/", _form_data(v1, ladder="三十万 22"))
    assert response.status_code == 422 and "第 1 行应为" in response.content.decode()


def test_parameter_errors_by_hand():
    ok = {
        "ladder": [["100000", "0.15"], [None, "0.3"]],
        "renewal_bonus": "0.02",
        "high_margin_bonus": "0.05",
        "tier_uplift": {"light": "0", "deep": "0", "strategic": "0"},
        "cap": "0.3",
        "confirmation_rate": "0.08",
        "payout_business_days": 3,
        "annual_ladder": [["500000", "0.02"]],
        "override_rate": "0.01",
        "tail_years": 3,
        "liquidated_damages_rate": "0.3",
    }
    assert parameter_errors(ok) == {}
    assert set(parameter_errors({**ok, "ladder": [["100000", "0.15"]]})) == {"ladder"}
    assert set(parameter_errors({**ok, "cap": "1.5"})) == {"cap"}
    assert set(parameter_errors({**ok, "tail_years": True})) == {"tail_years"}


def test_a_used_version_is_read_only_and_an_unused_one_can_be_corrected(actors):
    v1 = ensure_policy_v1()
    sign(actors.officer, actors.alpha, "300000.00")  # v1 is now used
    admin = _client(actors.admin)
    page = admin.get("/console/policies/1/").content.decode()
    assert "已使用，只读" in page and 'id="policy-edit"' not in page
    before = v1.parameters
    response = admin.post("/console/policies/1/edit/", _form_data(v1, cap="40"))
    assert response.status_code == 409
    v1.refresh_from_db()
    assert v1.parameters == before
    with pytest.raises(Conflict):
        update_policy_version(
            v1.pk, effective_from=dt.date(2027, 1, 1), parameters=before, actor=actors.admin
        )

    v2 = create_policy_version(
        effective_from=dt.date(2027, 1, 1), parameters=v1.parameters, actor=actors.admin
    )
    assert 'id="policy-edit"' in admin.get("/console/policies/2/").content.decode()
    response = admin.post("/console/policies/2/edit/", _form_data(v1, effective_from="2027-02-01"))
    assert response.status_code == 302
    v2.refresh_from_db()
    assert v2.effective_from == dt.date(2027, 2, 1)


@pytest.mark.parametrize("who", ["officer", "presales", "pm", "finance"])
def test_other_staff_read_but_cannot_write(actors, who):
    v1 = ensure_policy_v1()
    client = _client(getattr(actors, who))
    page = client.get("/console/policies/").content.decode()
    assert "v1" in page and "/console/policies/new/" not in page
    assert client.get("/console/policies/new/").status_code == 403
    before = PolicyVersion.objects.count()
    assert client.post("/console/policies/new/", _form_data(v1)).status_code == 403
    assert PolicyVersion.objects.count() == before
    with pytest.raises(Forbidden):
        create_policy_version(
            effective_from=dt.date(2027, 1, 1),
            parameters=v1.parameters,
            actor=getattr(actors, who),
        )


def test_a_version_must_start_after_the_latest_one(actors):
    v1 = ensure_policy_v1()
    create_policy_version(
        effective_from=dt.date(2027, 3, 1), parameters=v1.parameters, actor=actors.admin
    )
    with pytest.raises(ValidationFailed) as e:
        create_policy_version(
            effective_from=dt.date(2027, 2, 1), parameters=v1.parameters, actor=actors.admin
        )
    assert set(e.value.errors) == {"effective_from"}
