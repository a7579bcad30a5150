"""The `huoban` command (ARCHITECTURE §5)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huoban.settings")
    import django

    django.setup()


def _migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def _collectstatic() -> None:
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def _serve(
    port: int,
    workers: int,
    host: str = "127.0.0.1",
    threads: int = 1,
    access_log: bool = False,
) -> int:
    """gunicorn with `workers` processes (docs/decisions.md, "Benchmarks at scale"): sync
    workers, one request at a time each, or with `threads` > 1 gthread workers. The pages are
    processor-bound Python; threads only share one processor per process (and a kept-alive
    client stays with one process), so under load sync workers answered as many requests with
    a far narrower spread of times. The access log is off unless asked for (a reverse proxy
    logs the requests; each line costs the workers time)."""
    from django.db import connections
    from gunicorn.app.wsgiapp import run

    # The migration's connection must not outlive the fork: kept open (CONN_MAX_AGE), every
    # worker inherited the same socket and two processes talked over one PostgreSQL session.
    connections.close_all()
    sys.argv = [
        "gunicorn",
        "huoban.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),  # more than 1: gunicorn runs gthread workers instead of sync ones
    ]
    if access_log:
        sys.argv += ["--access-logfile", "-"]
    kind = "gthread" if threads > 1 else "sync"
    print(f"huoban serve: {workers} workers × {threads} threads ({kind})", flush=True)
    run()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    # The demo serves plain HTTP on 127.0.0.1, whatever ALLOWED_HOSTS the shell has exported.
    os.environ.setdefault("HUOBAN_PRODUCTION", "false")
    _setup()
    from django.conf import settings

    from huoban.demo.load import load_demo

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    _migrate()
    _collectstatic()
    logins = load_demo()
    print("\n伙伴 Huoban 演示环境 / demo is ready")
    print(f"  网址 / URL:      http://127.0.0.1:{args.port}/")
    print(f"  API 文档 / docs: http://127.0.0.1:{args.port}/api/v1/docs")
    print("  演示账号 / demo logins (username / password / role):")
    for username, password, role in logins:
        print(f"    {username:<14} {password:<16} {role}")
    sys.stdout.flush()
    if args.no_serve:
        return 0
    return _serve(args.port, args.workers)


def cmd_serve(args: argparse.Namespace) -> int:
    _setup()
    _migrate()
    _collectstatic()
    return _serve(args.port, args.workers, args.host, args.threads, args.access_log)


def cmd_migrate(args: argparse.Namespace) -> int:
    _setup()
    _migrate(verbosity=1)
    return 0


def cmd_createuser(args: argparse.Namespace) -> int:
    _setup()
    from huoban.accounts.services import create_user
    from huoban.errors import ValidationFailed
    from huoban.partners.models import Partner

    partner = None
    if args.partner:
        partner = Partner.objects.filter(code=args.partner).first()
        if partner is None:
            print(f"partner: 伙伴不存在 / no partner {args.partner}", file=sys.stderr)
            return 2
    try:
        user = create_user(
            args.name,
            args.password,
            args.role,
            partner=partner,
            display_name=args.display_name or "",
        )
    except ValidationFailed as exc:
        for field, message in exc.errors.items():
            print(f"{field}: {message}", file=sys.stderr)
        return 2
    print(f"created {user.username} ({user.role})")
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    _setup()
    from huoban.accounts.models import User
    from huoban.accounts.services import issue_token

    user = User.objects.filter(username=args.name, is_active=True).first()
    if user is None:
        print(f"no active user {args.name}", file=sys.stderr)
        return 2
    print(issue_token(user, "cli"))
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    """Lift a username's sign-in lockouts (too many wrong passwords), audited."""
    _setup()
    from huoban.accounts.throttle import unlock

    lifted = unlock(args.name, actor=None)
    print(f"ok   {args.name}: {lifted} lockout(s) lifted")
    return 0


def cmd_tick(args: argparse.Namespace) -> int:
    _setup()
    import datetime as dt

    from huoban import clock
    from huoban.jobs import run_daily

    day = dt.date.fromisoformat(args.date) if args.date else clock.today()
    with clock.frozen(day):
        report = run_daily(day)
    for line in report:
        print(line)
    return 0


