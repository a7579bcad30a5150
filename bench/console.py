"""Every console page at the benchmark scale (issue #12, R-UI-3: p95 ≤ 300 ms at N = 1 and a
bounded number of queries that does not grow with the data).

    .venv/bin/python bench/console.py --scale 1 [--runs 20]
    make bench-console [BENCH_N=1] [DATABASE_URL=postgres://…]

Against a fresh copy of ``huoban bench-data --scale N`` with its ledger (generated once under
``var/bench/``; SQLite, or PostgreSQL when DATABASE_URL names a server) or, without
``--scale``, the data ``HUOBAN_DATA_DIR`` / ``DATABASE_URL`` name. For every console page, as
the role that works it (the generated ``bench_*`` staff users):

* queries: the page is requested in this process through Django's test client under
  ``CaptureQueriesContext`` — once for the busiest subject (the partner with the most projects,
  its latest project, …) and once for an ordinary one where the page has a subject, so a count
  that grows with the data shows as two different numbers;
* time: ``huoban serve`` is started on the same data, each role signs in through the login form
  and every page is requested ``--runs`` times one after another over one keep-alive connection;
  p50/p95/max are the client's.

Printed as a table (and to bench/out/console-<timestamp>.json). Not a test: nothing here asserts
a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
from dataclasses import dataclass, field
from typing import Any

import _server as harness

PASSWORD = "huoban-bench-2026"  # huoban.demo.benchdata.BENCH_PASSWORD
TARGET_P95_MS = 300.0


@dataclass
class Page:
    name: str
    role: str  # bench_<role> requests it
    path: str
    small_path: str = ""  # the same page for an ordinary subject ("" when it has no subject)
    queries: int = 0
    small_queries: int | None = None
    status: int = 0
    samples: list[float] = field(default_factory=list)


def subjects() -> dict[str, Any]:
    """The pages' subjects, chosen from the data: the busiest and an ordinary one."""
    from django.db.models import Count

    from huoban.customers.models import Attribution
    from huoban.leads.models import Lead
    from huoban.partners.models import Partner
    from huoban.projects.models import Project

    busiest = (
        Partner.objects.annotate(n=Count("projects")).order_by("-n", "id").values("code", "id")
    ).first()
    ordinary = (
        Partner.objects.annotate(n=Count("projects"))
        .filter(n__gte=1)
        .order_by("n", "id")
        .values("code", "id")
    ).first()
    assert busiest and ordinary, "the data set has no partner with projects"
    project = Project.objects.filter(partner_id=busiest["id"]).order_by("-id").first()
    small_project = Project.objects.filter(partner_id=ordinary["id"]).order_by("-id").first()
    customer = Attribution.objects.filter(partner_id=busiest["id"]).order_by("-id").first()
    small_customer = Attribution.objects.filter(partner_id=ordinary["id"]).order_by("-id").first()
    lead = Lead.objects.order_by("-id").first()
    return {
        "partner": busiest["code"],
        "small_partner": ordinary["code"],
        "project": project.pk if project else 0,
        "small_project": small_project.pk if small_project else 0,
        "customer": customer.customer_id if customer else 0,
        "small_customer": small_customer.customer_id if small_customer else 0,
        "lead": lead.pk if lead else 0,
        "staff_user": _user_id("bench_pm"),
    }


def _user_id(username: str) -> int:
    from huoban.accounts.models import User

    return int(User.objects.get(username=username).pk)


