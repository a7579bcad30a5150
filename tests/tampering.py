"""Playing the database owner who tampers with the evidence: the triggers lifted for the block
(huoban.audit.guards), put back after. Inside a test's transaction both are rolled back anyway."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.db import connection

from huoban.audit import guards


@contextlib.contextmanager
def tampering() -> Iterator[Any]:
    """A cursor with the append-only triggers lifted."""
    guards.drop(connection)
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        guards.install(connection)


def _refuse_delete() -> Any:
    import importlib

    return importlib.import_module("huoban.customers.migrations.0004_attribution_refuse_delete")


def lift_all(conn: Any) -> None:
    """Every guard off, the attribution's DELETE trigger included (before SQLite's flush)."""
    guards.drop(conn)
    with conn.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS customers_attribution_refuse_delete")


def put_back_all(conn: Any) -> None:
    with conn.cursor() as cursor:
        for sql in _refuse_delete().SQLITE_FORWARD:
            cursor.execute(sql)
    guards.install(conn)
