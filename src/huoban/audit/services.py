"""Writing and verifying the audit log. Every service function calls :func:`record` once,
inside its own transaction, as its last write."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from huoban import clock

from .actions import Action
from .chain import GENESIS, ChainRow, Verification, link_hash, verify
from .models import AuditEvent, ChainHead

if TYPE_CHECKING:
    from huoban.accounts.models import User  # accounts sits above audit

AUDIT_CHAIN = "audit"
_CATALOGUE = frozenset(Action.values)


def _jsonable(data: Mapping[str, Any] | None) -> Any:
    if data is None:
        return None
    # Round-trip through the JSON encoder so the hashed payload equals what is stored.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))


def advance_chain(key: str) -> tuple[ChainHead, str]:
    """Lock a chain's head row (creating it at genesis) and return it with the previous hash.

    The caller computes the new hash and calls :func:`commit_head`. The row lock serialises
    appends to the same chain across connections (SELECT … FOR UPDATE on PostgreSQL; SQLite
    transactions take the write lock at BEGIN IMMEDIATE).
    """
    ChainHead.objects.get_or_create(key=key, defaults={"head_hash": GENESIS, "length": 0})
    head = ChainHead.objects.select_for_update().get(key=key)
    return head, head.head_hash


def commit_head(head: ChainHead, new_hash: str, count: int = 1) -> None:
    head.head_hash = new_hash
    head.length += count
    head.save(update_fields=["head_hash", "length"])


def _event(
    actor: User | None,
    action: str,
    obj: models.Model | None,
    *,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    object_type: str | None,
    object_id: str | None,
    prev: str,
) -> AuditEvent:
    if action not in _CATALOGUE:
        raise ValueError(f"audit action {action!r} is not in huoban.audit.actions.Action")
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    event = AuditEvent(
        at=clock.now(),
        actor_id=actor_id,
        actor_name=str(actor) if actor is not None else "system",
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=object_id or (str(obj.pk) if obj is not None else ""),
        before=_jsonable(before),
        after=_jsonable(after),
        prev_hash=prev,
    )
    event.hash = link_hash(prev, event.chain_payload())
    return event


def record(
    actor: User | None,
    action: str,
    obj: models.Model | None,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
) -> AuditEvent:
    """Append one audit event to the chain, in the caller's transaction."""
    with transaction.atomic():
        head, prev = advance_chain(AUDIT_CHAIN)
        event = _event(
            actor,
            action,
            obj,
            before=before,
            after=after,
            object_type=object_type,
            object_id=object_id,
            prev=prev,
        )
        event.save()
        commit_head(head, event.hash)
        return event


def record_many(
    actor: User | None, action: str, items: Sequence[tuple[models.Model, Mapping[str, Any]]]
) -> list[AuditEvent]:
    """Append one event per (object, after) in one write, for a job that does the same action
    to many objects (the annual settlement); the chain is the same as for one record() each."""
    if not items:
        return []
    with transaction.atomic():
        head, prev = advance_chain(AUDIT_CHAIN)
        events = []
        for obj, after in items:
            event = _event(
                actor, action, obj, before=None, after=after, object_type=None, object_id=None,
                prev=prev,
            )  # fmt: skip
            events.append(event)
            prev = event.hash
        AuditEvent.objects.bulk_create(events, batch_size=2000)
        commit_head(head, prev, count=len(events))
        return events


def _rows() -> Iterator[ChainRow]:
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        yield ChainRow(event.pk, event.prev_hash, event.hash, event.chain_payload())


def verify_audit_log() -> Verification:
    """Verify the whole audit chain (the same check the ledger uses, R-LED-3), then compare its
    end with the stored head: a removed tail or an appended row that did not move the head
    breaks the chain as surely as a changed row."""
    result = verify(_rows())
    if not result.ok:
        return result
    head = ChainHead.objects.filter(key=AUDIT_CHAIN).first()
    stored, length = (head.head_hash, head.length) if head is not None else (GENESIS, 0)
    if stored != result.head or length != result.checked:
        return Verification(
            False,
            result.checked,
            result.head,
            None,
            f"chain head does not match the events ({result.checked} events, head "
            f"{result.head[:12]}…; stored {length} events, head {stored[:12]}…)",
        )
    return result
