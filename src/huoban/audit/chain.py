"""Hash chains (可追溯、可取证): shared by the audit log and the commission ledger (R-LED-3).

An entry's hash is SHA-256 over the previous entry's hash and a canonical JSON rendering of the
entry's own fields. Changing any field of any entry, or removing or reordering entries, breaks
the chain at that entry and every later one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

GENESIS = "0" * 64


def _default(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(f"cannot hash {type(value).__name__}")


def canonical(payload: Mapping[str, Any]) -> bytes:
    """The byte string that is hashed: sorted keys, no whitespace, Decimals and dates as text."""
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
    ).encode()


def link_hash(prev_hash: str, payload: Mapping[str, Any]) -> str:
    return chain_hash(prev_hash, canonical(payload))


def chain_hash(prev_hash: str, canonical_payload: bytes) -> str:
    """The link of one entry: SHA-256 of the previous hash, a newline, the canonical payload."""
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical_payload).hexdigest()


@dataclass(frozen=True)
class ChainRow:
    """One entry as the verifier sees it."""

    ident: int
    prev_hash: str
    hash: str
    payload: Mapping[str, Any]


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    head: str
    first_bad: int | None = None
    reason: str = ""


def verify(rows: Iterable[ChainRow]) -> Verification:
    """Walk a chain in order; report the first entry whose link or hash does not hold."""
    prev = GENESIS
    checked = 0
    for row in rows:
        checked += 1
        if row.prev_hash != prev:
            return Verification(False, checked, prev, row.ident, "previous hash does not link")
        expected = link_hash(prev, row.payload)
        if expected != row.hash:
            return Verification(False, checked, prev, row.ident, "content does not match its hash")
        prev = row.hash
    return Verification(True, checked, prev)
