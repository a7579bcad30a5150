"""`huoban backup` and `huoban restore` end to end, as an operator runs them.

Each command runs in a subprocess on a database of its own (a SQLite file in a temporary data
dir; on PostgreSQL scratch databases ``huoban_bk_<random>`` created and dropped here), never on
the test database. The data are made through the services: partners, users, a judged lead,
signed projects with payments and an acceptance, so the ledger has entries in two chains.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from huoban import backup
from huoban.audit import guards

ROOT = Path(__file__).resolve().parents[1]
HUOBAN = str(Path(sys.executable).with_name("huoban"))

MAKE_DATA = """
import datetime as dt, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huoban.settings")
import django
django.setup()
from huoban import clock
from huoban.projects import services
from tests.factories import make_actors
from tests.leads.helpers import judge, submit
from tests.projects.helpers import pay, sign
with clock.frozen(dt.date(2026, 6, 30)):
    a = make_actors()
    judge(a.officer, submit(a.alice, "晋中华泰煤化工有限公司"))
    p = sign(a.officer, a.alpha)
    pay(a.finance, p, "100000.00", dt.date(2026, 1, 15), "HK-001")
    pay(a.finance, p, "150000.00", dt.date(2026, 3, 2), "HK-002")
    services.accept_project(p.pk, actor=a.pm, accepted_on=dt.date(2026, 4, 10))
    q = sign(a.officer, a.beta, name="太原重工机械有限公司")
    pay(a.finance, q, "80000.00", dt.date(2026, 2, 3), "HK-101")
"""


def env_for(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "HUOBAN_DATA_DIR", "DJANGO_SETTINGS_MODULE"}
    }
    env["HUOBAN_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = str(ROOT)  # the data script uses tests.factories
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )


def huoban(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run([HUOBAN, *args], env)


def make_source(env: dict[str, str]) -> None:
    done = huoban(env, "migrate")
    assert done.returncode == 0, done.stderr
    done = run([sys.executable, "-c", MAKE_DATA], env)
    assert done.returncode == 0, done.stderr


def take_backup(env: dict[str, str]) -> tuple[Path, dict[str, Any], str]:
    done = huoban(env, "backup")
    assert done.returncode == 0, done.stderr
    path = Path(re.search(r"backup written: (\S+)", done.stdout).group(1))
    manifest = json.loads(backup.manifest_path_for(path).read_text())
    return path, manifest, done.stdout


def chain_heads(output: str) -> dict[str, str]:
    """`ok   CODE: n entries, head H` lines of `huoban ledger verify` / `huoban restore`."""
    return dict(re.findall(r"^ok {3}(\w+): \d+ entries, head ([0-9a-f]{64})$", output, re.M))


# --- SQLite ------------------------------------------------------------------------------------


def sqlite_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return {
            table: conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            for table in (
                "partners_partner",
                "accounts_user",
                "customers_customer",
                "customers_attribution",
                "customers_contact",
                "leads_lead",
                "projects_project",
                "projects_customerpayment",
                "commissions_ledgerentry",
                "commissions_payout",
                "audit_auditevent",
            )
        }


def sqlite_stored_heads(db: Path) -> dict[str, str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT key, head_hash FROM audit_chainhead WHERE key LIKE 'ledger:%'")
        return {key.removeprefix("ledger:"): head for key, head in rows}


def audit_actions(db: Path) -> list[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return [a for (a,) in conn.execute("SELECT action FROM audit_auditevent ORDER BY id")]


def sha(path: Path) -> str:
    return backup.file_sha256(path)


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> dict[str, Any]:
    """A data dir with data made through the services, backed up once by `huoban backup`."""
    data_dir = tmp_path_factory.mktemp("source")
    env = env_for(data_dir)
    make_source(env)
    path, manifest, output = take_backup(env)
    return {
        "dir": data_dir,
        "db": data_dir / "huoban.sqlite3",
        "backup": path,
        "manifest": manifest,
        "output": output,
    }


def copy_of(source: dict[str, Any], tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A copy of the source's data dir (the database closed: no WAL to carry)."""
    target = tmp_path / "target"
    shutil.copytree(source["dir"], target, ignore=shutil.ignore_patterns("backups"))
    return target, env_for(target)


