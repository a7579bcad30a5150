"""The harness shared by the benchmarks that measure ``huoban serve`` over HTTP.

* :class:`ScaleData` provides a fresh copy of the ``huoban bench-data`` set with its ledger.
* :class:`Server` starts ``huoban serve`` as a subprocess (its own process group) on a free port
  against the data the environment names (``HUOBAN_DATA_DIR`` or ``DATABASE_URL``, passed
  through), waits until ``/healthz`` answers, and kills the whole group on exit — also on
  Ctrl-C, SIGTERM or an exception, so no gunicorn outlives the benchmark.
* :class:`Http` is a keep-alive client (``http.client``, one connection per thread).
* :func:`issue_tokens` issues API tokens as ``huoban token`` does; :func:`web_login` signs a
  user in through the login form, as a browser does.
* :func:`percentile`, :func:`summary` and :func:`machine` format what the benchmarks print.

The benchmarks read their workload (partner users, customer names) from the same database
through Django in the benchmark process, before the measurement; the measurement itself only
speaks HTTP.
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse, urlunparse

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
HUOBAN = Path(sys.executable).with_name("huoban")
CLK_TCK = os.sysconf("SC_CLK_TCK")


def setup_django() -> None:
    """Django in the benchmark process (for reading the workload), on the server's database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huoban.settings")
    import django

    django.setup()


def close_django() -> None:
    """Close the benchmark process's own connections before the measurement."""
    from django.db import connections

    connections.close_all()


def vendor() -> str:
    """The database the server will use, as Django names it."""
    scheme = urlparse(os.environ.get("DATABASE_URL", "")).scheme
    if scheme in ("postgres", "postgresql", "pgsql"):
        return "postgresql"
    return "sqlite"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- the data set ------------------------------------------------------------------------------


def _with_db(url: str, name: str) -> str:
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


def _psql(url: str, sql: str, database: str = "postgres") -> None:
    """Run `sql` (autocommit) in `database` of the server `url` names: by default the
    maintenance database, from which databases are created and dropped."""
    import psycopg

    with psycopg.connect(_with_db(url, database), autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


class ScaleData:
    """``huoban bench-data --scale N`` with its ledger built (``huoban ledger rebuild``),
    generated once — ``var/bench/n<N>-ledger/`` on SQLite, database ``huoban_bench_n<N>_ledger``
    when DATABASE_URL names a PostgreSQL server (then ``VACUUM ANALYZE``d, as autovacuum would
    leave it) — and copied fresh for each benchmark, which points the environment at the copy.
    The copy is removed on exit."""

    def __init__(self, scale: float) -> None:
        tag = f"n{scale:g}".replace(".", "_") + "-ledger"
        self.scale = scale
        self.pg = os.environ.get("DATABASE_URL") if vendor() == "postgresql" else None
        self.pristine_dir = HERE.parent / "var" / "bench" / tag
        self.pristine_db = "huoban_bench_" + tag.replace("-", "_")
        self.work_dir = HERE.parent / "var" / "bench" / f"{tag}-run-{os.getpid()}"
        self.work_db = f"{self.pristine_db}_run_{os.getpid()}"

    def _env(self, pristine: bool) -> dict[str, str]:
        env = dict(os.environ)
        env["HUOBAN_DATA_DIR"] = str(self.pristine_dir if pristine else self.work_dir)
        if self.pg:
            env["DATABASE_URL"] = _with_db(self.pg, self.pristine_db if pristine else self.work_db)
        else:
            env.pop("DATABASE_URL", None)
        return env

    def _huoban(self, *args: str) -> None:
        subprocess.run([str(HUOBAN), *args], env=self._env(pristine=True), check=True)

    def ensure(self) -> None:
        """Generate the pristine data once; bring its schema up to date."""
        marker = self.pristine_dir / ("pg-generated" if self.pg else "generated")
        if not marker.exists():
            self.pristine_dir.mkdir(parents=True, exist_ok=True)
            if self.pg:
                _psql(self.pg, f'DROP DATABASE IF EXISTS "{self.pristine_db}"')
                _psql(self.pg, f'CREATE DATABASE "{self.pristine_db}"')
            else:
                for f in self.pristine_dir.glob("huoban.sqlite3*"):
                    f.unlink()
            print(f"generating the data set (scale {self.scale:g}) and its ledger …", flush=True)
            self._huoban("bench-data", "--scale", f"{self.scale:g}")
            self._huoban("ledger", "rebuild")
        self._huoban("migrate")
        if self.pg:
            # Statistics after every migration too: a new index on stale statistics makes the
            # planner pick a bitmap scan of every pending ledger entry (2.6 s instead of 0.3 s).
            # (It ran in the maintenance database until 2026-12-07: the data sets generated
            # before were analysed by autovacuum only and never vacuumed.)
            _psql(self.pg, "VACUUM ANALYZE", database=self.pristine_db)
        marker.touch()

    def __enter__(self) -> ScaleData:
        self.ensure()
        print(f"copying the data set to {self.work_db if self.pg else self.work_dir} …", flush=True)
        self.work_dir.mkdir(parents=True, exist_ok=True)
        atexit.register(self.cleanup)
        if self.pg:
            _psql(self.pg, f'CREATE DATABASE "{self.work_db}" TEMPLATE "{self.pristine_db}"')
        for f in self.pristine_dir.iterdir():
            if f.is_file() and f.name not in ("generated", "pg-generated"):
                shutil.copy(f, self.work_dir / f.name)
        os.environ.update(self._env(pristine=False))
        if not self.pg:
            os.environ.pop("DATABASE_URL", None)
        return self

    def __exit__(self, *exc: object) -> None:
        self.cleanup()

    def cleanup(self) -> None:
        if self.pg:
            with contextlib.suppress(Exception):
                _psql(self.pg, f'DROP DATABASE IF EXISTS "{self.work_db}" WITH (FORCE)')
        shutil.rmtree(self.work_dir, ignore_errors=True)


def data_for(scale: float | None) -> contextlib.AbstractContextManager[Any]:
    """The benchmark's data: a fresh copy of the scale data set, or (no scale) the data the
    environment names, used as it is."""
    return ScaleData(scale) if scale is not None else contextlib.nullcontext()


# --- the server --------------------------------------------------------------------------------


def _proc_stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, user + system CPU seconds) of a process, from /proc."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / CLK_TCK


