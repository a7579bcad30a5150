"""`huoban serve` (ARCHITECTURE §5): the gunicorn it starts (docs/decisions.md, "Benchmarks at
scale")."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connections

from huoban import cli


@pytest.fixture
def gunicorn_argv(monkeypatch):
    """Run the serve command without a server: record the argv gunicorn would get."""
    seen: list[list[str]] = []

    def run() -> None:
        seen.append(list(sys.argv))

    monkeypatch.setattr("gunicorn.app.wsgiapp.run", run)
    monkeypatch.setattr(cli, "_setup", lambda: None)
    monkeypatch.setattr(cli, "_migrate", lambda verbosity=0: None)
    monkeypatch.setattr(cli, "_collectstatic", lambda: None)
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    return seen


def test_it_serves_sync_workers_without_an_access_log(gunicorn_argv):
    assert cli.main(["serve", "--port", "8123"]) == 0
    (argv,) = gunicorn_argv
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8123"
    assert argv[argv.index("--workers") + 1] == "2"
    assert argv[argv.index("--threads") + 1] == "1"  # gunicorn's sync worker
    assert "--worker-class" not in argv
    assert "--access-logfile" not in argv


def test_it_takes_workers_threads_host_and_the_access_log(gunicorn_argv):
    args = ["serve", "--port", "9000", "--workers", "3", "--threads", "2", "--host", "0.0.0.0"]
    assert cli.main([*args, "--access-log"]) == 0
    (argv,) = gunicorn_argv
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:9000"
    assert argv[argv.index("--workers") + 1] == "3"
    assert argv[argv.index("--threads") + 1] == "2"
    assert argv[argv.index("--access-logfile") + 1] == "-"


def test_it_closes_the_database_connections_before_gunicorn_forks(monkeypatch):
    # the command's own connection (it migrated the database) must not be inherited by workers
    calls: list[str] = []
    monkeypatch.setattr(connections, "close_all", lambda: calls.append("close connections"))
    monkeypatch.setattr("gunicorn.app.wsgiapp.run", lambda: calls.append("fork workers"))
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    cli._serve(8123, 2)
    assert calls == ["close connections", "fork workers"]


def test_with_worker_starts_huoban_worker_beside_the_server(gunicorn_argv, monkeypatch):
    started: list[list[str]] = []

    class Child:
        pid = 4242

        def __init__(self, argv: list[str]) -> None:
            started.append(argv)

        def terminate(self) -> None:
            pass

    monkeypatch.setattr(cli.subprocess, "Popen", Child)
    assert cli.main(["serve"]) == 0
    assert started == []  # not unless asked
    assert cli.main(["serve", "--with-worker"]) == 0
    assert started == [[sys.executable, "-m", "huoban.cli", "worker"]]


def test_the_worker_process_delivers_and_stops(tmp_path):
    """`python -m huoban.cli worker --once` runs in a process of its own (as the server's child
    does) and exits 0 on an empty outbox (a fresh SQLite data directory of its own)."""
    if not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        pytest.skip("the child process gets a fresh SQLite data directory")
    env = {**os.environ, "HUOBAN_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    migrate = [sys.executable, "-m", "huoban.cli", "migrate"]
    subprocess.run(migrate, env=env, check=True, capture_output=True, timeout=300)
    done = subprocess.run(
        [sys.executable, "-m", "huoban.cli", "worker", "--once"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stdout.strip()) == (0, "worker: sent 0, failed 0")
