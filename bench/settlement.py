"""Settlement at scale (issue #5, benchmark 2): rebuild every ledger, then the annual settlement.

    .venv/bin/python bench/settlement.py [--scale 1] [--runs 3] [--workers N]
    make bench-settlement [BENCH_N=1 BENCH_RUNS=3]

The data set is ``huoban bench-data --scale N`` (10,000 partners, 1,000,000 customers, 300,000
projects and 1,000,000 payments at N=1). It is generated once into ``var/bench/n<N>/`` (SQLite)
or the database ``huoban_bench_n<N>`` (when DATABASE_URL names a PostgreSQL server) and kept as
the pristine copy; every run works on a fresh copy of it (a file copy, or ``CREATE DATABASE …
TEMPLATE``), so each run starts from an empty ledger.

A run is one child process doing what finance does at year end on a ledger that has to be
rebuilt: ``rebuild_ledger()`` (every payment, refund, acceptance and cancellation replayed
through the commission rules into each partner's hash chain) and ``settle_year()`` for the last
finished year (one annual bonus per partner). The parent samples the resident memory of the
child's whole process tree (workers included) every 50 ms from /proc and prints the peak.

The floor: DuckDB reads the same tables (through its sqlite / postgres scanner, installed from
PyPI) and computes per-partner totals — payments received, the commission the end state earns by
the R-LED-4 formula, the annual performance — in one query. That is what reading the data once
costs; the ratio says how far the real run (which also writes, hashes and explains every entry)
is from it. Results go to stdout and bench/out/settlement-<timestamp>.json. Nothing asserts a
time: these machines are shared; quote medians and ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
HUOBAN = Path(sys.executable).with_name("huoban")
PAGE = os.sysconf("SC_PAGE_SIZE")


def _pg_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if urlparse(url).scheme in ("postgres", "postgresql") else None


def _with_db(url: str, name: str) -> str:
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


def _psql(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_with_db(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


# --- the data set ------------------------------------------------------------------------------


class DataSet:
    """The pristine generated data and fresh working copies of it, on SQLite or PostgreSQL."""

    def __init__(self, scale: float) -> None:
        self.scale = scale
        tag = f"n{scale:g}".replace(".", "_")
        self.pg = _pg_url()
        self.pristine_dir = ROOT / "var" / "bench" / tag
        self.pristine_db = f"huoban_bench_{tag}"
        self.work_dir = Path(tempfile.mkdtemp(prefix="huoban-settle-"))
        self.work_db = f"{self.pristine_db}_run"
        self.generated_seconds: float | None = None

    def env(self, pristine: bool = False) -> dict[str, str]:
        env = dict(os.environ)
        if self.pg:
            env["DATABASE_URL"] = _with_db(self.pg, self.pristine_db if pristine else self.work_db)
            env["HUOBAN_DATA_DIR"] = str(self.pristine_dir if pristine else self.work_dir)
        else:
            env["HUOBAN_DATA_DIR"] = str(self.pristine_dir if pristine else self.work_dir)
            env.pop("DATABASE_URL", None)
        return env

    def ensure(self) -> None:
        marker = self.pristine_dir / ("pg-generated" if self.pg else "generated")
        if marker.exists():
            return
        self.pristine_dir.mkdir(parents=True, exist_ok=True)
        if self.pg:
            _psql(self.pg, f'DROP DATABASE IF EXISTS "{self.pristine_db}"')
            _psql(self.pg, f'CREATE DATABASE "{self.pristine_db}"')
        else:
            for f in self.pristine_dir.glob("huoban.sqlite3*"):
                f.unlink()
        print(f"generating the data set (scale {self.scale:g}) …", flush=True)
        started = time.perf_counter()
        subprocess.run(
            [str(HUOBAN), "bench-data", "--scale", str(self.scale)],
            env=self.env(pristine=True),
            check=True,
        )
        self.generated_seconds = time.perf_counter() - started
        if self.pg:  # no connection may stay open on a template database
            _psql(self.pg, "SELECT 1")
        marker.write_text(f"{self.generated_seconds:.1f}\n")

    def fresh_copy(self) -> None:
        if self.pg:
            _psql(self.pg, f'DROP DATABASE IF EXISTS "{self.work_db}"')
            _psql(self.pg, f'CREATE DATABASE "{self.work_db}" TEMPLATE "{self.pristine_db}"')
            for name in ("secret_key",):
                src = self.pristine_dir / name
                if src.exists():
                    shutil.copy(src, self.work_dir / name)
            return
        for f in self.work_dir.glob("*"):
            if f.is_file():
                f.unlink()
        for f in self.pristine_dir.iterdir():
            if f.is_file() and f.name != "generated":
                shutil.copy(f, self.work_dir / f.name)

    def sqlite_file(self) -> Path:
        return self.work_dir / "huoban.sqlite3"

    def cleanup(self) -> None:
        if self.pg:
            _psql(self.pg, f'DROP DATABASE IF EXISTS "{self.work_db}"')
        shutil.rmtree(self.work_dir, ignore_errors=True)


# --- memory of a process tree ------------------------------------------------------------------


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.split("/")[2])
        parents[pid] = int(fields[1])
        rss[pid] = int(fields[21]) * PAGE
    total = 0
    for pid in rss:
        p = pid
        while p and p != root and p in parents:
            p = parents[p]
        if p == root:
            total += rss[pid]
    return total


class PeakMemory(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, _tree_rss(self.pid))
            self.done.wait(0.05)


# --- one run (child process) -------------------------------------------------------------------


def child(workers: int | None) -> None:
    """Rebuild every ledger and settle the last finished year; print JSON figures."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huoban.settings")
    import django

    django.setup()
    from huoban import clock
    from huoban.commissions.rebuild import rebuild_ledger
    from huoban.commissions.settlement import settle_year

    today = clock.today()
    started = time.perf_counter()
    report = rebuild_ledger(workers=workers)
    rebuilt = time.perf_counter()
    results = settle_year(today.year - 1, actor=None)
    settled = time.perf_counter()
    print(
        json.dumps(
            {
                "projects": report.projects,
                "payments": report.events,
                "entries": report.entries,
                "existing": report.existing,
                "rebuild_s": rebuilt - started,
                "settle_s": settled - rebuilt,
                "bonuses": sum(1 for r in results if r.created),
                "partners": len(results),
                "year": today.year - 1,
            }
        )
    )


