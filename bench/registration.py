"""Lead registration with conflict detection at scale (issue #5, item 3).

    .venv/bin/python bench/registration.py --scale 1 [--submissions 1000] [--partners 300]
                                           [--runs 3] [--workers 2] [--threads 4]
    make bench-registration [BENCH_N=1] [DATABASE_URL=postgres://…]

Against ``--scale N`` (a fresh copy of ``huoban bench-data --scale N``, generated once under
``var/bench/``: 1,000,000 customers at N=1; SQLite, or PostgreSQL when DATABASE_URL names a
server) or, without it, the data ``HUOBAN_DATA_DIR`` / ``DATABASE_URL`` name, this starts
``huoban serve`` on a free port, issues bearer tokens for ``--partners`` random active partner
users (as ``huoban token`` does: no password hashing to wait for), and submits ``--submissions``
leads one after another through ``POST /api/v1/leads``, each for a random one of those partners.
The customer names are a seeded mix, a quarter each:

* **new** — a name no customer has (checked against the registry before the run);
* **exact** — the stored legal name, short name (简称) or former name of a random customer;
* **short** — 2–4 characters: a customer's short name, or the head of its normalised name;
* **misspelt** — a random customer's normalised name with one character substituted, dropped,
  or swapped with its neighbour.

It prints the client-side latency (count, p50/p95/p99/max in ms) of each run and the median of
the runs, the answers (HTTP status; matched **exact** = bound to an existing customer,
**possible** = ``needs_review``, **none** = a new customer was created) per kind of name, and
the server's settings. Every run writes leads and new customers into the database (hence the
copy with ``--scale``). Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import _server as harness

KINDS = ("new", "exact", "short", "misspelt")
CATEGORIES = ("digitalization", "xinchuang", "ai", "brand", "industry")
PLACES = ("北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "苏州")
TRADES = ("科技", "信息技术", "网络科技", "软件", "数据科技", "智能科技", "贸易", "实业", "物流")
SUFFIXES = ("有限公司", "股份有限公司", "有限责任公司")


@dataclass(frozen=True)
class Submission:
    kind: str
    name: str
    source: str  # the stored name it was made from ("" for new names)


# --- the workload (read through Django before the measurement) ---------------------------------


def partner_users(rng: random.Random, k: int) -> list[tuple[str, str]]:
    """(username, partner code) of k random active partner users."""
    from huoban.accounts.models import User

    users = list(
        User.objects.filter(role="partner", is_active=True, partner__status="active")
        .order_by("id")
        .values_list("username", "partner__code")
    )
    if not users:
        raise SystemExit("no partner users: make the data set with `huoban bench-data`")
    return rng.sample(users, min(k, len(users)))


def _existing(normalized: set[str]) -> set[str]:
    from huoban.customers.models import CustomerName

    return set(
        CustomerName.objects.filter(normalized__in=list(normalized)).values_list(
            "normalized", flat=True
        )
    )


def _random_names(rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    """(name, normalised, kind) of `count` random stored customer names."""
    from huoban.customers.models import CustomerName

    last = CustomerName.objects.order_by("-id").values_list("id", flat=True).first() or 0
    if not last:
        raise SystemExit("no customers: make the data set with `huoban bench-data`")
    rows: list[tuple[str, str, str]] = []
    while len(rows) < count:
        ids = [rng.randint(1, last) for _ in range(count - len(rows))]
        rows += list(
            CustomerName.objects.filter(pk__in=ids).values_list("name", "normalized", "kind")
        )
    rng.shuffle(rows)
    return rows[:count]


def fresh_characters() -> str:
    """Characters for new names and substitutions: the 3,755 common characters of GB 2312
    (level 1) without the 字号 characters of the generated customers — so a new name is new,
    and two new names rarely resemble each other."""
    from huoban.demo.benchdata import CORE_CHARS

    level1 = bytes(b for hi in range(0xB0, 0xD8) for lo in range(0xA1, 0xFF) for b in (hi, lo))
    chars = level1.decode("gb2312", errors="ignore")
    return "".join(sorted(set(chars) - set(CORE_CHARS)))


def _misspell(rng: random.Random, text: str, fresh: str) -> str:
    """One character substituted, dropped, or swapped with its neighbour."""
    i = rng.randrange(len(text))
    how = rng.choice(("substitute", "drop", "swap"))
    if how == "substitute":
        return text[:i] + rng.choice(fresh) + text[i + 1 :]
    if how == "drop":
        return text[:i] + text[i + 1 :]
    i = min(i, len(text) - 2)
    if text[i] == text[i + 1]:
        return text[:i] + rng.choice(fresh) + text[i + 1 :]
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def workload(rng: random.Random, count: int) -> list[Submission]:
    """The seeded mix: a quarter new names, exact names, short names and misspellings."""
    from huoban.customers.normalize import normalize_name

    per_kind = [count // 4 + (1 if k < count % 4 else 0) for k in range(4)]
    stored = _random_names(rng, sum(per_kind[1:]) * 2)
    out: list[Submission] = []

    fresh_chars = fresh_characters()
    # New names: a fresh 字号 of three characters; redrawn while the registry (or an
    # earlier run of this benchmark) already has the name.
    fresh: dict[str, str] = {}
    while len(fresh) < per_kind[0]:
        batch: dict[str, str] = {}
        while len(batch) < 2 * (per_kind[0] - len(fresh)):
            name = (
                rng.choice(PLACES)
                + "".join(rng.sample(fresh_chars, 3))
                + rng.choice(TRADES)
                + rng.choice(SUFFIXES)
            )
            batch.setdefault(normalize_name(name), name)
        taken = _existing(set(batch))
        for key, name in batch.items():
            if key not in taken and key not in fresh and len(fresh) < per_kind[0]:
                fresh[key] = name
    out += [Submission("new", name, "") for name in fresh.values()]

    pool = iter(stored)
    for _ in range(per_kind[1]):
        name, _normalized, _kind = next(pool)
        out.append(Submission("exact", name, name))
    for _ in range(per_kind[2]):
        name, normalized, kind = next(pool)
        if kind == "alias" and 2 <= len(normalized) <= 4:
            out.append(Submission("short", name, name))
        else:
            out.append(Submission("short", normalized[: rng.choice((2, 3, 4))], name))
    misspelt = 0
    while misspelt < per_kind[3]:
        name, normalized, _kind = next(pool)
        if len(normalized) < 4:
            continue
        typo = _misspell(rng, normalized, fresh_chars)
        out.append(Submission("misspelt", typo + "有限公司", name))
        misspelt += 1
    rng.shuffle(out)
    return out


def payload(rng: random.Random, s: Submission, i: int) -> dict[str, Any]:
    return {
        "customer": {"name": s.name},
        "contact": {
            "name": "基准联系人",
            "phone": f"139{i:08d}",
            "is_decision_maker": rng.random() < 0.5,
        },
        "category": rng.choice(CATEGORIES),
        "need": "基准测试：线索报备与冲突检测 / benchmark lead",
    }


def max_customer_id() -> int:
    from huoban.customers.models import Customer

    return Customer.objects.order_by("-id").values_list("id", flat=True).first() or 0


# --- the measurement -------------------------------------------------------------------------


def outcome(reply: harness.Reply, known_up_to: int) -> str:
    """exact: bound to a customer that existed before the run; possible: needs_review; none: a
    new customer was created; anything else: the HTTP status or the error."""
    if reply.status != 201:
        return f"HTTP {reply.status or reply.error}"
    body = reply.json()
    if body["status"] == "needs_review":
        return "possible"
    if body["customer_id"] is not None and body["customer_id"] <= known_up_to:
        return "exact"
    return "none"


def run_once(
    server: harness.Server,
    tokens: list[str],
    submissions: list[Submission],
    rng: random.Random,
    known_up_to: int,
) -> dict[str, Any]:
    client = harness.Http(server.url)
    latencies: list[float] = []
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    statuses: Counter[int | str] = Counter()
    lead_status: Counter[str] = Counter()
    by_kind_ms: dict[str, list[float]] = defaultdict(list)
    with harness.cpu_meter(server) as cpu:
        for i, s in enumerate(submissions):
            token = tokens[rng.randrange(len(tokens))]
            reply = client.post_json(
                "/api/v1/leads", payload(rng, s, i), {"Authorization": f"Bearer {token}"}
            )
            latencies.append(reply.ms)
            by_kind_ms[s.kind].append(reply.ms)
            statuses[reply.status or reply.error] += 1
            by_kind[s.kind][outcome(reply, known_up_to)] += 1
            if reply.status == 201:
                lead_status[reply.json()["status"]] += 1
    client.close()
    return {
        "latency_ms": harness.summary(latencies),
        "latency_ms_by_kind": {k: harness.summary(v) for k, v in sorted(by_kind_ms.items())},
        "statuses": dict(statuses),
        "lead_status": dict(lead_status),
        "outcomes": {k: dict(by_kind[k]) for k in KINDS},
        "cpu": cpu,
        "reconnects": client.reconnects,
    }


def fmt_ms(stats: dict[str, float]) -> str:
    return (
        f"n={stats['count']:<5} p50 {stats['p50']:7.1f}  p95 {stats['p95']:7.1f}  "
        f"p99 {stats['p99']:7.1f}  max {stats['max']:7.1f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--partners", type=int, default=300, help="partner users with tokens")
    parser.add_argument("--runs", type=int, default=3, help="runs (fresh names each); medians")
    harness.add_common_arguments(parser)
    args = parser.parse_args(argv)
    with harness.data_for(args.scale):
        return run(args)


def run(args: argparse.Namespace) -> int:

    harness.setup_django()
    rng = random.Random(args.seed)
    users = partner_users(rng, args.partners)
    harness.close_django()
    print(
        f"registration: {args.submissions} submissions × {args.runs} runs, "
        f"{len(users)} partner users, seed {args.seed}"
    )

    results: list[dict[str, Any]] = []
    with harness.Server(workers=args.workers, threads=args.threads) as server:
        settings = server.settings()
        print(f"server: {server.url} {settings}")
        # After the server has migrated the database: tokens are rows like any other.
        tokens = harness.issue_tokens([u for u, _code in users])
        harness.close_django()
        for r in range(1, args.runs + 1):
            # Each run's mix is drawn just before it: its new names are new after earlier runs.
            plan = workload(random.Random(args.seed * 1000 + r), args.submissions)
            known = max_customer_id()
            harness.close_django()
            load = harness.loadavg()
            result = run_once(server, tokens, plan, random.Random(args.seed + r), known)
            result["loadavg_before"] = load
            results.append(result)
            cpu = result["cpu"]
            database = f"PostgreSQL {cpu['postgres_cpu']:.1f} s, " if "postgres_cpu" in cpu else ""
            print(
                f"run {r}: {fmt_ms(result['latency_ms'])}  (load {load}; CPU: server "
                f"{cpu['server_cpu']:.1f} s, {database}client {cpu['client_cpu']:.1f} s "
                f"over {cpu['wall']:.1f} s)"
            )
        settings = server.settings()

    def med(key: str) -> float:
        return statistics.median(r["latency_ms"][key] for r in results)

    print()
    print(
        f"== registration, {settings['vendor']}, {settings['workers']} workers "
        f"({settings['worker_class']}, threads {settings['threads']}), "
        f"median of {len(results)} runs =="
    )
    print(
        f"latency ms: p50 {med('p50'):.1f}  p95 {med('p95'):.1f}  p99 {med('p99'):.1f}  "
        f"max {med('max'):.1f}   (target p95 < 50)"
    )
    last = results[-1]
    for kind in KINDS:
        ms = statistics.median(r["latency_ms_by_kind"][kind]["p95"] for r in results)
        p50 = statistics.median(r["latency_ms_by_kind"][kind]["p50"] for r in results)
        mix = ", ".join(f"{k} {v}" for k, v in sorted(last["outcomes"][kind].items()))
        print(f"  {kind:<9} p50 {p50:6.1f}  p95 {ms:6.1f} ms   last run: {mix}")
    print(f"HTTP statuses (last run): {last['statuses']}; lead status: {last['lead_status']}")
    payload_out = {
        "args": vars(args),
        "server": settings,
        "machine": harness.machine(),
        "runs": results,
    }
    path = harness.write_json("registration", payload_out)
    print(f"load average now {harness.loadavg()}; figures in {harness.relative(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
