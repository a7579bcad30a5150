"""The violations and exit endpoints (SPEC §9): amounts as strings, 201 then 200 on a repeated
claim, 404/403 by visibility and role, 422 with nothing changed."""

from __future__ import annotations

import pytest

from huoban import clock
from huoban.commissions.models import LedgerEntry
from huoban.partners.models import CompanyViolation, Partner, PartnerViolation
from tests.projects.helpers import TODAY, ensure_policy_v1, sign


@pytest.fixture(autouse=True)
def _today(db):
    ensure_policy_v1()
    with clock.frozen(TODAY):
        yield


def test_it_reports_confirms_and_claims_through_the_api(actors, api_client):
    project = sign(actors.officer, actors.alpha, "123456.78")
    code = actors.alpha.code
    status, report = api_client.as_(actors.alice).post(
        f"partners/{code}/company-violations",
        {"project_id": project.pk, "kind": "contact_without_consent", "description": "未经同意"},
    )
    assert status == 201, report
    assert (report["status"], report["partner_code"]) == ("reported", code)
    vid = report["id"]

    status, body = api_client.as_(actors.alice).post(f"company-violations/{vid}/claim")
    assert status == 409, body
    status, body = api_client.as_(actors.bob).post(
        f"company-violations/{vid}/decision", {"confirm": True, "note": "属实"}
    )
    assert status == 404  # beta cannot see alpha's report (R-VIS-4)
    status, body = api_client.as_(actors.officer).post(
        f"company-violations/{vid}/decision", {"confirm": True, "note": "属实"}
    )
    assert status == 403
    status, decided = api_client.as_(actors.admin).post(
        f"company-violations/{vid}/decision", {"confirm": True, "note": "核实属实"}
    )
    assert (status, decided["status"], decided["decision_note"]) == (200, "confirmed", "核实属实")

    status, entry = api_client.as_(actors.alice).post(f"company-violations/{vid}/claim")
    assert status == 201, entry
    # 30% × 123,456.78 = 37,037.034 → 37,037.03
    assert (entry["kind"], entry["amount"], entry["basis"], entry["rate"]) == (
        "liquidated_damages",
        "37037.03",
        "123456.78",
        "0.30",
    )
    assert entry["due_on"] == "2026-07-03"
    status, again = api_client.as_(actors.alice).post(f"company-violations/{vid}/claim")
    assert (status, again["id"]) == (200, entry["id"])
    status, body = api_client.as_(actors.finance).post(f"company-violations/{vid}/claim")
    assert status == 403
    assert LedgerEntry.objects.filter(kind="liquidated_damages").count() == 1

    status, ledger = api_client.as_(actors.alice).get(f"partners/{code}/ledger")
    assert status == 200
    assert [e["amount"] for e in ledger["items"]] == ["37037.03"]


def test_an_officer_records_a_partner_violation(actors, api_client):
    code = actors.alpha.code
    body = {"kind": "confidentiality", "occurred_on": "2026-06-01", "description": "泄露报价"}
    status, answer = api_client.as_(actors.alice).post(f"partners/{code}/violations", body)
    assert status == 403
    status, answer = api_client.as_(actors.bob).post(f"partners/{code}/violations", body)
    assert status == 404
    status, answer = api_client.as_(actors.officer).post(f"partners/{code}/violations", body)
    assert status == 201, answer
    assert (answer["kind"], answer["occurred_on"], answer["white_label"]) == (
        "confidentiality",
        "2026-06-01",
        False,
    )
    assert PartnerViolation.objects.count() == 1


def test_exit_through_the_api(actors, api_client):
    project = sign(actors.officer, actors.alpha)
    code = actors.alpha.code
    status, answer = api_client.as_(actors.officer).post(
        f"partners/{code}/exit", {"kind": "partner_initiated", "on": "2026-07-31", "note": "书面"}
    )
    assert status == 200, answer
    # Notice recorded today 2026-06-30, exit 2026-07-31: 31 days, no warning.
    assert answer["notice_on"] == "2026-06-30"
    assert (answer["notice_days"], answer["warnings"]) == (31, [])
    assert [p["id"] for p in answer["in_flight"]] == [project.pk]
    assert answer["in_flight"][0]["contract_amount"] == "300000.00"
    status, answer = api_client.as_(actors.admin).post(
        f"partners/{code}/exit", {"kind": "mutual", "on": "2026-06-30"}
    )
    assert status == 409


def test_bad_exit_input_changes_nothing(actors, api_client):
    code = actors.alpha.code
    status, answer = api_client.as_(actors.admin).post(
        f"partners/{code}/exit",
        {"kind": "company_violation", "on": "2026-07-01", "notice_on": "2026-06-01"},
    )
    assert status == 422
    assert set(answer["detail"]) == {"on", "notice_on"}
    assert Partner.objects.get(pk=actors.alpha.pk).status == "active"
    assert not CompanyViolation.objects.exists()


def test_staff_may_not_report_for_a_partner(actors, api_client):
    project = sign(actors.officer, actors.alpha)
    status, _ = api_client.as_(actors.officer).post(
        f"partners/{actors.alpha.code}/company-violations",
        {"project_id": project.pk, "kind": "bypass", "description": "x"},
    )
    assert status == 403
    status, _ = api_client.as_(actors.bob).post(
        f"partners/{actors.alpha.code}/company-violations",
        {"project_id": project.pk, "kind": "bypass", "description": "x"},
    )
    assert status == 404
    assert not CompanyViolation.objects.exists()