def cmd_ledger_verify(args: argparse.Namespace) -> int:
    """Verify the ledger's hash chains (R-LED-3); exit 1 naming the first bad entry."""
    _setup()
    from huoban.commissions.ledger import verify_ledger
    from huoban.partners.models import Partner

    partner = None
    if args.partner:
        partner = Partner.objects.filter(code=args.partner).first()
        if partner is None:
            print(f"no partner {args.partner}", file=sys.stderr)
            return 2
    results = verify_ledger(partner)
    failed = False
    for item in results:
        r = item.result
        if r.ok:
            print(f"ok   {item.partner_code}: {r.checked} entries, head {r.head}")
            continue
        where = f"entry #{r.first_bad}" if r.first_bad is not None else "chain head"
        print(f"BAD  {item.partner_code}: ledger {where}: {r.reason}", file=sys.stderr)
        failed = True
    if not results:
        print("ok   no ledger entries")
    return 1 if failed else 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """Verify the audit log's hash chain and its stored head; exit 1 on any break."""
    _setup()
    from huoban.audit.services import verify_audit_log

    r = verify_audit_log()
    if r.ok:
        print(f"ok   audit log: {r.checked} events, head {r.head}")
        return 0
    where = f"event #{r.first_bad}" if r.first_bad is not None else "chain head"
    print(f"BAD  audit log {where}: {r.reason}", file=sys.stderr)
    return 1


def cmd_ledger_rebuild(args: argparse.Namespace) -> int:
    """Append every entry the recorded events earn and the ledger lacks (R-LED-2)."""
    _setup()
    from huoban.commissions.rebuild import rebuild_ledger

    def show(report: object) -> None:
        if args.verbose:
            print(f"  {report.line()}", flush=True)  # type: ignore[attr-defined]

    report = rebuild_ledger(chunk_size=args.chunk, progress=show)
    print(report.line())
    return 0


def cmd_statement(args: argparse.Namespace) -> int:
    """Write a partner's monthly statement as JSON, PDF or Excel (R-LED-9)."""
    _setup()
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    from huoban.commissions import statements
    from huoban.errors import ValidationFailed
    from huoban.partners.models import Partner

    partner = Partner.objects.filter(code=args.code).first()
    if partner is None:
        print(f"no partner {args.code}", file=sys.stderr)
        return 2
    try:
        year, month = statements.parse_month(args.month)
    except ValidationFailed as exc:
        for field, message in exc.errors.items():
            print(f"{field}: {message}", file=sys.stderr)
        return 2
    statement = statements.build_statement(partner, year, month)
    if args.format == "pdf":
        data = statements.render_pdf(statement)
    elif args.format == "xlsx":
        data = statements.render_xlsx(statement)
    else:
        text = json.dumps(
            statements.render_json(statement), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
        )
        data = (text + "\n").encode()
    if args.output and args.output != "-":
        with open(args.output, "wb") as handle:
            handle.write(data)
        print(f"wrote {args.output} (chain head {statement.chain_head})")
    elif args.format == "json":
        sys.stdout.write(data.decode())
    else:
        sys.stdout.buffer.write(data)
    return 0


