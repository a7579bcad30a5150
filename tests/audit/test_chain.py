"""The audit log is append-only and hash-chained; tampering is found (ARCHITECTURE §3)."""

from __future__ import annotations

import pytest

from huoban.audit.chain import GENESIS, ChainRow, link_hash, verify
from huoban.audit.models import AppendOnlyError, AuditEvent
from huoban.audit.services import record, verify_audit_log
from tests.tampering import tampering


def test_it_verifies_an_empty_chain():
    result = verify([])
    assert result.ok and result.checked == 0 and result.head == GENESIS


def test_it_names_the_first_tampered_row():
    h1 = link_hash(GENESIS, {"a": 1})
    h2 = link_hash(h1, {"a": 2})
    rows = [ChainRow(1, GENESIS, h1, {"a": 1}), ChainRow(2, h1, h2, {"a": 3})]
    result = verify(rows)
    assert not result.ok and result.first_bad == 2 and result.checked == 2


@pytest.mark.django_db
def test_it_chains_every_event_and_detects_sql_tampering(actors):
    before = AuditEvent.objects.count()
    assert before > 0  # creating the actors wrote user and partner events
    record(actors.admin, "partner.violation", actors.alpha, after={"x": "1"})
    assert verify_audit_log().ok
    event = AuditEvent.objects.order_by("id")[before - 1]
    with tampering() as cur:
        cur.execute("UPDATE audit_auditevent SET actor_name = 'mallory' WHERE id = %s", [event.pk])
    result = verify_audit_log()
    assert not result.ok and result.first_bad == event.pk


@pytest.mark.django_db
def test_it_refuses_to_change_or_delete_an_event(actors):
    event = AuditEvent.objects.first()
    assert event is not None
    event.action = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


@pytest.mark.django_db
def test_it_verifies_events_written_at_a_frozen_local_time(actors):
    """The stored instant comes back in UTC; the hash must not depend on the offset written."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from huoban import clock

    with clock.frozen(dt.datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        record(actors.admin, "partner.white_label", actors.alpha)
    with clock.frozen(dt.date(2026, 3, 3)):
        record(actors.admin, "partner.exit", actors.alpha)
    assert verify_audit_log().ok