def pages_for(s: dict[str, Any]) -> list[Page]:
    p, sp = s["partner"], s["small_partner"]
    return [
        Page("home (officer)", "officer", "/console/home/"),
        Page("home (finance)", "finance", "/console/home/"),
        Page("home (admin)", "admin", "/console/home/"),
        Page("lead queue", "officer", "/console/"),
        Page("lead queue, overdue", "officer", "/console/?view=overdue"),
        Page("second reviews", "officer", "/console/reviews/"),
        Page("lead detail", "officer", f"/console/leads/{s['lead']}/"),
        Page("customer lookup", "officer", "/console/customers/?q=%E9%9B%86%E5%9B%A2"),
        Page(
            "customer detail",
            "officer",
            f"/console/customers/{s['customer']}/",
            f"/console/customers/{s['small_customer']}/",
        ),
        Page(
            "sign a project",
            "officer",
            f"/console/customers/{s['customer']}/sign/",
            f"/console/customers/{s['small_customer']}/sign/",
        ),
        Page("customer registry", "officer", "/console/customers/registry/"),
        Page("customer registry, unowned", "officer", "/console/customers/registry/?owner=none"),
        Page(
            "customer registry, a partner's",
            "officer",
            f"/console/customers/registry/?owner={p}",
            f"/console/customers/registry/?owner={sp}",
        ),
        Page("partners", "officer", "/console/partners/"),
        Page("partner 360", "finance", f"/console/partners/{p}/", f"/console/partners/{sp}/"),
        Page("partner edit", "officer", f"/console/partners/{p}/edit/"),
        Page("register a partner", "officer", "/console/partners/new/"),
        Page("public applications", "officer", "/console/partners/inquiries/"),
        Page("strategic applications", "officer", "/console/partners/applications/"),
        Page("projects", "pm", "/console/projects/"),
        Page("project board", "pm", "/console/projects/board/"),
        Page(
            "project detail",
            "finance",
            f"/console/projects/{s['project']}/",
            f"/console/projects/{s['small_project']}/",
        ),
        Page("finance approvals", "finance", "/console/finance/"),
        Page("adjustments", "finance", "/console/finance/adjustments/"),
        Page("payouts", "finance", "/console/finance/payouts/"),
        Page(
            "payouts of a partner",
            "finance",
            f"/console/finance/payouts/?partner={p}",
            f"/console/finance/payouts/?partner={sp}",
        ),
        Page("annual settlement", "finance", "/console/finance/settlement/"),
        Page("ledger verification", "finance", "/console/finance/verify/"),
        Page("audit log", "admin", "/console/audit/"),
        Page("audit log, filtered", "admin", "/console/audit/?action=lead.verdict"),
        Page("policy versions", "admin", "/console/policies/"),
        Page("policy v1", "admin", "/console/policies/1/"),
        Page("new policy version", "admin", "/console/policies/new/"),
        Page("holiday table", "admin", "/console/holidays/"),
        Page("staff users", "admin", "/console/staff/"),
        Page("staff user", "admin", f"/console/staff/{s['staff_user']}/"),
        Page("dashboard", "admin", "/console/dashboard/"),
        # Issue #16: customer credit and channel analytics (R-CRED, R-ANL).
        Page(
            "customer credit",
            "finance",
            f"/console/customers/{s['customer']}/credit/",
            f"/console/customers/{s['small_customer']}/credit/",
        ),
        Page(
            "billing plan",
            "finance",
            f"/console/projects/{s['project']}/billing-plan/",
            f"/console/projects/{s['small_project']}/billing-plan/",
        ),
        Page("channel analytics", "finance", "/console/analytics/"),
        Page("channel analytics by region", "finance", "/console/analytics/?group=region"),
        Page("channel analytics export", "finance", "/console/analytics/export.xlsx"),
        Page(
            "channel costs",
            "officer",
            f"/console/partners/{p}/costs/",
            f"/console/partners/{sp}/costs/",
        ),
        Page(
            "channel trend",
            "finance",
            f"/console/analytics/channels/{p}/",
            f"/console/analytics/channels/{sp}/",
        ),
        Page("cases and risks", "officer", "/console/cases/"),
    ]


