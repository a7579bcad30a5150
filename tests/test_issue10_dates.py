"""Issue #10 finding 13: one business date range (clock.EARLIEST_DAY … LATEST_DAY) everywhere.

Today is frozen at 2026-06-30; the range is 2000-01-01 … 2100-12-31 and a planned date lies at
most ten years ahead (horizon 2036-06-30)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from huoban import clock
from huoban.errors import ValidationFailed
from huoban.leads.models import Lead
from huoban.projects import services
from huoban.projects.models import Milestone, MilestoneUpdate, Project
from tests.leads.helpers import api_lead_body, submit
from tests.projects.helpers import ensure_policy_v1, make_customer, sign

D = dt.date
TODAY = D(2026, 6, 30)


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(TODAY):
        yield


def test_the_range_and_the_horizon():
    assert (clock.EARLIEST_DAY, clock.LATEST_DAY) == (D(2000, 1, 1), D(2100, 12, 31))
    assert clock.horizon() == D(2036, 6, 30)
    assert clock.day_errors(a=D(1999, 12, 31), b=D(2000, 1, 1), c=D(2101, 1, 1)).keys() == {
        "a",
        "c",
    }


def test_a_lead_expected_to_start_in_9999_is_refused(actors):
    before = Lead.objects.count()
    with pytest.raises(ValidationFailed) as e:
        submit(actors.alice, expected_start=D(9999, 1, 1))
    assert e.value.errors["expected_start"] == clock.DAY_RANGE_MESSAGE
    with pytest.raises(ValidationFailed) as far:
        submit(actors.alice, expected_start=D(2036, 7, 1))  # one day past the horizon
    assert "2036-06-30" in far.value.errors["expected_start"]
    assert Lead.objects.count() == before
    assert submit(actors.alice, expected_start=D(2036, 6, 30)).expected_start == D(2036, 6, 30)


def test_the_lead_api_refuses_a_start_in_9999(actors, api_client):
    body = api_lead_body(expected_start="9999-01-01")
    status, answer = api_client.as_(actors.alice).post("/api/v1/leads", body)
    assert status == 422, answer
    assert Lead.objects.count() == 0


def test_an_sla_report_with_start_after_end_is_refused(actors, api_client):
    path = "/api/v1/leads/sla-report?start=2026-06-01&end=2026-05-01"
    status, answer = api_client.as_(actors.officer).get(path)
    assert status == 422 and set(answer["detail"]) == {"end"}
    path = "/api/v1/leads/sla-report?start=2000-01-01&end=2026-06-30"  # 9,678 days > 3,660
    status, answer = api_client.as_(actors.officer).get(path)
    assert status == 422 and set(answer["detail"]) == {"end"}
    status, _ = api_client.as_(actors.officer).get(
        "/api/v1/leads/sla-report?start=2026-05-01&end=2026-06-01"
    )
    assert status == 200


def test_a_project_signed_before_2000_is_refused(actors):
    ensure_policy_v1()
    with pytest.raises(ValidationFailed) as e:
        services.create_project(
            actor=actors.pm,
            customer_id=make_customer(actors.alpha).pk,
            title="平台",
            kind="new",
            high_margin=False,
            contract_amount=Decimal("100000.00"),
            signed_on=D(1, 1, 1),
        )
    assert e.value.errors["signed_on"] == clock.DAY_RANGE_MESSAGE
    assert Project.objects.count() == 0


def test_a_milestone_planned_in_9999_is_refused(actors):
    project = sign(actors.pm, actors.alpha, signed_on=D(2026, 3, 10))
    with pytest.raises(ValidationFailed) as e:
        services.update_milestone(project.pk, "solution", actor=actors.pm, planned_on=D(9999, 1, 1))
    assert set(e.value.errors) == {"planned_on"}
    assert Milestone.objects.get(project=project, stage="solution").planned_on is None
    assert MilestoneUpdate.objects.count() == 0
