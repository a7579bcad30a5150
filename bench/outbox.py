"""What telling people costs lead registration (issue #14): the p95 of ``submit_lead`` with the
outbox and without it, interleaved in one run.

    .venv/bin/python bench/outbox.py [--scale 0.01] [--submissions 600] [--runs 3] [--judges 10]

Against a fresh copy of ``huoban bench-data --scale N`` (SQLite, or PostgreSQL when DATABASE_URL
names a server), this gives ``--judges`` officers and presales an e-mail address, switches the
e-mail channel on, registers two webhooks and a WeCom robot for ``lead.submitted``, then submits
``--submissions`` new-customer leads through the service (``submit_lead``, one transaction each,
as the API does), for random active partner users. Even submissions run as in production —
``notify`` computes the recipients and writes one outbox event —; odd ones with ``notify``
replaced by a no-op, so drift in the machine touches both alike. It prints, per run and as
medians, p50/p95 of each and the difference of the p95s (target ≤ 2 ms); then it times the
worker's fan-out of the run's events (an in-app row and an e-mail per judge, a delivery per
webhook and robot) and prints the rows it wrote per lead and its rate. Nothing is sent. Not a
test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from typing import Any

import _server as harness


def prepare(judges: int, seed: int) -> list[Any]:
    """The judges with addresses, the e-mail channel on, two webhooks and a robot; returns the
    partner users who will submit."""
    from django.conf import settings

    from huoban.accounts.models import Role, User
    from huoban.accounts.services import create_user
    from huoban.notifications.robots import register_robot
    from huoban.notifications.webhooks import register_webhook

    settings.HUOBAN["EMAIL_ENABLED"] = True
    settings.HUOBAN["WEBHOOK_ALLOW_PRIVATE"] = True
    have = list(User.objects.filter(role__in=[Role.OFFICER, Role.PRESALES], is_active=True))
    for i in range(len(have), judges):
        role = Role.OFFICER if i % 2 else Role.PRESALES
        have.append(create_user(f"bench_judge_{i}", "bench-judge-2026", role))
    for user in have:
        user.email = f"{user.username}@example.com"
        user.save(update_fields=["email"])
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).first()
    assert admin is not None
    for n in (1, 2):
        register_webhook(f"http://127.0.0.1:9/hook{n}", ["lead.submitted"], actor=admin)
    register_robot(
        name="线索提醒", team="基准", kind="wecom", secret="", events=["lead.submitted"],
        url="http://127.0.0.1:9/wecom?key=bench", actor=admin,
    )  # fmt: skip
    partners = list(
        User.objects.filter(role=Role.PARTNER, is_active=True, partner__status="active")
        .select_related("partner")
        .order_by("pk")[:2000]
    )
    random.Random(seed).shuffle(partners)
    return partners[:300]


def one_run(users: list[Any], n: int, rng: random.Random, run: int) -> dict[str, Any]:
    from huoban.leads import notices
    from huoban.leads.services import LeadInput, submit_lead
    from huoban.notifications.models import Delivery, Notification, OutboxEvent
    from huoban.notifications.outbox import fan_out

    real = notices.notify
    timings: dict[str, list[float]] = {"outbox": [], "none": []}
    events_before = OutboxEvent.objects.count()
    rows_before = Notification.objects.count() + Delivery.objects.count()
    for i in range(n):
        mode = "outbox" if i % 2 == 0 else "none"
        notices.notify = real if mode == "outbox" else (lambda *a, **k: 0)  # type: ignore[assignment]
        data = LeadInput(
            customer_name=f"基准{run}号{i}号{rng.randrange(10**9)}科技有限公司",
            category="ai",
            item="industry_ai_model",
            need="基准测试：通知的代价 / benchmark lead",
            contact_name="李明",
            contact_title="信息中心主任",
            contact_phone=f"138{rng.randrange(10**8):08d}",
            contact_is_decision_maker=True,
            customer_region="北京",
        )
        started = time.perf_counter()
        submit_lead(data, actor=users[rng.randrange(len(users))])
        timings[mode].append((time.perf_counter() - started) * 1000)
    notices.notify = real
    events = OutboxEvent.objects.count() - events_before
    # What the worker then does with them, off the action's path.
    started = time.perf_counter()
    while fan_out():
        pass
    fan_out_s = time.perf_counter() - started
    rows = Notification.objects.count() + Delivery.objects.count() - rows_before
    told = len(timings["outbox"])
    return {
        "outbox": harness.summary(timings["outbox"]),
        "none": harness.summary(timings["none"]),
        "events_per_lead": events / told,
        "rows_per_lead": rows / told,
        "fan_out_events_per_s": events / fan_out_s,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--submissions", type=int, default=600)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--judges", type=int, default=10, help="officers and presales told")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    with harness.data_for(args.scale):
        harness.setup_django()
        return run(args)


def run(args: argparse.Namespace) -> int:
    from django.db import connection

    users = prepare(args.judges, args.seed)
    print(
        f"outbox: {args.submissions} submissions × {args.runs} runs on {connection.vendor}, "
        f"scale {args.scale:g}, {args.judges} judges told, 2 webhooks + 1 robot"
    )
    results = []
    for r in range(1, args.runs + 1):
        result = one_run(users, args.submissions, random.Random(args.seed + r), r)
        results.append(result)
        o, z = result["outbox"], result["none"]
        print(
            f"run {r}: with outbox p50 {o['p50']:6.2f} p95 {o['p95']:6.2f} ms; without "
            f"p50 {z['p50']:6.2f} p95 {z['p95']:6.2f} ms; added p95 {o['p95'] - z['p95']:+.2f} "
            f"ms; {result['events_per_lead']:.0f} outbox row per lead in the transaction, fanned "
            f"out into {result['rows_per_lead']:.0f} rows by the worker "
            f"({result['fan_out_events_per_s']:.0f} events/s)"
        )

    def med(mode: str, key: str) -> float:
        return statistics.median(r[mode][key] for r in results)

    added = statistics.median(r["outbox"]["p95"] - r["none"]["p95"] for r in results)
    print()
    print(f"== outbox cost on lead registration, {connection.vendor}, median of {args.runs} ==")
    print(f"with outbox    p50 {med('outbox', 'p50'):6.2f}  p95 {med('outbox', 'p95'):6.2f} ms")
    print(f"without        p50 {med('none', 'p50'):6.2f}  p95 {med('none', 'p95'):6.2f} ms")
    print(f"added to p95   {added:+.2f} ms   (target ≤ 2 ms)")
    path = harness.write_json(
        "outbox", {"args": vars(args), "machine": harness.machine(), "runs": results}
    )
    print(f"figures in {harness.relative(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