def count_queries(pages: list[Page]) -> None:
    """Queries per request, in this process (Django's test client), for both subjects."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from huoban.accounts.models import User

    clients: dict[str, Client] = {}
    for page in pages:
        client = clients.get(page.role)
        if client is None:
            client = clients[page.role] = Client()
            client.force_login(User.objects.get(username=f"bench_{page.role}"))
        for path, small in ((page.path, False), (page.small_path, True)):
            if not path:
                continue
            client.get(path)  # warm: sessions, caches
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            if small:
                page.small_queries = len(queries)
            else:
                page.queries, page.status = len(queries), response.status_code


def time_pages(server: Any, pages: list[Page], runs: int) -> None:
    cookies = {
        role: "; ".join(
            f"{k}={v}" for k, v in harness.web_login(server.url, f"bench_{role}", PASSWORD).items()
        )
        for role in sorted({p.role for p in pages})
    }
    http = harness.Http(server.url, timeout=120)
    try:
        for page in pages:
            headers = {"Cookie": cookies[page.role]}
            http.get(page.path, headers)  # warm
            for _ in range(runs):
                reply = http.get(page.path, headers)
                if reply.status != 200:
                    raise RuntimeError(f"{page.name}: HTTP {reply.status} {reply.error}")
                page.samples.append(reply.ms)
    finally:
        http.close()


def report(pages: list[Page], settings: dict[str, Any], runs: int) -> dict[str, Any]:
    print()
    print(f"== console pages, {settings['vendor']}, {runs} requests each ==")
    print(f"{'page':<26} {'role':<8} {'queries':>9} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    rows = []
    for page in pages:
        stats = harness.summary(page.samples)
        queries = f"{page.queries}" + (
            f"/{page.small_queries}" if page.small_queries is not None else ""
        )
        flag = "  SLOW" if stats["p95"] > TARGET_P95_MS else ""
        grows = (
            "  GROWS"
            if page.small_queries is not None and page.small_queries != page.queries
            else ""
        )
        print(
            f"{page.name:<26} {page.role:<8} {queries:>9} {stats['p50']:>8.1f} "
            f"{stats['p95']:>8.1f} {stats['max']:>8.1f}{flag}{grows}"
        )
        rows.append(
            {
                "page": page.name,
                "role": page.role,
                "path": page.path,
                "queries": page.queries,
                "queries_ordinary_subject": page.small_queries,
                **{k: round(v, 2) for k, v in stats.items() if k != "count"},
            }
        )
    worst = max(rows, key=lambda r: r["p95"])
    print(
        f"worst p95: {worst['page']} {worst['p95']:.1f} ms (target ≤ {TARGET_P95_MS:.0f}); "
        f"median of the p95s {statistics.median(r['p95'] for r in rows):.1f} ms"
    )
    return {"settings": settings, "runs": runs, "pages": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="requests per page")
    parser.add_argument(
        "--only",
        default="",
        help="only the pages whose name contains one of these comma-separated "
        "texts (e.g. analytics,dashboard)",
    )
    parser.add_argument(
        "--skip",
        default="",
        help="leave out the pages whose name contains one of these texts",
    )
    harness.add_common_arguments(parser)
    args = parser.parse_args(argv)
    with harness.data_for(args.scale):
        return run(args)


def run(args: argparse.Namespace) -> int:
    harness.setup_django()
    # What `huoban tick` does every night: this year to date's channel snapshot (D-ANL-3), which
    # the analytics pages read; its time is the tick's, printed here.
    from huoban import clock
    from huoban.analytics.services import snapshot_year_to_date

    print(snapshot_year_to_date(clock.today()), flush=True)
    wanted, skipped = args.only.split(","), [t for t in args.skip.split(",") if t]
    pages = [
        p
        for p in pages_for(subjects())
        if any(w in p.name for w in wanted) and not any(t in p.name for t in skipped)
    ]
    count_queries(pages)
    harness.close_django()
    bad = [p for p in pages if p.status != 200]
    if bad:
        for p in bad:
            print(f"{p.name}: HTTP {p.status} in process", file=sys.stderr)
        return 1
    with harness.Server(workers=args.workers, threads=args.threads) as server:
        settings = server.settings()
        print(f"server: {server.url} {settings}; load {harness.loadavg()}")
        time_pages(server, pages, args.runs)
    result = report(pages, settings, args.runs)
    result["machine"] = harness.machine()
    harness.OUT.mkdir(exist_ok=True)
    out = harness.OUT / f"console-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