def tree_cpu_seconds(root: int) -> float:
    """CPU seconds used so far by `root` and its living descendants (the gunicorn workers)."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := _proc_stat(int(entry))) is not None:
            parents[int(entry)], cpu[int(entry)] = stat
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [p for p, parent in parents.items() if parent == pid and p not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(cpu.get(p, 0.0) for p in tree)


def postgres_cpu_seconds() -> dict[int, float]:
    """CPU seconds used so far by each living PostgreSQL process on this machine (every
    backend, other users' included: read the sum as an upper bound of the server's database
    work)."""
    seconds: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            comm = Path(f"/proc/{entry}/comm").read_text().strip()
        except OSError:
            continue
        if comm.startswith("postgres") and (stat := _proc_stat(int(entry))) is not None:
            seconds[int(entry)] = stat[1]
    return seconds


def cpu_since(before: dict[int, float], now: dict[int, float]) -> float:
    """CPU used between two snapshots by the processes still alive (new ones in full)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in now.items())


@dataclass
class Server:
    """``huoban serve`` on a free port; a context manager that always kills what it started."""

    workers: int | None = None
    threads: int | None = None
    port: int = 0
    log_path: Path = field(default_factory=lambda: OUT / f"server-{os.getpid()}.log")
    ready_timeout: float = 600.0
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        OUT.mkdir(exist_ok=True)
        self.port = self.port or free_port()
        cmd = [str(HUOBAN), "serve", "--port", str(self.port)]
        if self.workers is not None:
            cmd += ["--workers", str(self.workers)]
        if self.threads is not None:
            cmd += ["--threads", str(self.threads)]
        _install_signal_handlers()
        log = self.log_path.open("wb")
        # A process group of its own: stop() signals the master and every worker at once.
        self.proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=os.environ
        )
        log.close()
        atexit.register(self.stop)
        self._wait_ready()

    def _wait_ready(self) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"huoban serve exited ({self.proc.returncode}):\n{self.log()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            time.sleep(0.5)
        raise RuntimeError(f"huoban serve did not answer within {self.ready_timeout:.0f} s")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def log(self, tail: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-tail:])
        return ""

    def cpu_seconds(self) -> float:
        return tree_cpu_seconds(self.proc.pid) if self.proc is not None else 0.0

    def settings(self) -> dict[str, Any]:
        """What gunicorn says it runs (its start-up log) and the database vendor."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        worker_class = re.search(r"Using worker: (\S+)", text)
        threads = re.search(r"× (\d+) threads", text)
        return {
            "workers": len(set(re.findall(r"Booting worker with pid: (\d+)", text))),
            "worker_class": worker_class.group(1) if worker_class else "?",
            "threads": int(threads.group(1)) if threads else None,
            "vendor": vendor(),
        }


_handlers_installed = False


def _install_signal_handlers() -> None:
    """SIGTERM/SIGHUP unwind like Ctrl-C does, so ``with Server()`` and atexit clean up."""
    global _handlers_installed
    if _handlers_installed:
        return

    def unwind(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, unwind)
    _handlers_installed = True


# --- the client --------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    body: bytes
    ms: float
    headers: http.client.HTTPMessage | None = None
    error: str = ""

    def json(self) -> Any:
        return json.loads(self.body)


class Http:
    """One keep-alive connection (reopened when the server closes it); not thread-safe. With
    ``cookies=True`` it keeps the cookies the server sets and sends them back, as a browser."""

    def __init__(self, base_url: str, timeout: float = 60.0, *, cookies: bool = False) -> None:
        parsed = urlparse(base_url)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self.timeout = timeout
        self.conn: http.client.HTTPConnection | None = None
        self.keep_cookies = cookies
        self.cookies: dict[str, str] = {}
        self.reconnects = 0

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        """Send one request; the time includes one reconnect-and-resend when a kept-alive
        connection turns out closed (as any keep-alive client does). Errors are returned, not
        raised: status 0 and the exception's name."""
        sent = dict(headers or {})
        if self.keep_cookies and self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        for attempt in (1, 2):
            reused = self.conn is not None and self.conn.sock is not None
            try:
                conn = self._connection()
                conn.request(method, path, body=body, headers=sent)
                response = conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as e:
                self.close()
                if attempt == 1 and reused:
                    self.reconnects += 1
                    continue
                return Reply(0, b"", _ms(started), error=type(e).__name__)
            except (OSError, http.client.HTTPException) as e:
                self.close()
                return Reply(0, b"", _ms(started), error=type(e).__name__)
            ms = _ms(started)
            if self.keep_cookies:
                for header in response.headers.get_all("Set-Cookie") or []:
                    self.cookies.update((k, m.value) for k, m in SimpleCookie(header).items())
            if response.will_close:
                self.close()
            return Reply(response.status, data, ms, response.headers)
        raise AssertionError("unreachable")

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return self.request("GET", path, headers=headers)

    def post_json(self, path: str, payload: Any, headers: dict[str, str] | None = None) -> Reply:
        body = json.dumps(payload, ensure_ascii=False).encode()
        sent = {"Content-Type": "application/json", **(headers or {})}
        return self.request("POST", path, body=body, headers=sent)


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0


