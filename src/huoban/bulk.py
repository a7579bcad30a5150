"""Bulk writes of plain rows, for the jobs that write hundreds of thousands of them.

``executemany`` on SQLite, ``COPY`` on PostgreSQL, into a model's table, in the caller's
transaction. Values are given as the database stores them: ``str`` for dates (ISO), decimals
and datetimes (:func:`db_datetime`), ``bool``, ``int`` or ``None``. Used by the ledger rebuild
(:mod:`huoban.commissions.rebuild`) and the benchmark data generator; everything else writes
through the ORM.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

__all__ = ["db_datetime", "insert_rows", "table_columns"]

BATCH = 20_000


def db_datetime(moment: dt.datetime) -> str:
    """An aware datetime as the backend stores it: UTC, naive text on SQLite."""
    if connection.vendor == "postgresql":
        return moment.isoformat()
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")


def table_columns(
    model: type[models.Model], given: Sequence[str]
) -> tuple[list[str], tuple[Any, ...]]:
    """The table's columns: ``given`` first, then every other column with its default value
    (an automatic primary key that is not given is left out: the database numbers the row)."""
    known = {f.column for f in model._meta.concrete_fields}
    unknown = set(given) - known
    if unknown:
        raise ValueError(f"{model.__name__}: unknown columns {sorted(unknown)}")
    rest: list[str] = []
    defaults: list[Any] = []
    for f in model._meta.concrete_fields:
        if f.column in given or (f.primary_key and isinstance(f, models.AutoField)):
            continue  # an automatic primary key not given is left to the database
        value = f.get_default()
        if isinstance(f, models.JSONField) and value is not None:
            value = json.dumps(value)
        rest.append(f.column)
        defaults.append(value)
    return [*given, *rest], tuple(defaults)


def insert_rows(
    model: type[models.Model], given: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> int:
    """Insert ``rows`` (values for the ``given`` columns) in the caller's transaction."""
    cols, tail = table_columns(model, given)
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in cols)
    n = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + tail)
                    n += 1
            return n
        marks = ", ".join(["%s"] * len(cols))
        sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608 (names from _meta)
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(row + tail)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                n += len(batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
            n += len(batch)
    return n
