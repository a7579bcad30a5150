"""Page times with the demo data ×N (issue #4: "Pages stay fast with the demo data ×100").

    .venv/bin/python bench/pages.py [--scale 100] [--runs 7] [--seed 1]
    make bench-pages [BENCH_SCALE=100 BENCH_RUNS=7]

A fresh database (SQLite in a temporary HUOBAN_DATA_DIR; or, when DATABASE_URL names a
PostgreSQL server, a database ``huoban_bench_pages`` created and dropped there) is migrated and
the demo loaded. The main pages are then measured twice in the same process: on the demo as
loaded (scale 1), and after multiplying it ×scale (``scaledemo.py``). Each page is requested
once to warm up, once under ``CaptureQueriesContext`` to count its queries, then ``--runs``
times with the clock running.

The machine is shared and noisy, so the figure to read is the *ratio* of a page's median at
×scale to its median at ×1 in the same run, and whether its query count grows with the data
(a sign of N+1). Partner pages are measured for 极峰科技 CP001, which owns ×scale its demo
volume, and for a randomly chosen partner with an ordinary (demo-sized) volume among ×scale
partners. Results go to stdout and to bench/out/pages-<timestamp>.json.

Not a test: nothing here asserts a time. pytest never collects it (testpaths = tests).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import math
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

BENCH_DB = "huoban_bench_pages"
HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
# Flags in the table: a page is "slow" above this median at ×scale, and "grows" when its
# median at ×scale is at least this many times its median at ×1.
SLOW_MS = 300.0
GROWTH = 2.0


# --- the database ----------------------------------------------------------------------------


def prepare_environment(data_dir: str) -> Callable[[], None]:
    """Point Django at a fresh database before it is set up; return the clean-up."""
    os.environ["HUOBAN_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huoban.settings")
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return lambda: None
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit("DATABASE_URL: only PostgreSQL here; unset it to measure SQLite")
    import psycopg

    maintenance = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    os.environ["DATABASE_URL"] = urlunparse(parsed._replace(path=f"/{BENCH_DB}"))

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")

    return drop


# --- what is measured ------------------------------------------------------------------------


@dataclass
class Subject:
    """A partner whose own pages are measured, and the objects its detail pages show."""

    role: str  # "big" (CP001, ×scale volume) or "random" (demo volume among ×scale partners)
    partner: Any
    user: Any
    lead: Any
    project: Any
    month: tuple[int, int] | None
    token: str = ""

    @property
    def label(self) -> str:
        return f"{self.partner.code}"


@dataclass
class Page:
    key: str  # stable across scales: "portal home [big]"
    area: str
    who: str  # the subject's code, or the staff user name
    username: str
    url: str
    method: str = "get"  # "post" only for read-only actions (the chain verifications)


@dataclass
class Measure:
    key: str
    area: str
    who: str
    url: str
    status: int = 0
    error: str = ""
    queries: int = 0
    samples_ms: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms) if self.samples_ms else math.nan

    @property
    def p95(self) -> float:
        """Nearest-rank 95th percentile (with 7 runs: the slowest)."""
        if not self.samples_ms:
            return math.nan
        ordered = sorted(self.samples_ms)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _template_lead(partner: Any) -> Any:
    from huoban.leads.models import Lead

    leads = Lead.objects.filter(partner=partner).order_by("pk")
    return leads.filter(status="valid").first() or leads.first()


def demo_subjects(rng: random.Random) -> list[Subject]:
    """At ×1: CP001, and a random one of the other demo partners (the template of the random
    clone measured at ×scale)."""
    from scaledemo import BIG_PARTNER_CODE

    from huoban.accounts.models import Role, User
    from huoban.partners.models import Partner

    big = Partner.objects.get(code=BIG_PARTNER_CODE)
    others = list(Partner.objects.exclude(pk=big.pk).filter(users__isnull=False).distinct())
    chosen = rng.choice(sorted(others, key=lambda p: p.code))
    subjects = []
    for role, partner in (("big", big), ("random", chosen)):
        user = User.objects.filter(partner=partner, role=Role.PARTNER).order_by("pk").first()
        lead = _template_lead(partner)
        project = partner.projects.order_by("pk").first()
        entry = partner.ledger_entries.order_by("-earned_on", "-pk").first()
        month = (entry.earned_on.year, entry.earned_on.month) if entry else None
        subjects.append(Subject(role, partner, user, lead, project, month))
    return subjects


def scaled_subjects(demo: list[Subject], strides: dict[str, int], k_random: int, last: int):
    """The same subjects at ×scale: CP001's objects from the last copy, the random partner's
    clone from copy ``k_random`` (ids are ``old + k × stride``, see scaledemo)."""
    from huoban.accounts.models import User
    from huoban.leads.models import Lead
    from huoban.partners.models import Partner
    from huoban.projects.models import Project

    def moved(obj: Any, model: Any, k: int) -> Any:
        if obj is None:
            return None
        return model.objects.get(pk=obj.pk + k * strides[model._meta.label])

    out = []
    for s in demo:
        if s.role == "big":
            k, partner, user = last, s.partner, s.user
        else:
            k = k_random
            partner = moved(s.partner, Partner, k)
            user = moved(s.user, User, k)
        out.append(
            Subject(
                s.role,
                partner,
                user,
                moved(s.lead, Lead, k),
                moved(s.project, Project, k),
                s.month,
            )
        )
    return out


def pages_for(subjects: list[Subject]) -> list[Page]:
    """Every page measured, resolved against the URLconf as it is now (missing ones skip)."""
    from django.urls import NoReverseMatch, reverse

    pages: list[Page] = []

    def add(key: str, area: str, who: str, username: str, name: str, **kwargs: Any) -> None:
        query = kwargs.pop("query", "")
        method = kwargs.pop("method", "get")
        try:
            url = reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            print(f"  (no page {name}: skipped)")
            return
        pages.append(Page(key, area, who, username, url + query, method))

    for s in subjects:
        u, w, r = s.user.username, s.partner.code, s.role
        add(f"portal home [{r}]", "portal", w, u, "portal:home")
        add(f"portal leads [{r}]", "portal", w, u, "portal:leads")
        if s.lead is not None:
            add(f"portal lead detail [{r}]", "portal", w, u, "portal:lead", lead_id=s.lead.pk)
        add(
            f"portal name check [{r}]",
            "portal",
            w,
            u,
            "portal:name_check",
            query="?customer_name=东义集团",
        )
        add(f"portal customers [{r}]", "portal", w, u, "portal:customers")
        add(f"portal projects [{r}]", "portal", w, u, "portal:projects")
        if s.project is not None:
            add(
                f"portal project detail [{r}]",
                "portal",
                w,
                u,
                "portal:project",
                project_id=s.project.pk,
            )
        add(f"portal ledger [{r}]", "portal", w, u, "portal:ledger")
        add(
            f"portal ledger verify (POST) [{r}]",
            "portal",
            w,
            u,
            "portal:ledger_verify",
            method="post",
        )
        add(f"portal statements [{r}]", "portal", w, u, "portal:statements")
        if s.month is not None:
            y, m = s.month
            add(
                f"portal statement {y}-{m:02d} [{r}]",
                "portal",
                w,
                u,
                "portal:statement",
                year=f"{y}",
                month=f"{m:02d}",
            )
    big = subjects[0]
    add("console lead queue", "console", "officer", "officer", "console:queue")
    add("console second reviews", "console", "officer", "officer", "console:reviews")
    if big.lead is not None:
        add(
            "console lead detail",
            "console",
            "officer",
            "officer",
            "console:lead",
            lead_id=big.lead.pk,
        )
        if big.lead.customer_id is not None:
            add(
                "console customer detail",
                "console",
                "officer",
                "officer",
                "console:customer",
                customer_id=big.lead.customer_id,
            )
    add("console customer lookup", "console", "officer", "officer", "console:lookup")
    add(
        "console lookup 东义集团",
        "console",
        "officer",
        "officer",
        "console:lookup",
        query="?name=东义集团",
    )
    add("console partners", "console", "admin", "admin", "console:partners")
    for s in subjects:
        add(
            f"console partner 360 [{s.role}]",
            "console",
            "admin",
            "admin",
            "console:partner",
            code=s.partner.code,
        )
    add("console projects", "console", "admin", "admin", "console:projects")
    add("console project board", "console", "pm", "pm", "console:board")
    if big.project is not None:
        add(
            "console project detail",
            "console",
            "admin",
            "admin",
            "console:project",
            project_id=big.project.pk,
        )
    add("console finance approvals", "console", "finance", "finance", "console:finance")
    add("console finance payouts", "console", "finance", "finance", "console:payouts")
    add("console finance settlement", "console", "finance", "finance", "console:settlement")
    add("console ledger verify page", "console", "finance", "finance", "console:verify")
    add(
        "console ledger verify (POST, all)",
        "console",
        "finance",
        "finance",
        "console:verify",
        method="post",
    )
    add("console dashboard", "console", "admin", "admin", "console:dashboard")
    for s in subjects:
        pages.append(
            Page(f"api leads [{s.role}]", "api", s.partner.code, s.user.username, "/api/v1/leads")
        )
        pages.append(
            Page(
                f"api partner ledger [{s.role}]",
                "api",
                s.partner.code,
                s.user.username,
                f"/api/v1/partners/{s.partner.code}/ledger",
            )
        )
    pages.append(Page("api leads (officer, all)", "api", "officer", "officer", "/api/v1/leads"))
    return pages


# --- measuring -------------------------------------------------------------------------------


class Browsers:
    """One logged-in test client per user, and one API token per user."""

    def __init__(self) -> None:
        self.clients: dict[str, Any] = {}
        self.tokens: dict[str, str] = {}

    def client(self, username: str) -> Any:
        from django.test import Client

        from huoban.accounts.models import User

        if username not in self.clients:
            client = Client()
            client.force_login(User.objects.get(username=username))
            self.clients[username] = client
        return self.clients[username]

    def token(self, username: str) -> str:
        from huoban.accounts.models import User
        from huoban.accounts.services import issue_token

        if username not in self.tokens:
            self.tokens[username] = issue_token(User.objects.get(username=username), "bench")
        return self.tokens[username]


def requester(page: Page, browsers: Browsers) -> Callable[[], Any]:
    """A no-argument function that makes the page's request as its user."""
    client = browsers.client(page.username)
    headers = {}
    if page.area == "api":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {browsers.token(page.username)}"
    send = client.post if page.method == "post" else client.get
    return lambda: send(page.url, **headers)


