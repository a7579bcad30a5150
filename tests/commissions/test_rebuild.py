"""The ledger rebuild (huoban ledger rebuild): the same entries as the live path, appended once.

The live path writes entries as events are recorded (R-LED-4, R-LED-5); the rebuild replays the
recorded events in bulk. These tests record a history through the services, wipe the ledger the
way a restore of projects without their ledger would leave it, rebuild, and compare every hashed
field with what the live path wrote — figures by hand in tests/commissions/test_ledger.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from huoban import clock
from huoban.audit.models import AuditEvent
from huoban.commissions import ledger
from huoban.commissions.models import LedgerEntry
from huoban.commissions.rebuild import rebuild_ledger
from huoban.partners.models import Partner
from huoban.projects import services
from tests.factories import make_partner
from tests.projects.helpers import TODAY, ensure_policy_v1, full_example, pay, sign
from tests.tampering import tampering

D = dt.date
FIELDS = (
    "partner_id", "kind", "project_id", "payment_id", "basis", "rate", "amount", "earned_on",
    "due_on", "due_estimated", "policy_version_id", "explanation", "event_key", "reason",
)  # fmt: skip


@pytest.fixture(autouse=True)
def _today(db):
    ensure_policy_v1()
    with clock.frozen(TODAY):
        yield


def _history(actors):
    """Payments, acceptance, a refund, a cancellation, a recruit's override and an exit tail."""
    full_example(actors)  # alpha: 24,000 + 31,000 + 11,000

    refunded = sign(actors.officer, actors.beta, name="太原东方电气有限公司")
    pay(actors.finance, refunded, "300000.00", D(2026, 1, 20), "HK-101")
    services.accept_project(refunded.pk, actor=actors.pm, accepted_on=D(2026, 2, 10))
    pay(
        actors.finance,
        refunded,
        "100000.00",
        D(2026, 3, 6),
        "RF-101",
        kind="refund",
        refund_of="HK-101",
    )

    cancelled = sign(actors.officer, actors.alpha, "120000.00", name="大同煤机有限公司")
    pay(actors.finance, cancelled, "20000.00", D(2026, 2, 3), "HK-201")
    services.cancel_project(
        cancelled.pk, actor=actors.officer, cancelled_on=D(2026, 3, 1), reason="客户预算取消"
    )

    gamma = make_partner("伽马信息技术有限公司", referrer_code=actors.alpha.code)
    recruited = sign(actors.officer, gamma, name="长治伽马客户有限公司")
    pay(actors.finance, recruited, "100000.00", D(2026, 1, 15), "HK-301")
    pay(actors.finance, recruited, "200000.00", D(2026, 2, 2), "HK-302")

    delta = make_partner("德尔塔咨询有限公司")
    old = sign(actors.officer, delta, name="阳泉老客户有限公司", signed_on=D(2022, 1, 5))
    Partner.objects.filter(pk=delta.pk).update(
        status="exited", exit_kind="partner_initiated", exited_on=D(2022, 6, 1)
    )
    old.partner.refresh_from_db()
    pay(actors.finance, old, "100000.00", D(2022, 3, 1), "HK-401")  # inside the tail
    pay(actors.finance, old, "100000.00", D(2025, 7, 1), "HK-402")  # after it: nothing


def _entries() -> list[tuple]:
    return list(LedgerEntry.objects.order_by("partner_id", "id").values_list(*FIELDS))


def _wipe_ledger() -> None:
    """What a restore of projects without their ledger leaves: no entries, no ledger heads."""
    with tampering() as cursor:
        cursor.execute("DELETE FROM commissions_ledgerentry")
        cursor.execute("DELETE FROM audit_chainhead WHERE key LIKE 'ledger:%%'")


def test_the_rebuild_writes_what_the_live_path_wrote(actors):
    _history(actors)
    live = _entries()
    # By hand: alpha 24,000 + 31,000 + 11,000 (full) + 9,600 (8% of 120,000 before the
    # cancellation) + overrides 1,000 + 2,000 of gamma's project; beta 24,000 + 42,000 and
    # nothing for the refund; gamma 24,000; delta 24,000 inside the tail, nothing after it.
    by_partner: dict[int, Decimal] = {}
    for row in live:
        by_partner[row[0]] = by_partner.get(row[0], Decimal(0)) + row[6]
    assert by_partner[actors.alpha.pk] == Decimal("78600.00")
    assert by_partner[actors.beta.pk] == Decimal("66000.00")
    assert len(live) == 10  # alpha 3 + 1 + 2 overrides, beta 2, gamma 1, delta 1

    _wipe_ledger()
    report = rebuild_ledger(workers=0)
    assert (report.entries, report.existing) == (10, 0)
    assert _entries() == live
    assert all(v.result.ok for v in ledger.verify_ledger())


def test_on_a_complete_ledger_the_rebuild_writes_nothing(actors):
    _history(actors)
    before = _entries()
    heads = sorted(ledger.verify_ledger(), key=lambda v: v.partner_code)
    report = rebuild_ledger(workers=0)
    assert (report.entries, report.existing) == (0, 10)
    assert _entries() == before
    assert sorted(ledger.verify_ledger(), key=lambda v: v.partner_code) == heads
    assert not AuditEvent.objects.filter(action="ledger.rebuild").exists()


def test_a_partly_missing_ledger_gets_exactly_the_missing_entries(actors):
    """The ledger behind the projects (e.g. restored from an older backup than the projects)."""
    full = sign(actors.officer, actors.alpha)
    pay(actors.finance, full, "100000.00", D(2026, 1, 15), "HK-001")
    pay(actors.finance, full, "150000.00", D(2026, 3, 2), "HK-002")
    services.accept_project(full.pk, actor=actors.pm, accepted_on=D(2026, 4, 10))
    live = _entries()
    assert [str(r[6]) for r in live] == ["24000.00", "31000.00"]
    first, last = LedgerEntry.objects.order_by("id")
    with tampering() as cursor:  # lose the acceptance entry, head back on the first
        cursor.execute("DELETE FROM commissions_ledgerentry WHERE id = %s", [last.pk])
        cursor.execute(
            "UPDATE audit_chainhead SET head_hash = %s, length = 1 WHERE key = %s",
            [first.hash, ledger.ledger_key(actors.alpha)],
        )
    report = rebuild_ledger(workers=0)
    assert (report.entries, report.existing) == (1, 1)
    assert _entries() == live
    # A later event goes through the live path onto the rebuilt chain.
    pay(actors.finance, full, "50000.00", D(2026, 5, 11), "HK-003")
    assert [str(r[6]) for r in _entries()] == ["24000.00", "31000.00", "11000.00"]
    assert all(v.result.ok for v in ledger.verify_ledger())


def test_worker_processes_write_the_same_ledger(actors):
    _history(actors)
    live = _entries()
    _wipe_ledger()
    report = rebuild_ledger(workers=2, chunk_size=2)  # several chunks in flight at once
    assert report.entries == 10 and report.chunks >= 3
    assert _entries() == live
    assert all(v.result.ok for v in ledger.verify_ledger())


def test_each_chunk_that_appends_is_audited_once(actors):
    _history(actors)
    _wipe_ledger()
    report = rebuild_ledger(workers=0, chunk_size=2)
    events = AuditEvent.objects.filter(action="ledger.rebuild").order_by("id")
    assert sum(e.after["entries"] for e in events) == report.entries == 10
    assert events.count() <= report.chunks
