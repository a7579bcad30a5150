"""Customer matching on real company names (issue #13).

    .venv/bin/python bench/matching.py [--scale 1] [--compare REV] [--runs 3]
    make bench-matching [BENCH_N=1] [DATABASE_URL=postgres://…]

The evaluation set is ``bench/data/listed_companies_cn.tsv``: 2,774 companies listed in
Shanghai and Shenzhen, each with its full legal name and its exchange short name (证券简称), as
published by the exchanges (source and licence: ``bench/data/README.md``). Sorted by stock code,
every third company is held out; the others are **registered** by their full legal names, in
code order, each first looked up (``match_customer``) as a partner's submission would be, then
stored as a new customer (its place-kept key if its key is taken, as ``get_or_create_customer``
does). Then these lookups are made, each through ``match_customer``:

* **full** — every registered full name: must come back ``exact`` with its own customer;
* **substring** — the short name of a registered company, where it is a plain substring of the
  full name (格力电器 in 珠海格力电器股份有限公司): *found* when ``exact`` or ``possible`` names
  its own customer;
* **abbreviation** — the other short names (中国石化 for 中国石油化工股份有限公司, 包钢股份);
  for both, *found or named beside* also counts a ``possible`` answer that names its own
  customer beside the first (``Match.also``: every customer within 8 points of the best and
  above the low threshold; the officer sees each with its own button and chooses, D-ATT-13-6);
* **unrelated** — the full names of the held-out companies, none of them registered: any
  ``exact`` or ``possible`` answer is a false match;
* **numbered** — every registered full name with a number, an ordinal or a numeral character
  (…第一…, 2号, 三一重工) with the first of them changed (第二, 3号, 三二重工): must never be
  ``exact``.

Short names are cleaned as people type them: the exchange's risk markers (ST, *ST, S, G, N…)
and a trailing share class (A, B) are dropped, spaces removed. Registration conflicts — a full
name that came back ``possible`` or ``exact`` against the companies registered before it — are
counted too: each one an officer would have to decide.

Without ``--scale`` the registry holds only the evaluation companies (a fresh SQLite file, or a
fresh PostgreSQL database when DATABASE_URL names a server). With ``--scale N`` they are added to
a fresh copy of ``huoban bench-data --scale N`` (1,000,000 generated customers at N=1).

``--compare REV`` runs the same evaluation, on the same kind of data, with the code of git
revision ``REV`` (a temporary worktree, ``PYTHONPATH`` pointing at its ``src``), and prints both:
the figures beside those of the code they replace, measured in one run. The latency printed is
``match_customer`` in this process (median of ``--runs`` runs of every lookup; p50/p95 in ms).
Not a test: nothing here asserts a figure.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import _server as harness

DATA = harness.HERE / "data" / "listed_companies_cn.tsv"
CLASSES = ("full", "substring", "abbreviation", "unrelated", "numbered")

# The exchanges' markers before a short name: *ST 退市风险, ST 特别处理, S 未股改, G 已股改,
# N 上市首日, XD/XR/DR 除权除息; and the share class after it.
_MARKER = re.compile(r"^(?:S\*ST|\*ST|SST|ST|S|G|N|XD|XR|DR)(?=[\u4e00-\u9fff])")
_SHARE_CLASS = re.compile(r"(?<=[\u4e00-\u9fff])[AB]$")

_ORDINALS = "一二三四五六七八九十"
_NUMBERED = re.compile(rf"第[{_ORDINALS}]+|[0-9]+|[{_ORDINALS}]")


@dataclass(frozen=True)
class Company:
    code: str
    short: str
    full: str


def clean_short(name: str) -> str:
    """A short name as people type it (module docstring)."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    return _SHARE_CLASS.sub("", _MARKER.sub("", text))


def load() -> list[Company]:
    lines = DATA.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    return [Company(r["code"], clean_short(r["short_name"]), r["full_name"]) for r in rows]


def is_substring(company: Company) -> bool:
    """The short name appears as it is in the full name (NFKC, case folded)."""
    fold = lambda s: unicodedata.normalize("NFKC", s).casefold()  # noqa: E731
    return fold(company.short) in fold(company.full)


def renumbered(name: str) -> str | None:
    """`name` with its first number or ordinal changed (第一 → 第二, 2 → 3), or None."""
    match = _NUMBERED.search(name)
    if match is None:
        return None
    text = match.group()
    if text.isdigit():
        new = str(int(text) + 1)
    else:
        new = "".join(
            _ORDINALS[(_ORDINALS.index(c) + 1) % len(_ORDINALS)] if c in _ORDINALS else c
            for c in text
        )
    return name[: match.start()] + new + name[match.end() :]