def issue_tokens(usernames: Sequence[str]) -> list[str]:
    """New API tokens for these users, issued in this process as ``huoban token`` does."""
    from huoban.accounts.models import User
    from huoban.accounts.services import issue_token

    users = {u.username: u for u in User.objects.filter(username__in=list(usernames))}
    return [issue_token(users[name], "bench") for name in usernames]


CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def web_login(base_url: str, username: str, password: str) -> dict[str, str]:
    """Sign in through the login form (``/login/``, with its CSRF token) as a browser does;
    the session's cookies."""
    client = Http(base_url, cookies=True)
    try:
        form = client.get("/login/")
        token = CSRF_FIELD.search(form.body)
        if form.status != 200 or token is None:
            raise RuntimeError(f"login form: HTTP {form.status}")
        body = urlencode(
            {
                "csrfmiddlewaretoken": token.group(1).decode(),
                "username": username,
                "password": password,
                "next": "",
            }
        ).encode()
        reply = client.request(
            "POST",
            "/login/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"{base_url}/login/",
            },
        )
    finally:
        client.close()
    if reply.status != 302 or "sessionid" not in client.cookies:
        raise RuntimeError(f"login {username}: HTTP {reply.status} {reply.body[:300]!r}")
    return dict(client.cookies)


# --- figures -----------------------------------------------------------------------------------


def percentile(samples: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0–100)."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(samples: Sequence[float]) -> dict[str, float]:
    return {
        "count": len(samples),
        "p50": percentile(samples, 50),
        "p95": percentile(samples, 95),
        "p99": percentile(samples, 99),
        "max": max(samples) if samples else math.nan,
        "mean": statistics.fmean(samples) if samples else math.nan,
    }


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def machine() -> dict[str, Any]:
    head = subprocess.run(
        ["git", "-C", str(HERE.parent), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "commit": head,
        "loadavg": loadavg(),
    }


def relative(path: Path) -> Path:
    return path.relative_to(HERE.parent)


def write_json(name: str, payload: dict[str, Any]) -> Path:
    OUT.mkdir(exist_ok=True)
    path = OUT / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    return path


@contextlib.contextmanager
def cpu_meter(server: Server) -> Iterator[dict[str, float]]:
    """Wall, this process's CPU, the server's CPU and (on PostgreSQL) the database's CPU over the
    block (seconds)."""
    figures: dict[str, float] = {}
    on_pg = vendor() == "postgresql"
    wall, client, served = time.perf_counter(), time.process_time(), server.cpu_seconds()
    database = postgres_cpu_seconds() if on_pg else {}
    try:
        yield figures
    finally:
        figures["wall"] = time.perf_counter() - wall
        figures["client_cpu"] = time.process_time() - client
        figures["server_cpu"] = server.cpu_seconds() - served
        if on_pg:
            figures["postgres_cpu"] = cpu_since(database, postgres_cpu_seconds())


def add_common_arguments(parser: Any) -> None:
    """The options both HTTP benchmarks take: seed, server shape and the data set."""
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, help="huoban serve --workers (default: its own)")
    parser.add_argument("--threads", type=int, help="huoban serve --threads (default: its own)")
    parser.add_argument(
        "--scale",
        type=float,
        help="a fresh copy of `huoban bench-data --scale N` with its ledger, generated once "
        "under var/bench/ (default: the data HUOBAN_DATA_DIR / DATABASE_URL name, as it is)",
    )
