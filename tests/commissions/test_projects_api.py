"""Projects, payments and acceptance through the HTTP API (ARCHITECTURE §6; SPEC §5, R-LED-4).

Every figure is computed by hand in the test. "Today" is 2026-06-30.
"""

from __future__ import annotations

import pytest

from huoban import clock
from huoban.audit.models import AuditEvent
from huoban.commissions.models import LedgerEntry
from huoban.projects.models import CustomerPayment, Milestone, MilestoneUpdate, Project
from tests.projects.helpers import TODAY, ensure_policy_v1, make_customer, project_body, sign


@pytest.fixture(autouse=True)
def _today(db):
    ensure_policy_v1()
    with clock.frozen(TODAY):
        yield


def _sign(api_client, actors, **overrides):
    customer = make_customer(actors.alpha)
    status, body = api_client.as_(actors.officer).post(
        "projects", project_body(customer.pk, **overrides)
    )
    assert status == 201, body
    return body


def test_it_runs_the_worked_example_end_to_end(api_client, actors):
    # Given a 300,000 `new` project, not high-margin, for a light partner:
    # ladder 200,000 < A ≤ 300,000 → 22%; + 0 + 0 + 0 = 22% ≤ cap 30%; T = 22% × 300,000.
    created = _sign(api_client, actors)
    assert created["partner_code"] == actors.alpha.code
    assert created["rate"] == "0.22"
    assert created["commission_total"] == "66000.00"
    assert created["policy_version"] == 1
    pid = created["id"]

    # First payment 100,000 on Thu 2026-01-15 → confirmation C = 8% × 300,000 = 24,000.00,
    # due 3 business days later: Fri 16, Mon 19, Tue 20 January.
    status, body = api_client.as_(actors.finance).post(
        f"projects/{pid}/payments",
        {"amount": "100000.00", "received_on": "2026-01-15", "reference": "HK-001"},
    )
    assert status == 201, body
    assert body["amount"] == "100000.00"
    [earned] = [c for c in body["commission"] if c["amount"]]
    assert (earned["kind"], earned["amount"]) == ("confirmation", "24000.00")

    # 150,000 more on 2026-03-02, before acceptance: still C → nothing new.
    status, body = api_client.as_(actors.finance).post(
        f"projects/{pid}/payments",
        {"amount": "150000.00", "received_on": "2026-03-02", "reference": "HK-002"},
    )
    assert status == 201
    assert [c["amount"] for c in body["commission"]] == [None]

    # Acceptance on Fri 2026-04-10 with R = 250,000: r × R = 55,000 > C; min(66,000, 55,000)
    # = 55,000 earned, 24,000 credited → settlement 31,000.00.
    status, body = api_client.as_(actors.pm).post(
        f"projects/{pid}/acceptance", {"accepted_on": "2026-04-10"}
    )
    assert status == 201, body
    assert body["status"] == "accepted"

    # Last 50,000 on 2026-05-11: R = 300,000 → min(T, 66,000) = 66,000; 66,000 − 55,000
    # = 11,000.00. Together 31,000 + 11,000 = 42,000.00 after the confirmation fee.
    status, body = api_client.as_(actors.finance).post(
        f"projects/{pid}/payments",
        {"amount": "50000.00", "received_on": "2026-05-11", "reference": "HK-003"},
    )
    assert status == 201

    entries = list(LedgerEntry.objects.filter(project_id=pid).order_by("id"))
    assert [(e.kind, str(e.amount)) for e in entries] == [
        ("confirmation", "24000.00"),
        ("settlement", "31000.00"),
        ("settlement", "11000.00"),
    ]
    assert [e.due_on.isoformat() for e in entries] == ["2026-01-20", "2026-04-15", "2026-05-14"]

    status, project = api_client.as_(actors.finance).get(f"projects/{pid}")
    assert status == 200
    assert project["received"] == "300000.00"
    assert project["commission_earned"] == "66000.00"
    assert [m["stage"] for m in project["milestones"]] == [
        "requirements",
        "solution",
        "development",
        "deployment",
        "acceptance",
        "maintenance",
    ]

    status, ledger = api_client.as_(actors.alice).get(f"partners/{actors.alpha.code}/ledger")
    assert status == 200
    assert [i["amount"] for i in ledger["items"]] == ["24000.00", "31000.00", "11000.00"]
    assert ledger["items"][0]["rate"] == "0.08"
    assert ledger["items"][1]["rate"] == "0.22"
    assert ledger["totals"] == {"earned": "66000.00", "paid": "0.00", "outstanding": "66000.00"}
    assert ledger["chain_head"] == entries[-1].hash