def verify_child() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huoban.settings")
    import django

    django.setup()
    from huoban.commissions.ledger import verify_ledger

    started = time.perf_counter()
    results = verify_ledger()
    print(
        json.dumps(
            {
                "verify_s": time.perf_counter() - started,
                "chains": len(results),
                "ok": all(r.result.ok for r in results),
                "checked": sum(r.result.checked for r in results),
            }
        )
    )


def run_child(data: DataSet, args: list[str]) -> tuple[dict[str, Any], float, int]:
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, *args], env=data.env(), stdout=subprocess.PIPE, text=True
    )
    sampler = PeakMemory(proc.pid)
    sampler.start()
    out, _ = proc.communicate()
    sampler.done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"run failed ({proc.returncode})")
    return json.loads(out.strip().splitlines()[-1]), time.perf_counter() - started, sampler.peak


# --- the DuckDB floor --------------------------------------------------------------------------

FLOOR_SQL = """
WITH pay AS (
    SELECT project_id,
           SUM(CASE WHEN kind = 'payment' THEN amount ELSE -amount END) AS received,
           COUNT(*) FILTER (WHERE kind = 'payment') AS payments
    FROM {s}.projects_customerpayment GROUP BY project_id
), proj AS (
    SELECT p.partner_id, p.status, p.signed_on,
           CAST(p.contract_amount AS DOUBLE) AS a, CAST(p.rate AS DOUBLE) AS r,
           COALESCE(CAST(pay.received AS DOUBLE), 0) AS rcv, COALESCE(pay.payments, 0) AS n
    FROM {s}.projects_project p LEFT JOIN pay ON pay.project_id = p.id
)
SELECT partner_id,
       COUNT(*) AS projects,
       SUM(n) AS payments,
       SUM(rcv) AS received,
       SUM(CASE WHEN n = 0 THEN 0
                WHEN status = 'accepted'
                    THEN LEAST(ROUND(r * a, 2), GREATEST(ROUND(0.08 * a, 2), ROUND(r * rcv, 2)))
                ELSE LEAST(ROUND(r * a, 2), ROUND(0.08 * a, 2)) END) AS commission,
       SUM(CASE WHEN year(signed_on) = {year} AND status <> 'cancelled' THEN a ELSE 0 END)
           AS performance
FROM proj GROUP BY partner_id
"""


def _extension(name: str) -> str:
    import importlib

    package = importlib.import_module(f"duckdb_extension_{name}")
    path = Path(package.__file__).parent  # type: ignore[arg-type]
    return str(next(path.glob(f"extensions/*/{name}.duckdb_extension")))


