"""Backup and restore of the whole database (`huoban backup`, `huoban restore`).

A backup is one file and a JSON manifest beside it (``<file>.json``): the format, the database
vendor, when it was taken, the file's SHA-256, the latest applied migration of each app, the
row counts of the key tables and the ledger verification (R-LED-3) — each chain's head and the
combined head. The manifest is read in the same snapshot as the copy, so it describes exactly
what the file holds:

- SQLite: one read transaction on the configured database; the manifest's queries and SQLite's
  online backup API (``Connection.backup``) both read its snapshot. In WAL mode the server's
  writers go on meanwhile. The copy is switched to a rollback journal, so it is one
  self-contained file.
- PostgreSQL: a REPEATABLE READ transaction exports its snapshot and ``pg_dump
  --format=custom --snapshot=…`` dumps that snapshot while the transaction reads the manifest.

A restore checks the file against the manifest's SHA-256 and the schema against this code's
migrations before it touches anything, refuses a database that is not empty unless told to
overwrite it, then copies back (SQLite: the backup API into the configured file, under its write
lock; PostgreSQL: ``pg_restore --clean --if-exists --no-owner --single-transaction``), applies
the migrations the backup predates, verifies every ledger chain and compares the heads with the
manifest. Both actions are written to the audit log (actor: the system).

The service functions here do the work; `huoban.cli` only prints.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.request import pathname2url

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from huoban import clock
from huoban.audit.services import record
from huoban.commissions.ledger import combined_head, verify_ledger

FORMAT = "huoban-backup/1"
SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".dump"}
KIND = {"sqlite": "sqlite3-database", "postgresql": "pg_dump-custom"}

# The tables whose row counts the manifest records (and a restore compares).
KEY_MODELS = (
    "partners.Partner",
    "accounts.User",
    "customers.Customer",
    "customers.Attribution",
    "customers.Contact",
    "leads.Lead",
    "projects.Project",
    "projects.CustomerPayment",
    "commissions.LedgerEntry",
    "commissions.Payout",
    "audit.AuditEvent",
)

# libpq reads these connection options from the environment (DATABASE_URL ?sslmode=… etc.).
_LIBPQ_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is "中文 / English"."""


class RestoreRefused(BackupError):
    """The restore was refused before anything was touched."""

    def __init__(self, message: str, details: list[str] | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.details = details or []
        self.hint = hint


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest_path: Path
    size: int
    sha256: str
    manifest: dict[str, Any]


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    replaced: dict[str, int]  # row counts the target held before
    migrated: list[str] = field(default_factory=list)  # migrations applied after restoring
    counts: dict[str, int] = field(default_factory=dict)  # row counts once restored
    ledger: list[Any] = field(default_factory=list)  # LedgerVerification per partner
    combined_head: str = ""

    @property
    def ledger_ok(self) -> bool:
        return all(item.result.ok for item in self.ledger)

    @property
    def heads_match(self) -> bool:
        """Every chain head is the one the manifest recorded at backup time."""
        heads = {item.partner_code: item.result.head for item in self.ledger}
        return heads == self.manifest.get("ledger", {}).get("heads")

    @property
    def counts_match(self) -> bool:
        """The key tables hold what the manifest counted (a data migration run on an older
        backup may add rows: then only the ledger is compared)."""
        return bool(self.migrated) or self.counts == self.manifest.get("row_counts")

    @property
    def ok(self) -> bool:
        return self.ledger_ok and self.heads_match and self.counts_match


# --- small helpers ----------------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_path_for(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def vendor() -> str:
    return connection.vendor


def default_output(now: dt.datetime | None = None) -> Path:
    """``<HUOBAN_DATA_DIR>/backups/huoban-<UTC timestamp>.sqlite3`` (or ``.dump``)."""
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    suffix = SUFFIX.get(vendor(), ".backup")
    return Path(settings.DATA_DIR) / "backups" / f"huoban-{moment:%Y%m%dT%H%M%SZ}{suffix}"


def describe_target() -> str:
    """Which database this is, without its password."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite {db['NAME']}"
    host = db.get("HOST") or "localhost"
    port = db.get("PORT") or "5432"
    return f"PostgreSQL {db.get('USER') or ''}@{host}:{port}/{db['NAME']}"


def _table_names() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def row_counts() -> dict[str, int]:
    """Rows in each key table of the configured database (a table not there yet counts 0)."""
    present = _table_names()
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for label in KEY_MODELS:
            table = apps.get_model(label)._meta.db_table
            if table in present:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                counts[table] = int(cursor.fetchone()[0])
            else:
                counts[table] = 0
    return counts


def applied_migrations() -> dict[str, str]:
    """The latest applied migration of each app (names are numbered, so the greatest)."""
    if "django_migrations" not in _table_names():
        return {}
    latest: dict[str, str] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        for app, name in cursor.fetchall():
            if name > latest.get(app, ""):
                latest[app] = name
    return latest


def _ledger_facts(results: list[Any]) -> dict[str, Any]:
    """The manifest's view of `verify_ledger`'s results: ok, counts, heads, the first break."""

    bad = [r for r in results if not r.result.ok]
    return {
        "ok": not bad,
        "chains": len(results),
        "entries": sum(r.result.checked for r in results),
        "combined_head": combined_head(results),
        "heads": {r.partner_code: r.result.head for r in results},
        "first_bad": (
            {
                "partner": bad[0].partner_code,
                "entry": bad[0].result.first_bad,
                "reason": bad[0].result.reason,
            }
            if bad
            else None
        ),
    }


def _facts() -> dict[str, Any]:
    """What the manifest says about the database, read in the caller's snapshot."""

    return {
        "migrations": applied_migrations(),
        "row_counts": row_counts(),
        "ledger": _ledger_facts(verify_ledger()),
    }


def pg_env(db: Mapping[str, Any] | None = None) -> dict[str, str]:
    """The environment that points libpq (pg_dump, pg_restore) at the configured database (or
    the settings `db`): no connection string on the command line, no password in `ps`."""
    db = connection.settings_dict if db is None else db
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        value = db.get(key)
        if value:
            env[var] = str(value)
        else:
            env.pop(var, None)
    for option, value in (db.get("OPTIONS") or {}).items():
        if option in _LIBPQ_ENV:
            env[_LIBPQ_ENV[option]] = str(value)
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"找不到 {name}，请安装 PostgreSQL 客户端 / {name} not found: install the PostgreSQL "
            "client tools (version ≥ the server's)"
        )
    return found