def test_the_same_payment_twice_records_one_payment_and_one_set_of_entries(api_client, actors):
    pid = _sign(api_client, actors)["id"]
    payment = {"amount": "100000.00", "received_on": "2026-01-15", "reference": "HK-001"}
    first = api_client.as_(actors.finance).post(f"projects/{pid}/payments", payment)
    again = api_client.as_(actors.finance).post(f"projects/{pid}/payments", payment)
    assert (first[0], again[0]) == (201, 200)
    assert again[1]["id"] == first[1]["id"]
    assert CustomerPayment.objects.filter(project_id=pid).count() == 1
    # One confirmation of 8% × 300,000 = 24,000.00, not two.
    assert [str(e.amount) for e in LedgerEntry.objects.filter(project_id=pid)] == ["24000.00"]


def test_the_same_reference_with_another_amount_is_refused_and_changes_nothing(api_client, actors):
    pid = _sign(api_client, actors)["id"]
    api_client.as_(actors.finance).post(
        f"projects/{pid}/payments",
        {"amount": "100000.00", "received_on": "2026-01-15", "reference": "HK-001"},
    )
    entries, audits = LedgerEntry.objects.count(), AuditEvent.objects.count()
    status, body = api_client.as_(actors.finance).post(
        f"projects/{pid}/payments",
        {"amount": "120000.00", "received_on": "2026-01-15", "reference": "HK-001"},
    )
    assert status == 409, body
    assert CustomerPayment.objects.get(project_id=pid).amount == 100000
    assert (LedgerEntry.objects.count(), AuditEvent.objects.count()) == (entries, audits)


def test_partner_beta_sees_nothing_of_alphas_project_or_ledger(api_client, actors):
    pid = _sign(api_client, actors)["id"]
    api_client.as_(actors.finance).post(
        f"projects/{pid}/payments",
        {"amount": "100000.00", "received_on": "2026-01-15", "reference": "HK-001"},
    )
    assert api_client.as_(actors.bob).get(f"projects/{pid}")[0] == 404
    assert api_client.as_(actors.bob).get(f"partners/{actors.alpha.code}/ledger")[0] == 404
    assert (
        api_client.as_(actors.bob).post(
            f"projects/{pid}/acceptance", {"accepted_on": "2026-04-10"}
        )[0]
        == 404
    )
    # alpha's own user sees its project and its commission.
    status, body = api_client.as_(actors.alice).get(f"projects/{pid}")
    assert status == 200
    assert body["commission_earned"] == "24000.00"


def test_staff_without_finance_do_not_see_commission_figures(api_client, actors):
    pid = _sign(api_client, actors)["id"]
    status, body = api_client.as_(actors.pm).get(f"projects/{pid}")
    assert status == 200
    assert body["commission_earned"] is None and body["rate"] is None
    assert api_client.as_(actors.officer).get(f"partners/{actors.alpha.code}/ledger")[0] == 403


def test_it_signs_only_for_an_attributed_customer_with_field_messages(api_client, actors):
    loose = make_customer(None, "太原无主科技有限公司")
    before = Project.objects.count()
    status, body = api_client.as_(actors.officer).post("projects", project_body(loose.pk))
    assert status == 422
    assert "customer_id" in body["detail"]
    status, body = api_client.as_(actors.officer).post(
        "projects",
        project_body(loose.pk, kind="old", contract_amount="-5", signed_on="someday", title=""),
    )
    assert status == 422
    assert {"kind", "contract_amount", "signed_on", "title"} <= set(body["detail"])
    status, body = api_client.as_(actors.officer).post(
        "projects", project_body(loose.pk, high_margin=True)
    )
    assert status == 422
    assert Project.objects.count() == before
    assert api_client.as_(actors.finance).post("projects", project_body(loose.pk))[0] == 403


