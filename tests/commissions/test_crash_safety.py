"""Crash safety (issue #5): a settlement run killed in the middle loses and doubles nothing.

The rebuild is run as the real command (``huoban ledger rebuild``, with its worker processes)
against a generated data set in its own database, and killed with SIGKILL — no clean-up, no
rollback handler — after a few chunks have committed. A second run must complete the ledger so
that it is entry for entry the ledger an uninterrupted run writes on a copy of the same data,
every chain verifying. The annual settlement is checked the same way in-process: a failure in
the middle of its batches leaves whole batches, and a rerun writes each bonus exactly once.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import pytest
from django.conf import settings

from huoban import clock
from huoban.commissions import settlement
from huoban.commissions.ledger import verify_ledger
from huoban.commissions.models import LedgerEntry
from huoban.errors import Conflict
from tests.projects.helpers import ensure_policy_v1, pay, sign

HUOBAN = str(Path(sys.executable).with_name("huoban"))
ENTRY = "SELECT partner_id, event_key, kind, amount, explanation FROM commissions_ledgerentry"


class Database:
    """A scratch database of the lane's vendor (a SQLite file, or a PostgreSQL database)."""

    def __init__(self, tmp: Path, name: str) -> None:
        self.dir = tmp / name
        self.dir.mkdir()
        url = os.environ.get("DATABASE_URL", "")
        self.pg = url if urlparse(url).scheme in ("postgres", "postgresql") else None
        self.name = f"huoban_crash_{name}_{uuid.uuid4().hex[:8]}"
        if self.pg:
            self._admin(f'CREATE DATABASE "{self.name}"')

    def _url(self, db: str) -> str:
        assert self.pg
        return urlunparse(urlparse(self.pg)._replace(path=f"/{db}"))

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self._url("postgres"), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["HUOBAN_DATA_DIR"] = str(self.dir)
        if self.pg:
            env["DATABASE_URL"] = self._url(self.name)
        return env

    def copy_to(self, other: Database) -> None:
        if self.pg:
            other._admin(f'DROP DATABASE "{other.name}"')
            other._admin(f'CREATE DATABASE "{other.name}" TEMPLATE "{self.name}"')
        else:
            src = sqlite3.connect(self.dir / "huoban.sqlite3")
            dst = sqlite3.connect(other.dir / "huoban.sqlite3")
            src.backup(dst)
            src.close()
            dst.close()

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        if self.pg:
            import psycopg

            with psycopg.connect(self._url(self.name)) as conn:
                return [tuple(r) for r in conn.execute(sql).fetchall()]  # type: ignore[arg-type]
        conn = sqlite3.connect(self.dir / "huoban.sqlite3")
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()

    def drop(self) -> None:
        if self.pg:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def databases(tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    crashed, reference = Database(tmp_path, "crashed"), Database(tmp_path, "reference")
    try:
        yield crashed, reference
    finally:
        crashed.drop()
        reference.drop()


def huoban(db: Database, *args: str) -> str:
    done = subprocess.run(
        [HUOBAN, *args], env=db.env(), capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _entries(db: Database) -> list[tuple[Any, ...]]:
    return sorted((p, k, kind, str(a), e) for p, k, kind, a, e in db.rows(ENTRY))


def test_a_rebuild_killed_in_the_middle_is_completed_by_the_next_run(databases):
    crashed, reference = databases
    huoban(crashed, "bench-data", "--scale", "0.01")
    crashed.copy_to(reference)

    # The run to kill: 15 chunks of 200 projects, each printed once it has committed.
    proc = subprocess.Popen(
        [HUOBAN, "ledger", "rebuild", "--chunk", "200", "-v"],
        env=crashed.env(),
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the workers die with it
    )
    assert proc.stdout is not None
    committed = [proc.stdout.readline() for _ in range(3)]
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert all("ledger rebuild:" in line for line in committed)

    partial = len(crashed.rows(ENTRY))
    out = huoban(crashed, "ledger", "verify")  # what was committed verifies as it stands
    assert "BAD" not in out

    complete = huoban(crashed, "ledger", "rebuild")
    huoban(reference, "ledger", "rebuild")
    expected = _entries(reference)
    assert 0 < partial < len(expected)  # killed in the middle, not before or after
    assert f"{len(expected) - partial} entries appended, {partial} already there" in complete
    assert _entries(crashed) == expected  # nothing missing, nothing doubled
    assert "BAD" not in huoban(crashed, "ledger", "verify")


@pytest.mark.django_db
def test_a_settlement_failing_between_batches_is_completed_by_the_next_run(actors, monkeypatch):
    ensure_policy_v1()
    with clock.frozen(dt.date(2026, 6, 30)):
        for i, (partner, amount) in enumerate(
            [(actors.alpha, "1200000.00"), (actors.beta, "600000.00")]
        ):
            project = sign(actors.officer, partner, amount, name=f"结算客户{i}有限公司")
            pay(actors.finance, project, "1000.00", dt.date(2026, 2, 1), f"HK-{i}")
    monkeypatch.setattr(settlement, "BATCH", 1)  # alpha and beta in two transactions
    real = settlement._settle_batch
    calls = {"n": 0}

    def dies_on_the_second_batch(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise Conflict("the process died here")
        return real(*args, **kwargs)

    monkeypatch.setattr(settlement, "_settle_batch", dies_on_the_second_batch)
    with clock.frozen(dt.date(2027, 1, 5)), pytest.raises(Conflict):
        settlement.settle_year(2026, actor=actors.finance)
    first = list(LedgerEntry.objects.filter(kind="annual_bonus").values_list("partner_id"))
    assert first == [(actors.alpha.pk,)]  # the first batch committed whole, the second not

    monkeypatch.setattr(settlement, "_settle_batch", real)
    with clock.frozen(dt.date(2027, 1, 5)):
        results = {r.partner_code: r for r in settlement.settle_year(2026, actor=actors.finance)}
    assert not results[actors.alpha.code].created and results[actors.beta.code].created
    bonuses = LedgerEntry.objects.filter(kind="annual_bonus")
    assert sorted(bonuses.values_list("partner_id", flat=True)) == sorted(
        [actors.alpha.pk, actors.beta.pk]
    )
    # P = 1,200,000 (alpha, ≥ 1,000,000 → 3%) and 600,000 (beta, ≥ 500,000 → 2%): the v1
    # annual ladder on the whole P.
    assert {e.partner_id: str(e.amount) for e in bonuses} == {
        actors.alpha.pk: "36000.00",
        actors.beta.pk: "12000.00",
    }
    assert all(v.result.ok for v in verify_ledger())
    assert settings.DATABASES  # the lane's own database was used throughout
