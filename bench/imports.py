"""Importing payments at scale (issue #21, R-IMP-1: 100,000 payment rows in ≤ 60 s on SQLite):
the time of ``huoban import payments`` — the dry run and the applied import — over a file of
new payments spread across the projects of a fresh copy of ``huoban bench-data --scale N``.

    .venv/bin/python bench/imports.py [--scale 0.1] [--rows 5000] [--runs 3]

Each run builds a CSV of ``--rows`` payments of 100.00 on signed projects with room under their
contract amount (a few per project, as a month's bank export has), then times ``run_import``
checking it (rolled back) and applying it (committed; the next run's references are new), and
prints rows per second and the time 100,000 rows would take at that rate. Not a test: nothing
here asserts a time.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

import _server as harness


def build_file(rows: int, run: int) -> bytes:
    from decimal import Decimal

    from django.db.models import DecimalField, F, Q, Sum, Value
    from django.db.models.functions import Coalesce

    from huoban.projects.models import Project, Status

    # Signed projects with room under the contract amount for the runs' few payments of 100.00.
    zero = Value(Decimal("0"), output_field=DecimalField())
    projects = list(
        Project.objects.filter(status=Status.SIGNED)
        .annotate(
            received=Coalesce(Sum("payments__amount", filter=Q(payments__kind="payment")), zero)
            - Coalesce(Sum("payments__amount", filter=Q(payments__kind="refund")), zero)
        )
        .filter(contract_amount__gte=F("received") + 10000)
        .order_by("pk")
        .values_list("pk", "signed_on")[: max(1, rows // 3)]
    )
    lines = ["项目编号,金额,到账日,流水号"]
    for i in range(rows):
        pk, signed_on = projects[i % len(projects)]
        lines.append(f"{pk},100.00,{signed_on.isoformat()},BENCH-{run}-{i}")
    return "\n".join(lines).encode("utf-8-sig")


def one_run(rows: int, run: int) -> dict[str, Any]:
    from huoban.accounts.models import Role, User
    from huoban.imports.services import run_import

    actor = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    assert actor is not None
    data = build_file(rows, run)
    out: dict[str, Any] = {"rows": rows, "bytes": len(data)}
    for mode, dry in (("check", True), ("apply", False)):
        started = time.perf_counter()
        result = run_import("payments", file_name="bench.csv", data=data, actor=actor, dry_run=dry)
        seconds = time.perf_counter() - started
        assert not result.errors, result.errors[:5]
        out[mode] = {"seconds": seconds, "rows_per_s": rows / seconds}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with harness.data_for(args.scale):
        harness.setup_django()
        return run(args)


def run(args: argparse.Namespace) -> int:
    from django.db import connection

    print(f"imports: {args.rows} payment rows × {args.runs} runs on {connection.vendor}, "
          f"scale {args.scale:g}")  # fmt: skip
    results = []
    for r in range(1, args.runs + 1):
        result = one_run(args.rows, r)
        results.append(result)
        c, a = result["check"], result["apply"]
        print(f"run {r}: check {c['seconds']:6.1f} s ({c['rows_per_s']:5.0f} rows/s); apply "
              f"{a['seconds']:6.1f} s ({a['rows_per_s']:5.0f} rows/s)")  # fmt: skip
    print()
    for mode in ("check", "apply"):
        rate = statistics.median(r[mode]["rows_per_s"] for r in results)
        print(f"{mode:6} median {rate:5.0f} rows/s → 100,000 rows in {100000 / rate:6.0f} s "
              "(target ≤ 60 s)")  # fmt: skip
    path = harness.write_json(
        "imports", {"args": vars(args), "machine": harness.machine(), "runs": results}
    )
    print(f"figures in {harness.relative(path)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