def test_bad_input_on_each_write_endpoint_is_422_and_changes_nothing(api_client, actors):
    pid = _sign(api_client, actors)["id"]
    counts = (CustomerPayment.objects.count(), LedgerEntry.objects.count())
    for body in (
        {"amount": "0", "received_on": "2026-01-15", "reference": "X"},
        {"amount": "10.001", "received_on": "2026-01-15", "reference": "X"},
        {"amount": "10.00", "received_on": "2026-13-01", "reference": "X"},
        {"amount": "10.00", "received_on": "2026-07-15", "reference": "X"},  # future
        {"amount": "10.00", "received_on": "2026-01-15"},
        {"amount": "10.00", "received_on": "2026-01-15", "reference": "X", "kind": "refund"},
        {"amount": "10.00", "received_on": "2026-01-15", "reference": "X", "refund_of": 1},
    ):
        status, answer = api_client.as_(actors.finance).post(f"projects/{pid}/payments", body)
        assert status == 422, (body, answer)
        assert isinstance(answer["detail"], dict) and answer["detail"]
    assert (CustomerPayment.objects.count(), LedgerEntry.objects.count()) == counts

    status, answer = api_client.as_(actors.pm).post(
        f"projects/{pid}/acceptance", {"accepted_on": "2026-01-04"}
    )
    assert status == 422 and "accepted_on" in answer["detail"]
    status, answer = api_client.as_(actors.pm).post(f"projects/{pid}/acceptance", {})
    assert status == 422 and "accepted_on" in answer["detail"]
    status, answer = api_client.as_(actors.pm).post(
        f"projects/{pid}/cancellation", {"cancelled_on": "2026-02-01"}
    )
    assert status == 422 and "reason" in answer["detail"]
    status, answer = api_client.as_(actors.pm).post(
        f"projects/{pid}/amendment", {"contract_amount": "abc"}
    )
    assert status == 422 and "contract_amount" in answer["detail"]
    status, answer = api_client.as_(actors.pm).post(
        f"projects/{pid}/milestones/solution", {"status": "sleeping"}
    )
    assert status == 422 and "status" in answer["detail"]
    status, answer = api_client.as_(actors.pm).post(
        f"projects/{pid}/milestones/launch", {"status": "done"}
    )
    assert status == 422 and "stage" in answer["detail"]
    project = Project.objects.get(pk=pid)
    assert (project.status, project.accepted_on, project.contract_amount) == (
        "signed",
        None,
        300000,
    )
    assert not MilestoneUpdate.objects.exists()


def test_milestone_updates_are_kept_in_history_and_visible_to_the_partner(api_client, actors):
    pid = _sign(api_client, actors)["id"]
    status, body = api_client.as_(actors.pm).post(
        f"projects/{pid}/milestones/requirements",
        {"planned_on": "2026-01-20", "status": "in_progress", "note": "需求调研中"},
    )
    assert status == 200, body
    api_client.as_(actors.pm).post(
        f"projects/{pid}/milestones/requirements", {"actual_on": "2026-01-22", "status": "done"}
    )
    milestone = Milestone.objects.get(project_id=pid, stage="requirements")
    assert [u.changes["status"] for u in milestone.updates.order_by("id")] == [
        ["not_started", "in_progress"],
        ["in_progress", "done"],
    ]
    status, body = api_client.as_(actors.alice).get(f"projects/{pid}")
    first = body["milestones"][0]
    assert (first["status"], first["actual_on"], first["note"]) == (
        "done",
        "2026-01-22",
        "需求调研中",
    )