def cmd_bench_data(args: argparse.Namespace) -> int:
    """Generate the synthetic scale data set into an empty database (bench/README)."""
    _setup()
    from django.conf import settings

    from huoban.demo.benchdata import generate

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    _migrate()
    try:
        report = generate(
            args.scale, seed=args.seed, progress=lambda m: print("  " + m, flush=True)
        )
    except RuntimeError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    for line in report.lines():
        print(line)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """Back up the configured database with its manifest (huoban.backup)."""
    _setup()
    from pathlib import Path

    from huoban.backup import BackupError, backup

    try:
        result = backup(Path(args.output) if args.output else None)
    except BackupError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    ledger = result.manifest["ledger"]
    print(f"备份完成 / backup written: {result.path}")
    print(f"  大小 / size:      {result.size} bytes")
    print(f"  SHA-256:          {result.sha256}")
    print(f"  清单 / manifest:  {result.manifest_path}")
    state = "ok" if ledger["ok"] else "BAD"
    print(
        f"  台账 / ledger:    {state}, {ledger['chains']} chains, {ledger['entries']} entries, "
        f"head {ledger['combined_head']}"
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore a backup: refuse a damaged file, a newer schema or (without --yes) a database
    that is not empty; then migrate forward and verify the ledger (exit 1 if bad)."""
    _setup()
    from pathlib import Path

    from huoban.backup import BackupError, RestoreRefused, describe_target, restore

    try:
        result = restore(Path(args.path), overwrite=args.yes)
    except RestoreRefused as exc:
        print(f"拒绝恢复 / restore refused: {exc}", file=sys.stderr)
        for line in exc.details:
            print(f"  {line}", file=sys.stderr)
        if exc.hint:
            print(exc.hint, file=sys.stderr)
        return 2
    except BackupError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    manifest = result.manifest
    print(f"已恢复 / restored: {args.path} → {describe_target()}")
    print(f"  备份时间 / taken at: {manifest.get('created_at')}")
    for name in result.migrated:
        print(f"  已迁移 / migrated: {name}")
    if not result.counts_match:
        print(f"  行数与清单不符 / row counts differ from the manifest: {result.counts}")
    for item in result.ledger:
        r = item.result
        if r.ok:
            print(f"ok   {item.partner_code}: {r.checked} entries, head {r.head}")
        else:
            where = f"entry #{r.first_bad}" if r.first_bad is not None else "chain head"
            print(f"BAD  {item.partner_code}: ledger {where}: {r.reason}", file=sys.stderr)
    if not result.heads_match:
        print("BAD  台账链头与清单不符 / chain heads differ from the manifest", file=sys.stderr)
    print(("ok" if result.ok else "BAD") + f"   combined head {result.combined_head}")
    return 0 if result.ok else 1


def cmd_manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huoban.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["huoban manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="huoban", description="伙伴 Huoban PRM")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="migrate, load demo data, print logins, serve")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--no-serve", action="store_true", help="load the demo data and exit")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("serve", help="migrate if needed and serve with gunicorn")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    p.add_argument(
        "--threads", type=int, default=1, help="threads per process (default 1: sync workers)"
    )
    p.add_argument("--access-log", action="store_true", help="log every request to stdout")
    p.add_argument("--host", default="127.0.0.1")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("migrate", help="apply database migrations")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("createuser", help="create a user")
    p.add_argument("name")
    p.add_argument("--password", required=True)
    p.add_argument(
        "--role",
        required=True,
        choices=["admin", "officer", "presales", "pm", "finance", "partner"],
    )
    p.add_argument("--partner", help="partner code (for role partner)")
    p.add_argument("--display-name")
    p.set_defaults(func=cmd_createuser)

    p = sub.add_parser("token", help="print a new API token for a user")
    p.add_argument("name")
    p.set_defaults(func=cmd_token)

    p = sub.add_parser("unlock", help="lift a username's sign-in lockouts (audited)")
    p.add_argument("name", help="username")
    p.set_defaults(func=cmd_unlock)

    p = sub.add_parser("tick", help="run the daily jobs as of a date")
    p.add_argument("--date", help="YYYY-MM-DD (default: today)")
    p.set_defaults(func=cmd_tick)

    p = sub.add_parser("ledger", help="the commission ledger")
    ledger_sub = p.add_subparsers(dest="ledger_command", required=True)
    q = ledger_sub.add_parser("verify", help="verify the hash chains; exit 1 on any break")
    q.add_argument("--partner", help="partner code (default: every partner)")
    q.set_defaults(func=cmd_ledger_verify)

    q = ledger_sub.add_parser(
        "rebuild", help="append the entries the recorded events earn and the ledger lacks"
    )
    q.add_argument("--chunk", type=int, default=5000, help="projects per transaction")
    q.add_argument("-v", "--verbose", action="store_true", help="print each chunk")
    q.set_defaults(func=cmd_ledger_rebuild)

    p = sub.add_parser("audit", help="the audit log")
    audit_sub = p.add_subparsers(dest="audit_command", required=True)
    q = audit_sub.add_parser("verify", help="verify the audit chain and its head; exit 1 if bad")
    q.set_defaults(func=cmd_audit_verify)

    p = sub.add_parser("statement", help="a partner's monthly statement (JSON, PDF or Excel)")
    p.add_argument("code", help="partner code")
    p.add_argument("month", help="YYYY-MM")
    p.add_argument("--format", choices=["json", "pdf", "xlsx"], default="json")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_statement)

    p = sub.add_parser("bench-data", help="generate the synthetic scale data set (benchmarks)")
    p.add_argument("--scale", type=float, default=1.0, help="1 = 10k partners, 1M customers")
    p.add_argument("--seed", type=int, default=2026)
    p.set_defaults(func=cmd_bench_data)

    p = sub.add_parser("backup", help="back up the database (with a manifest) to a file")
    p.add_argument("--output", "-o", help="file to write (default: DATA_DIR/backups/…)")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore a backup into the configured database")
    p.add_argument("path", help="the backup file (its manifest <file>.json beside it)")
    p.add_argument("--yes", action="store_true", help="overwrite a database that is not empty")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("manage", help="run a Django management command")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