def test_backup_writes_a_copy_a_manifest_and_an_audit_event(source):
    path, manifest, output = source["backup"], source["manifest"], source["output"]
    # Default place and name: <data dir>/backups/huoban-<UTC timestamp>.sqlite3
    assert path.parent == source["dir"] / "backups"
    assert re.fullmatch(r"huoban-\d{8}T\d{6}Z\.sqlite3", path.name)
    assert f"SHA-256:          {sha(path)}" in output
    assert f"{path.stat().st_size} bytes" in output
    assert path.stat().st_mode & 0o077 == 0  # the whole database: owner only
    assert manifest["format"] == "huoban-backup/1"
    assert manifest["vendor"] == "sqlite"
    assert manifest["sha256"] == sha(path)
    assert manifest["size"] == path.stat().st_size
    assert dt.datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
    assert manifest["integrity"] == "ok"
    assert manifest["migrations"]["commissions"].startswith("00")
    assert manifest["migrations"]["leads"].startswith("00")
    # The manifest describes the copy, read in the same snapshot.
    assert manifest["row_counts"] == sqlite_counts(path)
    assert (
        manifest["row_counts"]["commissions_ledgerentry"] == 3
    )  # alpha: 24,000 + acceptance; beta
    ledger = manifest["ledger"]
    assert ledger["ok"] is True
    assert ledger["chains"] == 2
    assert ledger["entries"] == 3
    assert ledger["heads"] == sqlite_stored_heads(path)
    assert f"head {ledger['combined_head']}" in output
    # The copy is one self-contained file, and the live database logged the backup.
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert audit_actions(source["db"])[-1] == "backup.create"
    assert "backup.create" not in audit_actions(path)


def test_restore_brings_back_the_rows_and_the_ledger_chains(source, tmp_path):
    target, env = copy_of(source, tmp_path)
    db = target / "huoban.sqlite3"
    manifest = source["manifest"]
    # given: after the backup, an entry is tampered with and a payment deleted behind the app
    with sqlite3.connect(db) as conn:
        for sql in guards.drop_statements("sqlite"):  # the database owner lifts the triggers
            conn.execute(sql)
        conn.execute("UPDATE commissions_ledgerentry SET amount = amount + 1 WHERE id = 1")
        conn.execute("DELETE FROM projects_customerpayment WHERE reference = 'HK-101'")
    assert huoban(env, "ledger", "verify").returncode == 1
    # when restored over it (confirmed with --yes)
    done = huoban(env, "restore", str(source["backup"]), "--yes")
    # then the rows are back, every chain verifies and its head is the manifest's
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.rstrip().endswith(
        f"ok   combined head {manifest['ledger']['combined_head']}"
    )
    counts = sqlite_counts(db)
    assert counts == {
        **manifest["row_counts"],
        "audit_auditevent": manifest["row_counts"]["audit_auditevent"] + 1,  # backup.restore
    }
    assert audit_actions(db)[-1] == "backup.restore"
    verified = huoban(env, "ledger", "verify")
    assert verified.returncode == 0, verified.stderr
    assert chain_heads(verified.stdout) == manifest["ledger"]["heads"]
    assert sqlite_stored_heads(db) == manifest["ledger"]["heads"]


def test_restore_into_a_fresh_data_dir_needs_no_confirmation(source, tmp_path):
    env = env_for(tmp_path / "fresh")
    done = huoban(env, "restore", str(source["backup"]))
    assert done.returncode == 0, done.stdout + done.stderr
    assert chain_heads(done.stdout) == source["manifest"]["ledger"]["heads"]
    counts = sqlite_counts(tmp_path / "fresh" / "huoban.sqlite3")
    assert counts["commissions_ledgerentry"] == 3
    assert counts["leads_lead"] == source["manifest"]["row_counts"]["leads_lead"] == 1


