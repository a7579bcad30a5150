"""The `huoban` command (ARCHITECTURE §5).

The command line is the contract outside checks drive: its arguments are parsed here. Serving
and the demo live here; every business command is a Django management command
(``*/management/commands/``, on :class:`huoban.core.management.base.HuobanCommand`) that this
front end runs with ``call_command``, so ``huoban manage tick`` and tests reach the same code.
"""

from __future__ import annotations

import argparse
import atexit
import os
import subprocess
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


def _start_worker() -> subprocess.Popen[bytes]:
    """``huoban worker`` in a child process beside the server (R-NOTE-3), stopped with it."""
    child = subprocess.Popen([sys.executable, "-m", "huoban.cli", "worker"])
    atexit.register(child.terminate)
    print(f"huoban worker: delivering the outbox (pid {child.pid})", flush=True)
    return child


def _serve(
    port: int,
    workers: int,
    host: str = "127.0.0.1",
    threads: int = 1,
    access_log: bool = False,
    with_worker: bool = False,
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
    if with_worker:
        _start_worker()
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
    return _serve(args.port, args.workers, with_worker=True)


def cmd_serve(args: argparse.Namespace) -> int:
    _setup()
    _migrate()
    _collectstatic()
    return _serve(
        args.port, args.workers, args.host, args.threads, args.access_log, args.with_worker
    )


def cmd_migrate(args: argparse.Namespace) -> int:
    _setup()
    _migrate(verbosity=1)
    return 0


def _command(command_name: str, /, *args: str, **options: object) -> int:
    """Run the management command ``command_name`` (the business commands live there, so that
    ``call_command`` and ``huoban manage`` reach them too) and return its exit code."""
    _setup()
    from django.core.management import call_command, get_commands, load_command_class

    from huoban.core.management.base import HuobanCommand

    command = load_command_class(get_commands()[command_name], command_name)
    assert isinstance(command, HuobanCommand)
    call_command(command, *args, **options)
    return command.exit_code


def cmd_createuser(args: argparse.Namespace) -> int:
    return _command(
        "createuser",
        args.name,
        password=args.password,
        role=args.role,
        partner=args.partner,
        display_name=args.display_name,
    )


def cmd_token(args: argparse.Namespace) -> int:
    return _command("token", args.name)


def cmd_unlock(args: argparse.Namespace) -> int:
    return _command("unlock", args.name)


def cmd_tick(args: argparse.Namespace) -> int:
    return _command("tick", date=args.date)


def cmd_worker(args: argparse.Namespace) -> int:
    return _command("worker", once=args.once, interval=args.interval)


def cmd_ledger_verify(args: argparse.Namespace) -> int:
    return _command("ledger_verify", partner=args.partner)


def cmd_audit_verify(args: argparse.Namespace) -> int:
    return _command("audit_verify")


def cmd_ledger_rebuild(args: argparse.Namespace) -> int:
    return _command("ledger_rebuild", chunk=args.chunk, verbose=args.verbose)


def cmd_statement(args: argparse.Namespace) -> int:
    return _command("statement", args.code, args.month, format=args.format, output=args.output)


def cmd_import(args: argparse.Namespace) -> int:
    return _command(
        "import_rows", args.kind, args.file, dry_run=args.dry_run, username=args.username
    )


def cmd_bench_data(args: argparse.Namespace) -> int:
    return _command("bench_data", scale=args.scale, seed=args.seed)


def cmd_backup(args: argparse.Namespace) -> int:
    return _command("backup", output=args.output)


def cmd_restore(args: argparse.Namespace) -> int:
    return _command("restore", args.path, yes=args.yes)


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
    p.add_argument(
        "--with-worker", action="store_true", help="run `huoban worker` beside the server"
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("migrate", help="apply database migrations")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("createuser", help="create a user")
    p.add_argument("name")
    p.add_argument("--password", required=True)
    p.add_argument(
        "--role",
        required=True,
        choices=["admin", "officer", "presales", "pm", "finance", "gm", "legal", "partner"],
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

    p = sub.add_parser("tick", help="run the jobs as of now (hourly from cron) or as of a date")
    p.add_argument("--date", help="YYYY-MM-DD (default: today)")
    p.set_defaults(func=cmd_tick)

    p = sub.add_parser("worker", help="deliver the outbox (e-mail, robots, webhooks) as R-NOTE-3")
    p.add_argument("--once", action="store_true", help="deliver what is due now and exit")
    p.add_argument("--interval", type=float, default=2.0, help="seconds between rounds")
    p.set_defaults(func=cmd_worker)

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

    p = sub.add_parser("import", help="import rows of a kind from .xlsx or .csv (R-IMP)")
    p.add_argument("kind", help="partners, customers, projects, payments or kpis")
    p.add_argument("file", help="the .xlsx or .csv file")
    p.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    p.add_argument("--as", dest="username", help="record as this user (default: an admin)")
    p.set_defaults(func=cmd_import)

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