def measure(pages: list[Page], browsers: Browsers, runs: int) -> dict[str, Measure]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Warm every page once first, so no page pays for a module or template another page
    # shares (imports, compiled templates, translation catalogues).
    for page in pages:
        try:
            requester(page, browsers)()
        except Exception:  # reported below, page by page
            pass
    results: dict[str, Measure] = {}
    for page in pages:
        m = results[page.key] = Measure(page.key, page.area, page.who, page.url)
        get = requester(page, browsers)
        gc.collect()
        try:
            m.status = get().status_code  # warm-up: this page's own caches
            with CaptureQueriesContext(connection) as queries:
                get()
            m.queries = len(queries)
            for _ in range(runs):
                started = time.perf_counter()
                get()
                m.samples_ms.append((time.perf_counter() - started) * 1000)
        except Exception as e:  # a page under construction must not stop the others
            m.error = f"{type(e).__name__}: {e}"[:200]
        line = f"{m.median:8.1f} ms  {m.queries:4d} q" if not m.error else m.error
        print(f"  {pad(page.key, 36)} {line}" + (f"  HTTP {m.status}" if m.status != 200 else ""))
    return results


def profile(pages: list[Page], browsers: Browsers, runs: int, pattern: str) -> None:
    """For the pages whose key contains ``pattern`` (or one of its comma-separated parts):
    where the time goes (cProfile, cumulative) and which SQL repeats (the same statement with
    other numbers: an N+1)."""
    import cProfile
    import pstats
    import re
    from collections import Counter

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    wanted = [p.strip().lower() for p in pattern.split(",") if p.strip()]
    for page in pages:
        if not any(w in page.key.lower() for w in wanted):
            continue
        get = requester(page, browsers)
        with CaptureQueriesContext(connection) as queries:
            get()
        shapes = Counter(re.sub(r"\b\d+\b|'[^']*'", "?", q["sql"]) for q in queries)
        sql_ms = sum(float(q["time"]) for q in queries) * 1000
        print(f"\n== profile: {page.key} {page.url} ({len(queries)} queries, {sql_ms:.1f} ms SQL)")
        for shape, n in shapes.most_common(3):
            if n > 1:
                print(f"  repeated ×{n}: {shape[:300]}")
        for q in sorted(queries, key=lambda q: -float(q["time"]))[:3]:
            print(f"  slowest {float(q['time']) * 1000:.1f} ms: {q['sql'][:300]}")
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(runs):
            get()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


