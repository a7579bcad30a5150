"""Database triggers that keep the evidence tables append-only, whatever the client (issue #10).

The services never change or remove these rows; the triggers make a direct ``UPDATE`` or
``DELETE`` (a database console, a script, a compromised account) fail too, on SQLite and on
PostgreSQL:

- ``audit_auditevent``, ``commissions_payout``, ``customers_attributiontransfer``: no UPDATE,
  no DELETE;
- ``commissions_ledgerentry``: no DELETE, and no UPDATE of a hashed column; only the workflow
  columns (status, effective, the two approvals, payout) move, and ``huoban ledger verify``
  checks those against the audited approvals and payouts;
- ``customers_attribution``: its partner changes only together with the recorded transfer
  that moves it (the transfer row is written first); DELETE is refused by migration
  ``customers.0004``.

The triggers are (re)installed after every ``migrate`` (``post_migrate``), because SQLite drops
a table's triggers whenever a migration rebuilds the table. PostgreSQL's ``TRUNCATE`` (an
administrative act; the test flush) is not a row operation and is not refused.
"""

from __future__ import annotations

from typing import Any

REFUSED = "append-only: {table} rows are never changed or removed"

# table → the columns that may be UPDATEd (None: no UPDATE at all)
APPEND_ONLY: dict[str, tuple[str, ...] | None] = {
    "audit_auditevent": None,
    "commissions_payout": None,
    "customers_attributiontransfer": None,
    "commissions_ledgerentry": (
        "status",
        "effective",
        "effective_on",
        "finance_approved_by_id",
        "admin_approved_by_id",
        "payout_id",
    ),
}
ATTRIBUTION_MOVED = "attribution moves only by a recorded transfer"
# Every table a trigger guards (the attribution's DELETE trigger is customers.0004's).
GUARDED_TABLES = (*APPEND_ONLY, "customers_attribution")


def _name(table: str, what: str) -> str:
    return f"huoban_guard_{table}_{what}"


def _sqlite(table: str, updatable: tuple[str, ...] | None, columns: list[str]) -> list[str]:
    message = REFUSED.format(table=table)
    statements = [
        f"DROP TRIGGER IF EXISTS {_name(table, 'delete')}",
        f"""CREATE TRIGGER {_name(table, "delete")} BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, '{message}'); END""",
        f"DROP TRIGGER IF EXISTS {_name(table, 'update')}",
    ]
    hashed = [c for c in columns if c not in (updatable or ())]
    statements.append(
        f"""CREATE TRIGGER {_name(table, "update")} BEFORE UPDATE OF {", ".join(hashed)}
        ON {table} BEGIN SELECT RAISE(ABORT, '{message}'); END"""
    )
    return statements


def _postgres(table: str, updatable: tuple[str, ...] | None) -> list[str]:
    message = REFUSED.format(table=table)
    function = _name(table, "fn")
    if updatable:
        keep = " - ".join(["to_jsonb({row})", *(f"'{c}'" for c in updatable)])
        changed = f"({keep.format(row='OLD')}) IS DISTINCT FROM ({keep.format(row='NEW')})"
        body = f"IF TG_OP = 'DELETE' OR {changed} THEN"
    else:
        body = "IF TRUE THEN"
    return [
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {body}
                RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NEW;
        END;
        $$""",
        f"DROP TRIGGER IF EXISTS {_name(table, 'guard')} ON {table}",
        f"""CREATE TRIGGER {_name(table, "guard")} BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {function}()""",
    ]


_TRANSFER_RECORDED = """EXISTS (
    SELECT 1 FROM customers_attributiontransfer t
    WHERE t.attribution_id = NEW.id AND t.from_partner_id = OLD.partner_id
      AND t.to_partner_id = NEW.partner_id AND t.at = NEW.since)"""

ATTRIBUTION_SQLITE = [
    f"DROP TRIGGER IF EXISTS {_name('customers_attribution', 'move')}",
    f"""CREATE TRIGGER {_name("customers_attribution", "move")}
    BEFORE UPDATE OF partner_id ON customers_attribution
    WHEN NEW.partner_id IS NOT OLD.partner_id AND NOT {_TRANSFER_RECORDED}
    BEGIN SELECT RAISE(ABORT, '{ATTRIBUTION_MOVED}'); END""",
]
ATTRIBUTION_POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION {_name("customers_attribution", "fn")}() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.partner_id IS DISTINCT FROM OLD.partner_id AND NOT {_TRANSFER_RECORDED} THEN
            RAISE EXCEPTION '{ATTRIBUTION_MOVED}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END;
    $$""",
    f"DROP TRIGGER IF EXISTS {_name('customers_attribution', 'move')} ON customers_attribution",
    f"""CREATE TRIGGER {_name("customers_attribution", "move")}
    BEFORE UPDATE ON customers_attribution
    FOR EACH ROW EXECUTE FUNCTION {_name("customers_attribution", "fn")}()""",
]


def install(connection: Any) -> None:
    """Create (or re-create) every guard on ``connection``'s database; idempotent."""
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table, updatable in APPEND_ONLY.items():
            if table not in tables:
                continue
            if connection.vendor == "sqlite":
                columns = [c.name for c in connection.introspection.get_table_description(
                    cursor, table
                )]  # fmt: skip
                statements = _sqlite(table, updatable, columns)
            elif connection.vendor == "postgresql":
                statements = _postgres(table, updatable)
            else:
                statements = []
            for sql in statements:
                cursor.execute(sql)
        if "customers_attribution" in tables and "customers_attributiontransfer" in tables:
            move = {"sqlite": ATTRIBUTION_SQLITE, "postgresql": ATTRIBUTION_POSTGRES}
            for sql in move.get(connection.vendor, []):
                cursor.execute(sql)


def drop_statements(vendor: str) -> list[str]:
    """The statements that remove every guard (also for a raw sqlite3 or psycopg connection)."""
    statements = []
    for table in APPEND_ONLY:
        if vendor == "sqlite":
            statements.append(f"DROP TRIGGER IF EXISTS {_name(table, 'delete')}")
            statements.append(f"DROP TRIGGER IF EXISTS {_name(table, 'update')}")
        elif vendor == "postgresql":
            statements.append(f"DROP TRIGGER IF EXISTS {_name(table, 'guard')} ON {table}")
    move = _name("customers_attribution", "move")
    if vendor == "sqlite":
        statements.append(f"DROP TRIGGER IF EXISTS {move}")
    elif vendor == "postgresql":
        statements.append(f"DROP TRIGGER IF EXISTS {move} ON customers_attribution")
    return statements


def drop(connection: Any) -> None:
    """Remove the guards (tests that play a database owner tampering, the test flush)."""
    with connection.cursor() as cursor:
        for sql in drop_statements(connection.vendor):
            cursor.execute(sql)


def install_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    install(connections[using])
