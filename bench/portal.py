"""The partner portal under load (issue #5, item 4).

    .venv/bin/python bench/portal.py --scale 1 [--clients 50] [--seconds 60] [--partners 100]
                                     [--runs 1] [--workers 2] [--threads 4]
    make bench-portal [BENCH_N=1] [DATABASE_URL=postgres://…]

Against ``--scale N`` (a fresh copy of ``huoban bench-data --scale N`` with its ledger,
generated once under ``var/bench/``; SQLite, or PostgreSQL when DATABASE_URL names a server) or,
without it, the data ``HUOBAN_DATA_DIR`` / ``DATABASE_URL`` name, this starts ``huoban serve``
on a free port, signs ``--partners`` random partner users in through the login form (``/login/``
with its CSRF token: a session cookie each) and issues each an API token (as ``huoban token``
does). Then ``--clients`` threads, each with its own keep-alive connection, loop for
``--seconds`` without pause: pick a random one of those partners and GET either its portal home
page (``/portal/``, session cookie) or its ledger (``GET /api/v1/partners/{code}/ledger``,
bearer token), half and half. A warm-up of ``--warmup`` seconds comes first and is not counted.

Printed: requests per second, p50/p95/p99/max latency (client side, ms) overall and per page,
errors by kind (an HTTP status other than 200, or the exception), and the CPU the client
itself used next to the server's — the two share the machine. With ``--runs`` > 1 the medians
of the runs. Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import _server as harness

PASSWORD = "huoban-bench-2026"  # huoban.demo.benchdata.BENCH_PASSWORD
PAGES = ("home", "ledger")


def partner_users(rng: random.Random, k: int) -> list[tuple[str, str]]:
    """(username, partner code) of k random partner users (exited partners included: their
    portal stays readable, R-EXIT-1)."""
    from huoban.accounts.models import User

    users = list(
        User.objects.filter(role="partner", is_active=True)
        .order_by("id")
        .values_list("username", "partner__code")
    )
    if not users:
        raise SystemExit("no partner users: make the data set with `huoban bench-data`")
    return rng.sample(users, min(k, len(users)))


class Partner:
    def __init__(self, username: str, code: str, cookies: dict[str, str], token: str) -> None:
        self.username, self.code, self.token = username, code, token
        self.cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())


def client_loop(
    url: str,
    partners: list[Partner],
    seed: int,
    start: threading.Event,
    measure_from: list[float],
    stop_at: list[float],
    samples: list[tuple[str, int | str, float]],
) -> None:
    """One client: requests back to back until stop_at; samples after measure_from count."""
    rng = random.Random(seed)
    http = harness.Http(url)
    start.wait()
    while True:
        now = time.perf_counter()
        if now >= stop_at[0]:
            break
        p = partners[rng.randrange(len(partners))]
        page = PAGES[rng.randrange(2)]
        if page == "home":
            reply = http.get("/portal/", {"Cookie": p.cookie})
        else:
            reply = http.get(
                f"/api/v1/partners/{p.code}/ledger", {"Authorization": f"Bearer {p.token}"}
            )
        if now >= measure_from[0]:
            samples.append((page, reply.status or reply.error, reply.ms))
    http.close()


def run_once(
    server: harness.Server, partners: list[Partner], args: argparse.Namespace, run: int
) -> dict[str, Any]:
    start = threading.Event()
    measure_from, stop_at = [0.0], [0.0]  # set when the clients are released
    per_client: list[list[tuple[str, int | str, float]]] = [[] for _ in range(args.clients)]
    threads = [
        threading.Thread(
            target=client_loop,
            args=(
                server.url,
                partners,
                args.seed * 1000 + run * 100 + i,
                start,
                measure_from,
                stop_at,
                per_client[i],
            ),
            daemon=True,
        )
        for i in range(args.clients)
    ]
    for t in threads:
        t.start()
    load_before = harness.loadavg()
    now = time.perf_counter()
    measure_from[0], stop_at[0] = now + args.warmup, now + args.warmup + args.seconds
    start.set()
    time.sleep(args.warmup)
    with harness.cpu_meter(server) as cpu:
        time.sleep(max(0.0, stop_at[0] - time.perf_counter()))
    for t in threads:
        t.join(timeout=120)
    samples = [s for chunk in per_client for s in chunk]
    ok = [ms for _page, status, ms in samples if status == 200]
    errors = Counter(f"{page} {status}" for page, status, _ms in samples if status != 200)
    result: dict[str, Any] = {
        "requests": len(samples),
        "rps": len(samples) / cpu["wall"],
        "latency_ms": harness.summary([ms for _p, _s, ms in samples]),
        "latency_ms_ok": harness.summary(ok),
        "by_page": {
            page: harness.summary([ms for p, _s, ms in samples if p == page]) for page in PAGES
        },
        "errors": dict(errors),
        "cpu": cpu,
        "loadavg_before": load_before,
        "loadavg_after": harness.loadavg(),
    }
    return result


def fmt_ms(stats: dict[str, float]) -> str:
    return (
        f"p50 {stats['p50']:7.1f}  p95 {stats['p95']:7.1f}  p99 {stats['p99']:7.1f}  "
        f"max {stats['max']:7.1f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent client threads")
    parser.add_argument("--seconds", type=float, default=60.0, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds not counted")
    parser.add_argument("--partners", type=int, default=100, help="partner users signed in")
    parser.add_argument("--runs", type=int, default=1, help="runs; medians")
    harness.add_common_arguments(parser)
    args = parser.parse_args(argv)
    with harness.data_for(args.scale):
        return run(args)


def run(args: argparse.Namespace) -> int:

    harness.setup_django()
    users = partner_users(random.Random(args.seed), args.partners)
    harness.close_django()
    print(
        f"portal: {args.clients} clients × {args.seconds:.0f} s (+{args.warmup:.0f} s warm-up)"
        f" × {args.runs} runs, {len(users)} partners, seed {args.seed}"
    )

    results: list[dict[str, Any]] = []
    with harness.Server(workers=args.workers, threads=args.threads) as server:
        settings = server.settings()
        print(f"server: {server.url} {settings}")
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=4) as pool:
            sessions = [*pool.map(lambda u: harness.web_login(server.url, u[0], PASSWORD), users)]
        tokens = harness.issue_tokens([u for u, _code in users])
        harness.close_django()
        partners = [
            Partner(u, code, cookies, token)
            for (u, code), cookies, token in zip(users, sessions, tokens, strict=True)
        ]
        print(f"signed in {len(partners)} partners in {time.perf_counter() - started:.1f} s")
        for r in range(1, args.runs + 1):
            result = run_once(server, partners, args, r)
            results.append(result)
            cpu = result["cpu"]
            print(
                f"run {r}: {result['requests']} requests, {result['rps']:.1f} rps, "
                f"{fmt_ms(result['latency_ms'])}, errors {sum(result['errors'].values())}; "
                f"CPU over {cpu['wall']:.0f} s: server {cpu['server_cpu']:.1f} s, "
                f"client {cpu['client_cpu']:.1f} s; load {result['loadavg_before']}"
            )
        settings = server.settings()

    def med(path: tuple[str, ...]) -> float:
        values = []
        for r in results:
            value: Any = r
            for key in path:
                value = value[key]
            values.append(value)
        return statistics.median(values)

    print()
    print(
        f"== portal, {settings['vendor']}, {settings['workers']} workers "
        f"({settings['worker_class']}, threads {settings['threads']}), {args.clients} clients, "
        f"median of {len(results)} runs =="
    )
    failed = sum(sum(r["errors"].values()) for r in results)
    print(
        f"throughput: {med(('rps',)):.1f} requests/s   errors: {failed} in "
        f"{sum(r['requests'] for r in results)} requests"
    )
    print(
        f"latency all:    p50 {med(('latency_ms', 'p50')):6.1f}  "
        f"p95 {med(('latency_ms', 'p95')):6.1f}  p99 {med(('latency_ms', 'p99')):6.1f} ms"
        f"   (target p95 < 150)"
    )
    for page in PAGES:
        print(
            f"  {page:<7} p50 {med(('by_page', page, 'p50')):6.1f}  "
            f"p95 {med(('by_page', page, 'p95')):6.1f}  "
            f"p99 {med(('by_page', page, 'p99')):6.1f} ms"
        )
    errors: Counter[str] = Counter()
    for r in results:
        errors.update(r["errors"])
    print(f"errors by kind: {dict(errors) or 'none'}")
    client_share = med(("cpu", "client_cpu")) / med(("cpu", "wall"))
    server_share = med(("cpu", "server_cpu")) / med(("cpu", "wall"))
    per_request = med(("cpu", "server_cpu")) / med(("requests",)) * 1000
    database = ""
    if "postgres_cpu" in results[0]["cpu"]:
        database = f", PostgreSQL {med(('cpu', 'postgres_cpu')) / med(('cpu', 'wall')):.2f} cores"
    print(
        f"CPU: client {client_share:.2f} cores, server {server_share:.2f} cores{database} "
        f"(of {os.cpu_count()}), server {per_request:.1f} ms CPU per request"
    )
    path = harness.write_json(
        "portal",
        {"args": vars(args), "server": settings, "machine": harness.machine(), "runs": results},
    )
    print(f"load average now {harness.loadavg()}; figures in {harness.relative(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