def _run(argv: list[str]) -> None:
    done = subprocess.run(argv, env=pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(
            f"{Path(argv[0]).name} 失败 / {Path(argv[0]).name} failed "
            f"(exit {done.returncode}): {done.stderr.strip()[-2000:]}"
        )


# --- backup -----------------------------------------------------------------------------------


@contextmanager
def _sqlite_read_snapshot() -> Iterator[sqlite3.Connection]:
    """One read transaction on Django's own SQLite connection: the ORM's queries and the backup
    API read the same snapshot. A deferred BEGIN takes no write lock, so writers go on (WAL)."""
    if connection.in_atomic_block:
        raise BackupError("不能在事务中备份 / cannot back up inside a transaction")
    connection.ensure_connection()
    raw = connection.connection
    raw.execute("BEGIN DEFERRED")
    try:
        raw.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # starts the snapshot
        yield raw
    finally:
        raw.execute("ROLLBACK")


def _backup_sqlite(part: Path) -> dict[str, Any]:
    with _sqlite_read_snapshot() as raw:
        facts = _facts()
        target = sqlite3.connect(part)
        try:
            raw.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            facts["integrity"] = target.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            target.close()
    return facts


def _backup_postgresql(part: Path) -> dict[str, Any]:
    pg_dump = _pg_tool("pg_dump")
    connection.ensure_connection()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        facts = _facts()
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={part}"])
    return facts


def backup(output: Path | None = None) -> BackupResult:
    """Write a consistent copy of the configured database and its manifest; audit it."""

    kind = vendor()
    if kind not in SUFFIX:
        raise BackupError(f"不支持的数据库 / unsupported database: {kind}")
    created = clock.now()
    path = Path(output) if output else default_output(created)
    path = path.resolve()
    if path.exists():
        raise BackupError(f"文件已存在 / file exists: {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.unlink(missing_ok=True)
    try:
        facts = _backup_sqlite(part) if kind == "sqlite" else _backup_postgresql(part)
        part.chmod(0o600)  # the whole database: contacts, ledgers, password hashes
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)
    size = path.stat().st_size
    digest = file_sha256(path)
    manifest = {
        "format": FORMAT,
        "kind": KIND[kind],
        "vendor": kind,
        "file": path.name,
        "created_at": created.astimezone(dt.UTC).isoformat(),
        "size": size,
        "sha256": digest,
        **facts,
    }
    manifest_path = manifest_path_for(path)
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    manifest_path.chmod(0o600)
    record(
        None,
        "backup.create",
        None,
        object_type="backup",
        object_id=path.name,
        after={
            "path": str(path),
            "sha256": digest,
            "size": size,
            "vendor": kind,
            "ledger_ok": facts["ledger"]["ok"],
            "combined_head": facts["ledger"]["combined_head"],
        },
    )
    return BackupResult(path, manifest_path, size, digest, manifest)


# --- restore ----------------------------------------------------------------------------------


def read_manifest(path: Path) -> dict[str, Any]:
    manifest_path = manifest_path_for(path)
    if not manifest_path.exists():
        raise RestoreRefused(
            f"缺少清单 / no manifest beside the backup: {manifest_path}",
        )
    try:
        manifest: dict[str, Any] = json.loads(manifest_path.read_text())
    except ValueError as exc:
        raise RestoreRefused(f"清单无法读取 / unreadable manifest: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise RestoreRefused(f"未知的备份格式 / unknown backup format: {manifest.get('format')}")
    return manifest


def newer_migrations(backup_migrations: Mapping[str, str]) -> list[str]:
    """The backup's latest migrations this code does not have: a newer schema."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return sorted(
        f"{app}.{name}" for app, name in backup_migrations.items() if (app, name) not in known
    )


def check_backup(path: Path) -> dict[str, Any]:
    """Everything checked before a restore touches the database; returns the manifest."""
    if not path.is_file():
        raise RestoreRefused(f"找不到备份文件 / no such backup file: {path}")
    manifest = read_manifest(path)
    digest = file_sha256(path)
    if digest != manifest.get("sha256"):
        raise RestoreRefused(
            "备份文件与清单的 SHA-256 不符，可能已损坏或被篡改 / the file's SHA-256 does not "
            "match the manifest: damaged or tampered",
            [f"manifest {manifest.get('sha256')}", f"file     {digest}"],
        )
    if manifest.get("vendor") != vendor():
        raise RestoreRefused(
            f"备份来自 {manifest.get('vendor')}，当前数据库是 {vendor()} / the backup is from "
            f"{manifest.get('vendor')}, the configured database is {vendor()}"
        )
    newer = newer_migrations(manifest.get("migrations", {}))
    if newer:
        raise RestoreRefused(
            "备份的数据结构比当前程序新，请先升级程序 / the backup's schema is newer than this "
            "code: upgrade Huoban first",
            newer,
        )
    return manifest


def _restore_sqlite(path: Path) -> None:
    target_name = str(connection.settings_dict["NAME"])
    connection.close()
    source = sqlite3.connect(f"file:{pathname2url(str(path))}?mode=ro", uri=True)
    target = sqlite3.connect(target_name, timeout=20)
    try:
        # Page by page under the target's write lock; readers see the old or the new database.
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        target.close()
        source.close()


def _restore_postgresql(path: Path) -> None:
    pg_restore = _pg_tool("pg_restore")
    name = str(connection.settings_dict["NAME"])
    connection.close()
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",  # all or nothing
            f"--dbname={name}",
            str(path),
        ]
    )


def _migrate_forward() -> list[str]:
    """Apply the migrations this code has and the restored database lacks (an older backup)."""
    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    pending = [f"{m.app_label}.{m.name}" for m, backwards in plan if not backwards]
    if pending:
        call_command("migrate", interactive=False, verbosity=0)
    return pending


def restore(path: Path, *, overwrite: bool = False) -> RestoreResult:
    """Restore a backup into the configured database (see the module's docstring)."""

    path = Path(path).resolve()
    manifest = check_backup(path)
    current = row_counts()
    if any(current.values()) and not overwrite:
        raise RestoreRefused(
            f"目标数据库不是空的，将被覆盖 / the target database is not empty and would be "
            f"overwritten: {describe_target()}",
            [f"{table}: {n} rows" for table, n in current.items() if n],
            hint="确认覆盖请加 --yes / add --yes to overwrite it",
        )
    if vendor() == "sqlite":
        _restore_sqlite(path)
    else:
        _restore_postgresql(path)

    result = RestoreResult(manifest=manifest, replaced=current)
    result.migrated = _migrate_forward()
    result.counts = row_counts()
    result.ledger = verify_ledger()
    result.combined_head = combined_head(result.ledger)
    record(
        None,
        "backup.restore",
        None,
        object_type="backup",
        object_id=path.name,
        after={
            "path": str(path),
            "sha256": manifest["sha256"],
            "backup_created_at": manifest.get("created_at"),
            "replaced_rows": current,
            "migrated": result.migrated,
            "ledger_ok": result.ok,
            "combined_head": result.combined_head,
        },
    )
    return result
