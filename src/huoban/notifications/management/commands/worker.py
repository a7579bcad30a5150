"""``huoban worker [--once]``: deliver the outbox (ARCHITECTURE §5, R-NOTE-3)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import CommandParser
from django.db import close_old_connections

from huoban.core.management.base import HuobanCommand
from huoban.notifications.outbox import deliver_due


class Command(HuobanCommand):
    help = "Deliver the outbox (e-mail, webhooks) with R-NOTE-3's retries; --once: what is due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="deliver what is due and exit")
        parser.add_argument(
            "--interval", type=float, default=2.0, help="seconds between rounds (default 2)"
        )

    def run(self, **options: Any) -> int:
        if options["once"]:
            sent, failed = deliver_due()
            self.say(f"worker: sent {sent}, failed {failed}")
            return 0
        self.say("huoban worker: delivering the outbox (Ctrl-C to stop)")
        try:
            while True:
                sent, failed = self._round()
                if sent or failed:
                    self.say(f"worker: sent {sent}, failed {failed}")
                elif options["interval"]:
                    time.sleep(options["interval"])
        except KeyboardInterrupt:
            return 0

    def _round(self) -> tuple[int, int]:
        # A long-running process: drop a connection that broke or outlived CONN_MAX_AGE
        # between rounds, as Django does between requests.
        close_old_connections()
        return deliver_due()