# --- the report ------------------------------------------------------------------------------


def pad(text: str, width: int) -> str:
    """Left-justify for a terminal: CJK characters take two columns."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - columns)


def flags(one: Measure, many: Measure) -> list[str]:
    out = []
    if many.error or one.error:
        out.append("ERROR")
    if many.status != 200:
        out.append(f"HTTP {many.status}")
    if many.queries > one.queries:
        out.append(f"queries grow {one.queries}→{many.queries}")
    ratio = many.median / one.median if one.median else math.nan
    if ratio >= GROWTH:
        out.append(f"time grows ×{ratio:.1f}")
    if many.median >= SLOW_MS:
        out.append(f"slow (≥{SLOW_MS:.0f} ms)")
    return out


def table(scale: int, one: dict[str, Measure], many: dict[str, Measure]) -> list[dict[str, Any]]:
    rows = []
    header = (
        f"{'page':<36} {'who':<8} {'×1 med':>8} {f'×{scale} med':>9} {f'×{scale} p95':>9} "
        f"{'ratio':>6} {'queries':>9}  flags"
    )
    print(header)
    print("-" * len(header))
    for key, m in many.items():
        o = one.get(key)
        if o is None:
            continue
        ratio = m.median / o.median if o.median else math.nan
        f = flags(o, m)
        queries = f"{o.queries}→{m.queries}" if o.queries != m.queries else f"{m.queries}"
        print(
            f"{pad(key, 36)} {m.who:<8} {o.median:8.1f} {m.median:9.1f} {m.p95:9.1f} "
            f"{ratio:5.2f}× {queries:>9}  {', '.join(f)}"
        )
        rows.append(
            {
                "page": key,
                "area": m.area,
                "who": m.who,
                "url_x1": o.url,
                "url_scaled": m.url,
                "median_ms_x1": round(o.median, 2),
                "p95_ms_x1": round(o.p95, 2),
                "median_ms_scaled": round(m.median, 2),
                "p95_ms_scaled": round(m.p95, 2),
                "ratio": round(ratio, 3),
                "queries_x1": o.queries,
                "queries_scaled": m.queries,
                "status_scaled": m.status,
                "samples_ms_x1": [round(x, 2) for x in o.samples_ms],
                "samples_ms_scaled": [round(x, 2) for x in m.samples_ms],
                "flags": f,
                "error": m.error or o.error,
            }
        )
    print(
        f"\nratio = median at ×{scale} ÷ median at ×1, same process; p95 is nearest-rank. "
        f"Flags: queries grow (N+1), time grows ×≥{GROWTH:g}, slow ≥{SLOW_MS:.0f} ms."
    )
    return rows


def row_counts() -> dict[str, int]:
    from huoban.commissions.models import LedgerEntry
    from huoban.customers.models import Customer
    from huoban.leads.models import Lead
    from huoban.partners.models import Partner
    from huoban.projects.models import CustomerPayment, Project

    return {
        m._meta.label: m._default_manager.count()
        for m in (Partner, Customer, Lead, Project, CustomerPayment, LedgerEntry)
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=100, help="multiply the demo (default 100)")
    parser.add_argument("--runs", type=int, default=7, help="timed requests per page (default 7)")
    parser.add_argument("--seed", type=int, default=1, help="picks the random partner")
    parser.add_argument(
        "--profile",
        metavar="TEXT",
        help="after the table, profile the ×scale pages whose name contains TEXT (a,b: either)",
    )
    args = parser.parse_args(argv)
    if args.scale < 2 or args.runs < 1:
        parser.error("--scale must be ≥ 2 and --runs ≥ 1")
    started = time.perf_counter()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="huoban-bench-") as data_dir:
        cleanup = prepare_environment(data_dir)
        try:
            return run(args, rng, started)
        finally:
            cleanup()


def run(args: argparse.Namespace, rng: random.Random, started: float) -> int:
    import django

    django.setup()
    import scaledemo
    from django.core.management import call_command
    from django.db import connection

    from huoban.demo.load import load_demo

    timings: dict[str, float] = {}
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    timings["migrate_s"] = time.perf_counter() - t
    t = time.perf_counter()
    load_demo()
    timings["demo_s"] = time.perf_counter() - t
    print(
        f"huoban page benchmark: {connection.vendor}, scale ×{args.scale}, {args.runs} runs/page "
        f"(migrate {timings['migrate_s']:.1f} s, demo {timings['demo_s']:.1f} s)"
    )

    browsers = Browsers()
    demo = demo_subjects(rng)
    print(f"\n== ×1: the demo as loaded {row_counts()}")
    one = measure(pages_for(demo), browsers, args.runs)

    report = scaledemo.multiply(args.scale)
    timings["multiply_s"] = report.seconds
    t = time.perf_counter()
    problems = scaledemo.check_invariants()
    timings["check_s"] = time.perf_counter() - t
    counts = row_counts()
    print(f"\n== ×{args.scale}: multiplied in {report.seconds:.1f} s {counts}")
    if problems:
        for p in problems:
            print(f"  INVARIANT BROKEN: {p}")
        return 2
    k_random = rng.randrange(1, args.scale)
    scaled = scaled_subjects(demo, report.strides, k_random, args.scale - 1)
    print(
        "  subjects: " + ", ".join(f"{s.role} = {s.partner.code} {s.partner.name}" for s in scaled)
    )
    scaled_pages = pages_for(scaled)
    many = measure(scaled_pages, browsers, args.runs)

    print()
    rows = table(args.scale, one, many)
    timings["total_s"] = time.perf_counter() - started
    print(f"total {timings['total_s']:.0f} s")
    if args.profile:
        profile(scaled_pages, browsers, args.runs, args.profile)

    OUT.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = OUT / f"pages-{stamp}.json"
    path.write_text(
        json.dumps(
            {
                "benchmark": "pages",
                "at": dt.datetime.now(dt.UTC).isoformat(),
                "scale": args.scale,
                "runs": args.runs,
                "seed": args.seed,
                "database": connection.vendor,
                "python": platform.python_version(),
                "machine": platform.platform(),
                "cpus": os.cpu_count(),
                "timings": {k: round(v, 2) for k, v in timings.items()},
                "rows_x1": report.rows_before,
                "rows_scaled": counts,
                "rows_written": report.rows,
                "subjects": {
                    "x1": [asdict_subject(s) for s in demo],
                    "scaled": [asdict_subject(s) for s in scaled],
                },
                "thresholds": {"slow_ms": SLOW_MS, "growth": GROWTH},
                "pages": rows,
            },
            ensure_ascii=False,
            indent=1,
        )
    )
    print(f"written {path.relative_to(HERE.parent)}")
    return 0


def asdict_subject(s: Subject) -> dict[str, Any]:
    return {
        "role": s.role,
        "partner": f"{s.partner.code} {s.partner.name}",
        "user": s.user.username,
        "lead": getattr(s.lead, "pk", None),
        "project": getattr(s.project, "pk", None),
        "month": s.month,
    }


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))  # scaledemo
    sys.exit(main())
