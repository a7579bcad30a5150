"""Webhook delivery throughput (issue #14): how many signed deliveries a second ``huoban worker``
posts to a local receiver.

    .venv/bin/python bench/webhooks.py [--messages 2000] [--runs 3]

A fresh SQLite database (or, when DATABASE_URL names a PostgreSQL server, an empty database on
it, which it migrates) holds one webhook and ``--messages`` pending deliveries of a lead event
(as the worker's fan-out writes them); an HTTP server on 127.0.0.1 in this process answers 200
to each POST (a ``ThreadingHTTPServer``, reading the body). One worker — :func:`deliver_due` in
rounds of 100, exactly what ``huoban worker`` runs — drains the outbox; the figure is deliveries
per second of wall time, median of ``--runs`` runs (target ≥ 200/s). Every delivery is checked
to have arrived once, signed. Not a test: nothing here asserts a figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


class Receiver:
    def __init__(self) -> None:
        self.ids: list[str] = []
        lock = threading.Lock()
        ids = self.ids

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a production receiver would
            disable_nagle_algorithm = True  # else each answer waits ~40 ms for a delayed ACK

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                with lock:
                    ids.append(self.headers["X-Huoban-Delivery"])
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def one_run(messages: int, receiver: Receiver) -> float:
    from huoban import clock
    from huoban.accounts.models import User
    from huoban.notifications import outbox
    from huoban.notifications.models import Delivery, Webhook

    Delivery.objects.all().delete()
    Webhook.objects.all().delete()
    admin = User.objects.get(username="bench-admin")
    hook = Webhook.objects.create(
        url=receiver.url,
        events=["lead.submitted"],
        secret="s" * 64,
        created_by=admin,
        created_at=clock.now(),
    )
    now = clock.now() - dt.timedelta(seconds=1)
    for start in range(0, messages, 1000):
        batch = []
        for i in range(start, min(messages, start + 1000)):
            event_id = uuid.uuid4()
            body = (
                f'{{"id":"{event_id}","event":"lead.submitted","created_at":"{now.isoformat()}",'
                f'"data":{{"lead_id":{i},"title":"新线索 #{i} 东义集团待评估"}}}}'
            )
            batch.append(
                Delivery(
                    webhook=hook,
                    event="lead.submitted",
                    event_id=event_id,
                    body=body,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
        Delivery.objects.bulk_create(batch)
    receiver.ids.clear()
    started = time.perf_counter()
    sent = 0
    while True:
        done, failed = outbox.deliver_due()
        if failed:
            raise SystemExit(f"{failed} deliveries failed")
        if not done:
            break
        sent += done
    elapsed = time.perf_counter() - started
    assert sent == messages == len(set(receiver.ids)), (sent, len(receiver.ids))
    return messages / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("HUOBAN_DATA_DIR", tempfile.mkdtemp(prefix="huoban-bench-hooks-"))
    os.environ["HUOBAN_WEBHOOK_ALLOW_PRIVATE"] = "true"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huoban.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from huoban.accounts.models import Role, User

    if User.objects.exclude(username="bench-admin").exists():
        # it deletes every webhook and delivery: never on a database with anything else in it
        raise SystemExit("point DATABASE_URL at an empty database (or leave it unset: SQLite)")

    User.objects.get_or_create(username="bench-admin", defaults={"role": Role.ADMIN})
    receiver = Receiver()
    rates = []
    for run in range(1, args.runs + 1):
        rate = one_run(args.messages, receiver)
        rates.append(rate)
        print(f"run {run}: {args.messages} deliveries, {rate:,.0f}/s", flush=True)
    print(
        f"== webhooks, {connection.vendor}: median {statistics.median(rates):,.0f} deliveries/s "
        f"over {args.runs} runs (target ≥ 200/s) =="
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
