"""The ledger (SPEC §7): entries, explanations, the hash chain and its verification, override,
tail, refunds, approvals, adjustments and payouts. Figures computed by hand in each test."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from huoban import clock
from huoban.audit.models import AppendOnlyError
from huoban.cli import main as huoban
from huoban.commissions import ledger
from huoban.commissions.models import LedgerEntry, Payout
from huoban.errors import ValidationFailed
from huoban.partners.models import Partner
from huoban.projects import services
from tests.factories import make_partner
from tests.projects.helpers import TODAY, ensure_policy_v1, full_example, pay, sign
from tests.tampering import tampering

D = dt.date


@pytest.fixture(autouse=True)
def _today(db):
    ensure_policy_v1()
    with clock.frozen(TODAY):
        yield


def _yuan(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def test_each_explanation_lets_a_reader_recompute_the_amount(actors):
    project = full_example(actors)
    entries = list(LedgerEntry.objects.filter(project=project).order_by("id"))
    assert len(entries) == 3
    for entry in entries:
        text = entry.explanation
        # "应得 55,000.00 − 已计 24,000.00 = 本次入账 31,000.00": earned − credited = amount.
        earned, credited, amount = re.search(
            r"应得 ([\d,.]+) − 已计 ([\d,.]+) = 本次入账 ([\d,.]+)", text
        ).groups()
        assert _yuan(earned) - _yuan(credited) == _yuan(amount) == entry.amount
        assert f"到期日 = {entry.earned_on} 后第 3 个工作日 = {entry.due_on}" in text
        assert "due = 3 business days after" in text
    assert "引荐确认金 C = 8% × 300,000.00 = 24,000.00" in entries[0].explanation
    # Acceptance with R = 250,000: 22% × 250,000 = 55,000.
    assert "22% × 250,000.00 = 55,000.00" in entries[1].explanation
    assert "22% × 300,000.00 = 66,000.00" in entries[2].explanation


def test_a_refund_creates_no_negative_entry(actors):
    project = sign(actors.officer, actors.alpha)
    pay(actors.finance, project, "300000.00", D(2026, 1, 15), "HK-001")
    services.accept_project(project.pk, actor=actors.pm, accepted_on=D(2026, 4, 10))
    # Accepted with R = A = 300,000: 24,000 at the payment + 42,000 at acceptance = T 66,000.
    assert sum(e.amount for e in LedgerEntry.objects.all()) == Decimal("66000.00")
    # Refund 100,000: R = 200,000, 22% × 200,000 = 44,000 < 66,000 credited → no entry,
    # never a negative one (clawback off).
    payment = project.payments.get()
    _refund, created, outcomes = pay(
        actors.finance,
        project,
        "100000.00",
        D(2026, 5, 6),
        "TK-001",
        kind="refund",
        refund_of=payment.pk,
    )
    assert created
    assert [o.entry for o in outcomes] == [None]
    assert "不入账（不追回）" in outcomes[0].explanation
    assert LedgerEntry.objects.count() == 2
    assert not LedgerEntry.objects.filter(amount__lt=0).exists()
    assert services.received(project) == Decimal("200000.00")
    assert ledger.earned_on_project(project) == Decimal("66000.00")
    # Refunds never exceed the payment they return: 100,000 + 200,000.01 > 300,000.
    with pytest.raises(ValidationFailed) as refused:
        pay(
            actors.finance,
            project,
            "200000.01",
            D(2026, 5, 7),
            "TK-002",
            kind="refund",
            refund_of="HK-001",
        )
    assert "amount" in refused.value.errors


def test_a_recruiter_earns_one_percent_of_what_its_recruit_receives(actors):
    gamma = make_partner("伽马信息技术有限公司", referrer_code=actors.alpha.code)
    project = sign(actors.officer, gamma, name="长治伽马客户有限公司")
    # 100,000 received: alpha earns 1% × min(100,000, 300,000) = 1,000.00.
    pay(actors.finance, project, "100000.00", D(2026, 1, 15), "HK-001")
    # 200,000 more: 1% × min(300,000, 300,000) = 3,000 − 1,000 credited = 2,000.00,
    # whether or not the project is accepted.
    pay(actors.finance, project, "200000.00", D(2026, 2, 2), "HK-002")
    overrides = LedgerEntry.objects.filter(partner=actors.alpha, kind="override").order_by("id")
    assert [str(e.amount) for e in overrides] == ["1000.00", "2000.00"]
    assert [str(e.basis) for e in overrides] == ["100000.00", "300000.00"]
    assert all(e.project_id == project.pk for e in overrides)
    # gamma itself earned its confirmation fee 8% × 300,000 = 24,000.00.
    assert [str(e.amount) for e in LedgerEntry.objects.filter(partner=gamma)] == ["24000.00"]
    assert all(v.result.ok for v in ledger.verify_ledger())


def test_after_the_tail_a_payment_earns_nothing_and_says_why(actors):
    project = sign(actors.officer, actors.alpha, signed_on=D(2022, 1, 5))
    Partner.objects.filter(pk=actors.alpha.pk).update(
        status="exited", exit_kind="partner_initiated", exited_on=D(2022, 6, 1)
    )
    project.partner.refresh_from_db()
    # Exit 2022-06-01 + 3 years = 2025-06-01; a payment on 2025-07-01 is after it.
    _p, created, outcomes = pay(actors.finance, project, "100000.00", D(2025, 7, 1), "HK-001")
    assert created and [o.entry for o in outcomes] == [None]
    assert "2025-07-01 > 2025-06-01 → 不计佣" in outcomes[0].explanation
    assert not LedgerEntry.objects.exists()


def test_recording_a_replay_twice_creates_nothing(actors):
    project = full_example(actors)
    count = LedgerEntry.objects.count()
    locked = services._lock(project.pk)
    ledger.record_project_events(locked)
    assert LedgerEntry.objects.count() == count


def test_tampering_with_an_entry_is_found_by_verify_the_api_and_the_command(
    actors, api_client, capsys
):
    full_example(actors)
    assert huoban(["ledger", "verify"]) == 0
    second = LedgerEntry.objects.order_by("id")[1]
    with tampering() as cursor:
        cursor.execute(
            "UPDATE commissions_ledgerentry SET amount = %s WHERE id = %s",
            ["41000.00", second.pk],
        )
    [result] = ledger.verify_ledger(actors.alpha)
    assert not result.result.ok
    assert result.result.first_bad == second.pk
    assert result.result.checked == 2

    status, body = api_client.as_(actors.finance).get(f"ledger/verify?partner={actors.alpha.code}")
    assert status == 200
    assert (body["ok"], body["first_bad"]) == (False, second.pk)

    capsys.readouterr()
    assert huoban(["ledger", "verify", "--partner", actors.alpha.code]) == 1
    assert f"entry #{second.pk}" in capsys.readouterr().err


def test_removing_the_last_entry_is_found_by_the_chain_head(actors):
    full_example(actors)
    last = LedgerEntry.objects.order_by("id").last()
    with tampering() as cursor:
        cursor.execute("DELETE FROM commissions_ledgerentry WHERE id = %s", [last.pk])
    [result] = ledger.verify_ledger(actors.alpha)
    assert not result.result.ok and "head" in result.result.reason


def test_hashed_fields_cannot_change_but_the_workflow_can(actors):
    full_example(actors)
    entry = LedgerEntry.objects.order_by("id").first()
    entry.amount = Decimal("1.00")
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.set_workflow(amount=Decimal("1.00"))
    with pytest.raises(AppendOnlyError):
        entry.delete()
    entry.refresh_from_db()
    ledger.approve_entry(entry.pk, actor=actors.finance)  # the workflow moves, audited
    assert LedgerEntry.objects.get(pk=entry.pk).status == "approved"
    assert all(v.result.ok for v in ledger.verify_ledger())
    # A workflow move without its audit event (behind the service) is caught (issue #10).
    LedgerEntry.objects.get(pk=entry.pk).set_workflow(status="paid")
    [result] = ledger.verify_ledger(actors.alpha)
    assert (result.result.ok, result.result.first_bad) == (False, entry.pk)


def test_verify_endpoint_is_for_finance_and_admin(actors, api_client):
    full_example(actors)
    status, body = api_client.as_(actors.admin).get("ledger/verify")
    assert status == 200
    assert (body["ok"], body["checked"]) == (True, 3)
    assert api_client.as_(actors.officer).get("ledger/verify")[0] == 403
    assert api_client.as_(actors.alice).get("ledger/verify")[0] == 403


def test_approved_entries_are_paid_in_full_under_a_bank_reference(actors, api_client):
    full_example(actors)
    ids = list(LedgerEntry.objects.order_by("id").values_list("id", flat=True))
    code = actors.alpha.code
    # Not approved yet: refused, nothing paid.
    status, body = api_client.as_(actors.finance).post(
        f"partners/{code}/payouts",
        {"bank_reference": "BANK-1", "paid_on": "2026-06-01", "entry_ids": ids[:2]},
    )
    assert status == 422 and "entry_ids" in body["detail"]
    for pk in ids[:2]:
        status, body = api_client.as_(actors.finance).post(f"ledger/entries/{pk}/approve")
        assert (status, body["status"]) == (200, "approved")
    assert api_client.as_(actors.pm).post(f"ledger/entries/{ids[2]}/approve")[0] == 403

    payout = {"bank_reference": "BANK-1", "paid_on": "2026-06-01", "entry_ids": ids[:2]}
    status, body = api_client.as_(actors.finance).post(f"partners/{code}/payouts", payout)
    # 24,000 + 31,000 = 55,000.00 paid, no fee of any kind.
    assert status == 201, body
    assert (body["total"], body["fee"]) == ("55000.00", "0.00")
    assert api_client.as_(actors.finance).post(f"partners/{code}/payouts", payout)[0] == 200
    other = {**payout, "entry_ids": ids[:1]}
    assert api_client.as_(actors.finance).post(f"partners/{code}/payouts", other)[0] == 409
    assert Payout.objects.count() == 1

    status, body = api_client.as_(actors.alice).get(f"partners/{code}/ledger?year=2026")
    assert [i["status"] for i in body["items"]] == ["paid", "paid", "pending"]
    # earned 66,000; paid 55,000; outstanding 11,000.
    assert body["totals"] == {"earned": "66000.00", "paid": "55000.00", "outstanding": "11000.00"}
    assert all(v.result.ok for v in ledger.verify_ledger())
    status, body = api_client.as_(actors.alice).get(f"partners/{code}/ledger?year=2025")
    assert body["items"] == [] and body["totals"]["earned"] == "0.00"


def test_an_adjustment_counts_only_after_finance_and_admin_approve(actors, api_client):
    full_example(actors)
    code = actors.alpha.code
    first = LedgerEntry.objects.order_by("id").first()
    status, body = api_client.as_(actors.finance).post(
        f"partners/{code}/adjustments", {"reason": "重复计提冲销", "reverses": first.pk}
    )
    assert status == 201, body
    # Reversing the 24,000.00 confirmation: −24,000.00, pending two approvals.
    assert (body["kind"], body["amount"], body["effective"]) == ("adjustment", "-24000.00", False)
    adjustment = body["id"]
    totals = api_client.as_(actors.finance).get(f"partners/{code}/ledger")[1]["totals"]
    assert totals["earned"] == "66000.00"

    status, body = api_client.as_(actors.finance).post(f"ledger/entries/{adjustment}/approve")
    assert (status, body["status"], body["effective"]) == (200, "pending", False)
    status, body = api_client.as_(actors.admin).post(f"ledger/entries/{adjustment}/approve")
    assert (status, body["status"], body["effective"]) == (200, "approved", True)
    # 66,000 − 24,000 = 42,000.00.
    totals = api_client.as_(actors.finance).get(f"partners/{code}/ledger")[1]["totals"]
    assert totals["earned"] == "42000.00"
    assert all(v.result.ok for v in ledger.verify_ledger())


def test_adjustment_input_is_checked(actors, api_client):
    full_example(actors)
    count = LedgerEntry.objects.count()
    code = actors.alpha.code
    for body in ({"reason": "", "amount": "10.00"}, {"reason": "x"}, {"reason": "x", "amount": 0}):
        status, answer = api_client.as_(actors.finance).post(f"partners/{code}/adjustments", body)
        assert status == 422, (body, answer)
    status, answer = api_client.as_(actors.finance).post(
        f"partners/{code}/payouts", {"bank_reference": "", "paid_on": "2026-06-01", "entry_ids": []}
    )
    assert status == 422
    assert LedgerEntry.objects.count() == count
    assert (
        api_client.as_(actors.bob).post(
            f"partners/{code}/adjustments", {"reason": "x", "amount": "1.00"}
        )[0]
        == 404
    )
