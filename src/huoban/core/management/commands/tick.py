"""``huoban tick [--date YYYY-MM-DD]``: the daily jobs as of a date (ARCHITECTURE §5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandParser

from huoban import clock
from huoban.core.management.base import HuobanCommand
from huoban.jobs import run_daily


class Command(HuobanCommand):
    help = "run the jobs as of now (hourly from cron) or as of a date"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="YYYY-MM-DD (default: today)")

    def run(self, **options: Any) -> int:
        if options["date"]:  # as of that day (09:00 local time): a catch-up or a test
            day = dt.date.fromisoformat(options["date"])
            with clock.frozen(day):
                report = run_daily(day)
        else:  # now: run it every hour from cron, the SLA reminders are due 4 hours ahead
            report = run_daily(clock.today())
        for line in report:
            self.say(line)
        return 0