def workload(companies: list[Company]) -> tuple[list[Company], dict[str, list[tuple[str, int]]]]:
    """The registered companies and the lookups of each class: (name, index of the company it
    should find, or -1)."""
    ordered = sorted(companies, key=lambda c: c.code)
    registered = [c for i, c in enumerate(ordered) if i % 3 != 2]
    held_out = [c for i, c in enumerate(ordered) if i % 3 == 2]
    lookups: dict[str, list[tuple[str, int]]] = {k: [] for k in CLASSES}
    for i, c in enumerate(registered):
        lookups["full"].append((c.full, i))
        if c.short and c.short != c.full:
            lookups["substring" if is_substring(c) else "abbreviation"].append((c.short, i))
        changed = renumbered(c.full)
        if changed is not None:
            lookups["numbered"].append((changed, i))
    lookups["unrelated"] = [(c.full, -1) for c in held_out]
    return registered, lookups


# --- one evaluation, in this process, with the code on sys.path --------------------------------


def register(registered: list[Company]) -> tuple[list[int | None], dict[str, int]]:
    """Store the registered companies; return their customer ids and the registration figures."""
    from django.db import transaction
    from django.utils import timezone

    from huoban.customers.matching import match_customer
    from huoban.customers.models import Customer, CustomerName
    from huoban.customers.normalize import head2, normalize_name, normalize_name_keep_place

    ids: list[int | None] = []
    figures = {"registered": 0, "held_exact": 0, "held_possible": 0, "refused": 0}
    now = timezone.now()
    with transaction.atomic():
        for company in registered:
            answer = match_customer(company.full)
            if answer.kind != "none":
                figures[f"held_{answer.kind}"] += 1
            key = normalize_name(company.full)
            if CustomerName.objects.filter(normalized=key).exists():
                key = normalize_name_keep_place(company.full)
                if CustomerName.objects.filter(normalized=key).exists():
                    figures["refused"] += 1
                    ids.append(None)
                    continue
            customer = Customer.objects.create(
                legal_name=company.full, normalized_name=key, created_at=now
            )
            CustomerName.objects.create(
                customer=customer, name=company.full, normalized=key, head2=head2(key), kind="legal"
            )
            ids.append(customer.pk)
            figures["registered"] += 1
    return ids, figures


def evaluate(runs: int, examples: int = 8) -> dict[str, Any]:
    from huoban.customers.matching import match_customer

    companies = load()
    registered, lookups = workload(companies)
    ids, registration = register(registered)
    result: dict[str, Any] = {"registration": registration, "classes": {}}
    timings: list[list[float]] = []
    for run in range(runs):
        samples: list[float] = []
        for cls in CLASSES:
            exact = found = possible = named = 0
            shown: list[str] = []
            for name, index in lookups[cls]:
                started = time.perf_counter()
                answer = match_customer(name)
                samples.append((time.perf_counter() - started) * 1000)
                if run:
                    continue
                own = index >= 0 and answer.customer is not None
                right = own and ids[index] == answer.customer.pk  # type: ignore[union-attr]
                exact += answer.kind == "exact" and (right or cls in ("unrelated", "numbered"))
                possible += answer.kind == "possible"
                found += answer.kind != "none" and (right or cls in ("unrelated", "numbered"))
                # An ambiguous answer names the other certain customers beside it (Match.also).
                also = {c.pk for c in getattr(answer, "also", ())}
                named += answer.kind != "none" and (right or (index >= 0 and ids[index] in also))
                wrong = (
                    (cls in ("full", "substring", "abbreviation") and not right)
                    or (cls == "unrelated" and answer.kind != "none")
                    or (cls == "numbered" and answer.kind == "exact")
                )
                if wrong and len(shown) < examples:
                    got = answer.customer.legal_name if answer.customer else ""
                    steps = "; ".join(
                        getattr(s, "en", str(s)) for s in getattr(answer, "explanation", ())
                    )
                    shown.append(f"{name} → {answer.kind} {got} ({answer.reason}) {steps}")
            if not run:
                n = len(lookups[cls])
                result["classes"][cls] = {
                    "n": n,
                    "exact": exact,
                    "possible": possible,
                    "found": found,
                    "named": named,
                    "examples": shown,
                }
        timings.append(samples)
    p50 = statistics.median(harness.percentile(s, 50) for s in timings)
    p95 = statistics.median(harness.percentile(s, 95) for s in timings)
    result["latency_ms"] = {"lookups": len(timings[0]), "p50": p50, "p95": p95}
    return result


# --- the data, and the revision to compare with ------------------------------------------------


