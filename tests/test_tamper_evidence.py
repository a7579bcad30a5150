"""Issue #10 findings 6 and 7: the evidence tables refuse UPDATE and DELETE in the database
itself, and the verifiers catch what a database owner does after lifting those triggers — a
changed workflow column or payout (``huoban ledger verify``), a changed, removed or appended
audit event or a truncated tail (``huoban audit verify``). On SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from huoban import clock
from huoban.audit.chain import link_hash
from huoban.audit.models import AuditEvent, ChainHead
from huoban.audit.services import verify_audit_log
from huoban.cli import main as huoban
from huoban.commissions import ledger
from huoban.commissions.models import EntryStatus, LedgerEntry, Payout
from huoban.customers.attribution import transfer_attribution
from huoban.customers.models import Attribution
from tests.customers.helpers import owned_customer
from tests.projects.helpers import TODAY, ensure_policy_v1, full_example
from tests.tampering import tampering

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(db):
    ensure_policy_v1()
    with clock.frozen(TODAY):
        yield


def _refused(sql: str, params: list) -> None:
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def paid(actors):
    """The full example with its first entry (24,000.00) approved and paid under BANK-1."""
    full_example(actors)
    first = LedgerEntry.objects.order_by("id").first()
    ledger.approve_entry(first.pk, actor=actors.finance)
    payout, _ = ledger.create_payout(
        actors.alpha,
        actor=actors.finance,
        bank_reference="BANK-1",
        paid_on=TODAY,
        entry_ids=[first.pk],
    )
    assert all(v.result.ok for v in ledger.verify_ledger())
    return first, payout


# --- the triggers ----------------------------------------------------------------------------


def test_the_database_refuses_to_change_or_remove_ledger_audit_and_payout_rows(actors, paid):
    entry, payout = paid
    event = AuditEvent.objects.order_by("id").last()
    _refused("UPDATE commissions_ledgerentry SET amount = %s WHERE id = %s", ["1.00", entry.pk])
    _refused("UPDATE commissions_ledgerentry SET hash = %s WHERE id = %s", ["0" * 64, entry.pk])
    _refused("DELETE FROM commissions_ledgerentry WHERE id = %s", [entry.pk])
    _refused("UPDATE commissions_payout SET total = %s WHERE id = %s", ["1.00", payout.pk])
    _refused("DELETE FROM commissions_payout WHERE id = %s", [payout.pk])
    _refused("UPDATE audit_auditevent SET actor_name = %s WHERE id = %s", ["x", event.pk])
    _refused("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    # nothing moved
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("24000.00")
    assert Payout.objects.get(pk=payout.pk).total == Decimal("24000.00")
    assert all(v.result.ok for v in ledger.verify_ledger()) and verify_audit_log().ok


def test_the_workflow_columns_still_move_through_the_services(actors, paid):
    entry, payout = paid
    entry.refresh_from_db()
    assert (entry.status, entry.payout_id) == (EntryStatus.PAID, payout.pk)


def test_an_attribution_moves_only_with_its_recorded_transfer(actors):
    customer = owned_customer(actors.alpha)
    attribution = Attribution.objects.get(customer=customer)
    _refused(
        "UPDATE customers_attribution SET partner_id = %s WHERE id = %s",
        [actors.beta.pk, attribution.pk],
    )
    assert Attribution.objects.get(pk=attribution.pk).partner_id == actors.alpha.pk
    transfer_attribution(customer, actors.beta, "伙伴书面同意转移", actor=actors.admin)
    assert Attribution.objects.get(pk=attribution.pk).partner_id == actors.beta.pk


def test_the_guards_come_back_after_every_migrate(actors):
    from huoban.audit import guards

    guards.drop(connection)
    guards.install_after_migrate(sender=None)
    _refused("DELETE FROM audit_auditevent", [])


# --- ledger verify: the workflow columns and payouts (finding 6) ------------------------------


def _bad(capsys) -> str:
    capsys.readouterr()
    assert huoban(["ledger", "verify"]) == 1
    return capsys.readouterr().err


def test_a_pending_adjustment_made_payable_in_the_database_is_found(actors, paid, capsys):
    # given a pending +1,000,000.00 adjustment (it counts only once finance and admin approve)
    adjustment = ledger.propose_adjustment(
        actors.alpha, actor=actors.finance, reason="测试", amount=Decimal("1000000.00")
    )
    assert huoban(["ledger", "verify"]) == 0
    # when someone makes it effective and approved behind the services
    with tampering() as cursor:
        cursor.execute(
            "UPDATE commissions_ledgerentry SET status = 'approved', effective = %s WHERE id = %s",
            [True, adjustment.pk],
        )
    # then verify names it
    [result] = ledger.verify_ledger(actors.alpha)
    assert (result.result.ok, result.result.first_bad) == (False, adjustment.pk)
    assert f"entry #{adjustment.pk}" in _bad(capsys)


def test_a_paid_entry_made_payable_again_is_found(actors, paid):
    entry, _payout = paid
    with tampering() as cursor:
        cursor.execute(
            "UPDATE commissions_ledgerentry SET status = 'approved', payout_id = NULL "
            "WHERE id = %s",
            [entry.pk],
        )
    [result] = ledger.verify_ledger(actors.alpha)
    assert (result.result.ok, result.result.first_bad) == (False, entry.pk)


def test_a_changed_payout_is_found(actors, paid, capsys):
    _entry, payout = paid
    with tampering() as cursor:
        cursor.execute(
            "UPDATE commissions_payout SET total = %s WHERE id = %s", ["1.00", payout.pk]
        )
    [result] = ledger.verify_ledger(actors.alpha)
    assert not result.result.ok and f"#{payout.pk}" in result.result.reason
    assert f"Payout #{payout.pk}" in _bad(capsys)


# --- audit verify (finding 7) ----------------------------------------------------------------


def test_audit_verify_says_ok(actors, paid, capsys):
    capsys.readouterr()
    assert huoban(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ok   audit log:")
    assert str(AuditEvent.objects.count()) in out


def test_a_changed_event_is_found(actors, paid, capsys):
    event = AuditEvent.objects.order_by("id")[3]
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditevent SET after = %s WHERE id = %s", ["{}", event.pk])
    result = verify_audit_log()
    assert (result.ok, result.first_bad) == (False, event.pk)
    capsys.readouterr()
    assert huoban(["audit", "verify"]) == 1
    assert f"event #{event.pk}" in capsys.readouterr().err


def test_a_truncated_tail_is_found_by_the_head(actors, paid):
    last_two = list(AuditEvent.objects.order_by("-id").values_list("id", flat=True)[:2])
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id IN (%s, %s)", last_two)
    result = verify_audit_log()
    assert not result.ok and "head" in result.reason


def test_a_deleted_event_in_the_middle_is_found(actors, paid):
    event = AuditEvent.objects.order_by("id")[2]
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    result = verify_audit_log()
    assert not result.ok and result.first_bad is not None


def test_an_appended_forged_event_is_found_by_the_head(actors, paid):
    # A well-formed event linked to the last one, written behind the services: the chain
    # itself holds, but the stored head does not know it.
    last = AuditEvent.objects.order_by("id").last()
    forged = AuditEvent(
        at=dt.datetime(2026, 6, 1, tzinfo=dt.UTC),
        actor_name="mallory",
        action="ledger.approve",
        object_type="commissions.ledgerentry",
        object_id="1",
        before=None,
        after={"status": "approved"},
        prev_hash=last.hash,
    )
    forged.hash = link_hash(last.hash, forged.chain_payload())
    forged.save()
    assert ChainHead.objects.get(key="audit").head_hash == last.hash
    result = verify_audit_log()
    assert not result.ok and "head" in result.reason