def test_the_contract_amount_is_amended_before_the_first_payment_only(api_client, actors):
    pid = _sign(api_client, actors)["id"]
    # 450,000: ladder 300,000 < A ≤ 500,000 → 28%; T = 28% × 450,000 = 126,000.00.
    status, body = api_client.as_(actors.pm).post(
        f"projects/{pid}/amendment", {"contract_amount": "450000.00", "reason": "合同笔误更正"}
    )
    assert status == 200, body
    project = Project.objects.get(pk=pid)
    assert (str(project.rate), str(project.commission_total)) == ("0.2800", "126000.00")
    assert AuditEvent.objects.filter(action="project.amend", object_id=str(pid)).exists()
    api_client.as_(actors.finance).post(
        f"projects/{pid}/payments",
        {"amount": "100000.00", "received_on": "2026-01-15", "reference": "HK-001"},
    )
    status, body = api_client.as_(actors.pm).post(
        f"projects/{pid}/amendment", {"contract_amount": "500000.00", "reason": "再改"}
    )
    assert status == 409
    assert Project.objects.get(pk=pid).contract_amount == 450000


def test_acceptance_twice_on_the_same_day_is_idempotent_and_another_day_conflicts(
    api_client, actors
):
    pid = _sign(api_client, actors)["id"]
    assert (
        api_client.as_(actors.pm).post(f"projects/{pid}/acceptance", {"accepted_on": "2026-04-10"})[
            0
        ]
        == 201
    )
    assert (
        api_client.as_(actors.pm).post(f"projects/{pid}/acceptance", {"accepted_on": "2026-04-10"})[
            0
        ]
        == 200
    )
    assert (
        api_client.as_(actors.pm).post(f"projects/{pid}/acceptance", {"accepted_on": "2026-04-11"})[
            0
        ]
        == 409
    )
    assert (
        api_client.as_(actors.finance).post(
            f"projects/{pid}/acceptance", {"accepted_on": "2026-04-10"}
        )[0]
        == 403
    )


def test_high_margin_renewal_is_capped_at_30_percent(api_client, actors):
    # 600,000 renewal, high-margin: 30% + 2% + 5% + 0% = 37% > cap 30% → 30%;
    # T = 30% × 600,000 = 180,000.00.
    body = _sign(
        api_client,
        actors,
        contract_amount="600000.00",
        kind="renewal",
        high_margin=True,
        high_margin_category="ai_custom",
    )
    assert (body["rate"], body["commission_total"]) == ("0.30", "180000.00")
    assert sign  # the service-level builder is exercised in tests/projects


def test_a_refund_is_recorded_through_the_api_and_only_finance_records(api_client, actors):
    pid = _sign(api_client, actors)["id"]
    payment = {"amount": "100000.00", "received_on": "2026-01-15", "reference": "HK-001"}
    assert api_client.as_(actors.alice).post(f"projects/{pid}/payments", payment)[0] == 403
    status, first = api_client.as_(actors.finance).post(f"projects/{pid}/payments", payment)
    assert status == 201
    refund = {
        "amount": "40000.00",
        "received_on": "2026-02-01",
        "reference": "TK-001",
        "kind": "refund",
        "refund_of": "HK-001",
    }
    status, body = api_client.as_(actors.finance).post(f"projects/{pid}/payments", refund)
    assert status == 201, body
    assert (body["kind"], body["refund_of"]) == ("refund", first["id"])
    # Net received 100,000 − 40,000 = 60,000; the 24,000.00 confirmation stays.
    status, project = api_client.as_(actors.finance).get(f"projects/{pid}")
    assert (project["received"], project["commission_earned"]) == ("60000.00", "24000.00")
    # 40,000 + 60,000.01 would return more than the 100,000 paid.
    too_much = {**refund, "reference": "TK-002", "amount": "60000.01"}
    status, body = api_client.as_(actors.finance).post(f"projects/{pid}/payments", too_much)
    assert status == 422 and "amount" in body["detail"]
    assert CustomerPayment.objects.filter(project_id=pid).count() == 2