def duckdb_floor(data: DataSet, year: int, runs: int) -> tuple[float, int]:
    """Median seconds of the per-partner totals query, and the number of partners it found."""
    import duckdb

    times, rows = [], 0
    for _ in range(runs):
        con = duckdb.connect()
        con.execute("SET threads TO 2")
        if data.pg:
            con.execute(f"LOAD '{_extension('postgres_scanner')}'")
            url = urlparse(_with_db(data.pg, data.work_db))
            dsn = f"dbname={data.work_db} host={url.hostname} port={url.port or 5432}"
            dsn += f" user={url.username or 'postgres'}"
            con.execute(f"ATTACH '{dsn}' AS s (TYPE postgres, READ_ONLY)")
        else:
            con.execute(f"LOAD '{_extension('sqlite_scanner')}'")
            con.execute(f"ATTACH '{data.sqlite_file()}' AS s (TYPE sqlite, READ_ONLY)")
        started = time.perf_counter()
        rows = len(con.execute(FLOOR_SQL.format(s="s", year=year)).fetchall())
        times.append(time.perf_counter() - started)
        con.close()
    return statistics.median(times), rows


# --- main --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None, help="default: rebuild's own")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--verify-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.workers)
        return
    if args.verify_child:
        verify_child()
        return

    data = DataSet(args.scale)
    data.ensure()
    vendor = "postgresql" if data.pg else "sqlite"
    extra = [] if args.workers is None else ["--workers", str(args.workers)]
    runs: list[dict[str, Any]] = []
    try:
        for i in range(args.runs):
            data.fresh_copy()
            figures, wall, peak = run_child(data, ["--child", *extra])
            figures.update(wall_s=wall, peak_mb=peak / 2**20)
            figures["payments_per_s"] = figures["payments"] / (
                figures["rebuild_s"] + figures["settle_s"]
            )
            runs.append(figures)
            print(
                f"run {i + 1}: rebuild {figures['rebuild_s']:.1f} s "
                f"({figures['entries']} entries), settlement {figures['settle_s']:.1f} s "
                f"({figures['bonuses']} bonuses), {figures['payments_per_s']:,.0f} payments/s, "
                f"peak {figures['peak_mb']:.0f} MB, load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
        verified, _, _ = run_child(data, ["--verify-child"])
        floor, partners = duckdb_floor(data, runs[-1]["year"], max(3, args.runs))
    finally:
        data.cleanup()

    total = statistics.median(r["rebuild_s"] + r["settle_s"] for r in runs)
    summary = {
        "vendor": vendor,
        "scale": args.scale,
        "cores": os.cpu_count(),
        "generated_s": data.generated_seconds,
        "runs": runs,
        "median_total_s": total,
        "median_rebuild_s": statistics.median(r["rebuild_s"] for r in runs),
        "median_settle_s": statistics.median(r["settle_s"] for r in runs),
        "median_payments_per_s": statistics.median(r["payments_per_s"] for r in runs),
        "max_peak_mb": max(r["peak_mb"] for r in runs),
        "verify": verified,
        "duckdb_floor_s": floor,
        "duckdb_partners": partners,
        "ratio_to_floor": total / floor if floor else None,
    }
    print()
    print(f"settlement benchmark — {vendor}, scale {args.scale:g}, {os.cpu_count()} cores")
    if data.generated_seconds is not None:
        print(f"  data set generated in          {data.generated_seconds:8.1f} s")
    r0 = runs[0]
    print(
        f"  data: {r0['partners']} partners, {r0['projects']} projects, "
        f"{r0['payments']} payments; {r0['entries']} ledger entries, {r0['bonuses']} bonuses"
    )
    print(f"  rebuild + annual settlement    {total:8.1f} s   (median of {len(runs)})")
    print(f"    rebuild                      {summary['median_rebuild_s']:8.1f} s")
    print(f"    annual settlement            {summary['median_settle_s']:8.1f} s")
    print(f"  payments per second            {summary['median_payments_per_s']:10,.0f}")
    print(f"  peak memory (process tree)     {summary['max_peak_mb']:8.0f} MB")
    print(
        f"  ledger verify                  {verified['verify_s']:8.1f} s   "
        f"({verified['checked']} entries, {verified['chains']} chains, ok={verified['ok']})"
    )
    print(f"  DuckDB floor (read once)       {floor:8.2f} s   ({partners} partners)")
    print(f"  ratio run / floor              {summary['ratio_to_floor']:8.1f} ×")
    OUT.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = OUT / f"settlement-{vendor}-{stamp}.json"
    path.write_text(json.dumps(summary, indent=2))
    print(f"  → {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