@contextlib.contextmanager
def fresh_database() -> Iterator[None]:
    """An empty, migrated database: a SQLite file, or a PostgreSQL database (DATABASE_URL)."""
    pg = os.environ.get("DATABASE_URL") if harness.vendor() == "postgresql" else None
    with tempfile.TemporaryDirectory(prefix="huoban-matching-") as tmp:
        env = dict(os.environ, HUOBAN_DATA_DIR=tmp)
        name = f"huoban_bench_matching_{os.getpid()}"
        if pg:
            harness._psql(pg, f'DROP DATABASE IF EXISTS "{name}"')
            harness._psql(pg, f'CREATE DATABASE "{name}"')
            env["DATABASE_URL"] = harness._with_db(pg, name)
        saved = dict(os.environ)
        os.environ.update(env)
        try:
            subprocess.run(
                [str(harness.HUOBAN), "migrate"], env=env, check=True, stdout=subprocess.DEVNULL
            )
            yield
        finally:
            os.environ.clear()
            os.environ.update(saved)
            if pg:
                with contextlib.suppress(Exception):
                    harness._psql(pg, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_here(args: argparse.Namespace) -> dict[str, Any]:
    """The evaluation with the code this interpreter imports, on fresh data."""
    data = harness.data_for(args.scale) if args.scale is not None else fresh_database()
    with data:
        harness.setup_django()
        try:
            return evaluate(args.runs, args.examples)
        finally:
            harness.close_django()


def run_revision(rev: str, args: argparse.Namespace) -> dict[str, Any]:
    """The same evaluation with the code of git revision `rev` (a temporary worktree)."""
    root = harness.HERE.parent
    with tempfile.TemporaryDirectory(prefix="huoban-rev-") as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(
            ["git", "-C", str(root), "worktree", "add", "--detach", "-q", str(tree), rev],
            check=True,
        )
        try:
            out = Path(tmp) / "result.json"
            cmd = [sys.executable, str(Path(__file__).resolve()), "--runs", str(args.runs)]
            cmd += ["--examples", str(args.examples)]
            if args.scale is not None:
                cmd += ["--scale", f"{args.scale:g}"]
            cmd += ["--json-out", str(out)]
            env = dict(os.environ, PYTHONPATH=str(tree / "src"))
            subprocess.run(cmd, env=env, check=True)
            return dict(json.loads(out.read_text()))
        finally:
            subprocess.run(
                ["git", "-C", str(root), "worktree", "remove", "--force", str(tree)], check=False
            )


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:6.2f}%" if whole else "     –"


def report(results: dict[str, dict[str, Any]]) -> None:
    labels = list(results)
    print(f"\n{'':28}" + "".join(f"{label:>22}" for label in labels))
    rows: list[tuple[str, Any]] = [
        ("registered", lambda r: f"{r['registration']['registered']}"),
        (
            "  held for an officer",
            lambda r: f"{r['registration']['held_possible'] + r['registration']['held_exact']}",
        ),
        ("  taken as another (exact)", lambda r: f"{r['registration']['held_exact']}"),
        ("  refused (key taken)", lambda r: f"{r['registration']['refused']}"),
    ]
    for cls in CLASSES:

        def n(r: dict[str, Any], c: str = cls) -> str:
            return str(r["classes"][c]["n"])

        rows.append((f"{cls} (n)", n))
        if cls in ("full", "substring", "abbreviation"):
            rows.append(
                (
                    "  found (exact or possible)",
                    lambda r, c=cls: _pct(r["classes"][c]["found"], r["classes"][c]["n"]),
                )
            )
            rows.append(
                (
                    "  found or named beside",
                    lambda r, c=cls: _pct(
                        r["classes"][c].get("named", r["classes"][c]["found"]),
                        r["classes"][c]["n"],
                    ),
                )
            )
            rows.append(
                (
                    "  exact",
                    lambda r, c=cls: _pct(r["classes"][c]["exact"], r["classes"][c]["n"]),
                )
            )
        elif cls == "unrelated":
            rows.append(
                (
                    "  false match (exact|possible)",
                    lambda r, c=cls: _pct(r["classes"][c]["found"], r["classes"][c]["n"]),
                )
            )
            rows.append(
                (
                    "  of which exact",
                    lambda r, c=cls: _pct(r["classes"][c]["exact"], r["classes"][c]["n"]),
                )
            )
        else:
            rows.append(
                (
                    "  exact (must be 0)",
                    lambda r, c=cls: str(r["classes"][c]["exact"]),
                )
            )
            rows.append(
                (
                    "  possible",
                    lambda r, c=cls: str(r["classes"][c]["possible"]),
                )
            )
    rows.append(("lookup p50 ms", lambda r: f"{r['latency_ms']['p50']:.2f}"))
    rows.append(("lookup p95 ms", lambda r: f"{r['latency_ms']['p95']:.2f}"))
    for label, cell in rows:
        print(f"{label:28}" + "".join(f"{cell(results[k]):>22}" for k in labels))
    for label in labels:
        print(f"\nmisses and false matches, {label} (first few of each class):")
        for cls in CLASSES:
            for line in results[label]["classes"][cls]["examples"]:
                print(f"  [{cls}] {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--compare", metavar="REV", default=None)
    parser.add_argument("--examples", type=int, default=8, help="misses shown per class")
    parser.add_argument("--json-out", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(run_here(args)))
        return
    print(f"machine: {harness.machine()}")
    print(f"database: {harness.vendor()}; scale: {args.scale if args.scale is not None else '-'}")
    results: dict[str, dict[str, Any]] = {}
    if args.compare:
        results[f"at {args.compare}"] = run_revision(args.compare, args)
    results["this tree"] = run_here(args)
    report(results)


if __name__ == "__main__":
    main()