def test_restore_into_a_database_that_is_not_empty_needs_yes(source, tmp_path):
    target, env = copy_of(source, tmp_path)
    db = target / "huoban.sqlite3"
    with sqlite3.connect(db) as conn:  # a payment recorded after the backup
        conn.execute("DELETE FROM projects_customerpayment WHERE reference = 'HK-101'")
    before = sqlite_counts(db)
    done = huoban(env, "restore", str(source["backup"]))
    assert done.returncode == 2
    assert "would be overwritten" in done.stderr
    assert f"SQLite {db}" in done.stderr
    assert "commissions_ledgerentry: 3 rows" in done.stderr
    assert "--yes" in done.stderr
    assert sqlite_counts(db) == before


def test_a_tampered_backup_is_refused_and_nothing_changes(source, tmp_path):
    target, env = copy_of(source, tmp_path)
    db = target / "huoban.sqlite3"
    tampered = tmp_path / source["backup"].name
    shutil.copy(source["backup"], tampered)
    shutil.copy(backup.manifest_path_for(source["backup"]), backup.manifest_path_for(tampered))
    with tampered.open("r+b") as handle:  # one byte in the middle of the file
        handle.seek(tampered.stat().st_size // 2)
        byte = handle.read(1)
        handle.seek(-1, os.SEEK_CUR)
        handle.write(bytes([byte[0] ^ 0xFF]))
    before = sha(db)
    done = huoban(env, "restore", str(tampered), "--yes")
    assert done.returncode == 2
    assert "SHA-256" in done.stderr
    assert f"manifest {source['manifest']['sha256']}" in done.stderr
    assert sha(db) == before


def test_a_backup_without_its_manifest_or_from_a_newer_schema_is_refused(source, tmp_path):
    target, env = copy_of(source, tmp_path)
    db = target / "huoban.sqlite3"
    before = sha(db)
    lonely = tmp_path / "lonely.sqlite3"
    shutil.copy(source["backup"], lonely)
    done = huoban(env, "restore", str(lonely), "--yes")
    assert done.returncode == 2
    assert "no manifest" in done.stderr
    # The same file with a manifest naming a migration this code does not have.
    manifest = dict(source["manifest"], migrations={"leads": "9999_from_the_future"})
    backup.manifest_path_for(lonely).write_text(json.dumps(manifest))
    done = huoban(env, "restore", str(lonely), "--yes")
    assert done.returncode == 2
    assert "newer" in done.stderr
    assert "leads.9999_from_the_future" in done.stderr
    assert sha(db) == before


def test_an_existing_output_file_is_never_overwritten(source, tmp_path):
    _target, env = copy_of(source, tmp_path)
    out = tmp_path / "mine.sqlite3"
    out.write_bytes(b"keep me")
    done = huoban(env, "backup", "--output", str(out))
    assert done.returncode == 2
    assert "file exists" in done.stderr
    assert out.read_bytes() == b"keep me"


def test_an_older_backup_is_migrated_forward_after_the_restore(tmp_path):
    old = env_for(tmp_path / "old")
    assert huoban(old, "migrate").returncode == 0
    done = huoban(old, "manage", "migrate", "leads", "0002")  # a database one migration behind
    assert done.returncode == 0, done.stderr
    done = huoban(old, "backup", "--output", str(tmp_path / "old.sqlite3"))
    assert done.returncode == 0, done.stderr
    manifest = json.loads((tmp_path / "old.sqlite3.json").read_text())
    assert manifest["migrations"]["leads"].startswith("0002")
    done = huoban(env_for(tmp_path / "new"), "restore", str(tmp_path / "old.sqlite3"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "migrated: leads.0003" in done.stdout


# --- pieces without a database -----------------------------------------------------------------


def test_newer_migrations_names_only_what_this_code_lacks():
    assert backup.newer_migrations({"leads": "0001_initial", "auth": "0001_initial"}) == []
    assert backup.newer_migrations({"leads": "0042_later", "nosuchapp": "0001_initial"}) == [
        "leads.0042_later",
        "nosuchapp.0001_initial",
    ]


def test_pg_tools_get_the_connection_from_the_environment():
    from django.db import connection

    env = backup.pg_env(
        {
            **connection.settings_dict,
            "HOST": "db.example",
            "PORT": "6543",
            "USER": "huoban",
            "PASSWORD": "s3cret",
            "NAME": "prm",
            "OPTIONS": {"sslmode": "require", "unknown": "x"},
        }
    )
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"]) == (
        "db.example",
        "6543",
        "huoban",
        "prm",
    )
    assert env["PGPASSWORD"] == "s3cret"  # in the environment, never on the command line
    assert env["PGSSLMODE"] == "require"


# --- PostgreSQL --------------------------------------------------------------------------------

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def _admin_connection() -> Any:
    import psycopg

    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def _url(name: str) -> str:
    from urllib.parse import quote

    db = settings.DATABASES["default"]
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def scratch_databases():
    """Two empty databases huoban_bk_<random> (source) and …_r (restore target), dropped after."""
    name = f"huoban_bk_{uuid.uuid4().hex[:10]}"
    names = [name, f"{name}_r"]
    with _admin_connection() as conn:
        for n in names:
            conn.execute(f'CREATE DATABASE "{n}"')
    try:
        yield names
    finally:
        with _admin_connection() as conn:
            for n in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)')


def _pg_counts(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url) as conn:
        return {
            table: conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            for table in ("partners_partner", "leads_lead", "commissions_ledgerentry")
        }


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs DATABASE_URL pointing at PostgreSQL")
def test_pg_dump_and_pg_restore_round_trip(scratch_databases, tmp_path):
    source_name, target_name = scratch_databases
    env = env_for(tmp_path, _url(source_name))
    make_source(env)
    path, manifest, _output = take_backup(env)
    assert path.parent == tmp_path / "backups"
    assert re.fullmatch(r"huoban-\d{8}T\d{6}Z\.dump", path.name)
    assert path.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert manifest["vendor"] == "postgresql" and manifest["kind"] == "pg_dump-custom"
    assert manifest["sha256"] == sha(path)
    assert manifest["ledger"]["ok"] and manifest["ledger"]["chains"] == 2
    assert manifest["row_counts"]["commissions_ledgerentry"] == 3
    # into the empty scratch database: no confirmation needed
    target_env = env_for(tmp_path, _url(target_name))
    done = huoban(target_env, "restore", str(path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert chain_heads(done.stdout) == manifest["ledger"]["heads"]
    counts = _pg_counts(_url(target_name))
    assert counts == {
        t: manifest["row_counts"][t]
        for t in ("partners_partner", "leads_lead", "commissions_ledgerentry")
    }
    verified = huoban(target_env, "ledger", "verify")
    assert verified.returncode == 0, verified.stderr
    assert chain_heads(verified.stdout) == manifest["ledger"]["heads"]
    # the source, changed since: refused without --yes, restored with it
    import psycopg

    with psycopg.connect(_url(source_name)) as conn:
        for sql in guards.drop_statements("postgresql"):
            conn.execute(sql)
        conn.execute("UPDATE commissions_ledgerentry SET amount = amount + 1 WHERE id = 1")
    assert huoban(env, "ledger", "verify").returncode == 1
    done = huoban(env, "restore", str(path))
    assert done.returncode == 2 and "would be overwritten" in done.stderr
    done = huoban(env, "restore", str(path), "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert chain_heads(huoban(env, "ledger", "verify").stdout) == manifest["ledger"]["heads"]
