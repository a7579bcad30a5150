"""``huoban ledger rebuild``: append every entry the recorded events earn and the ledger lacks
(R-LED-2)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from huoban.commissions.rebuild import RebuildReport, rebuild_ledger
from huoban.core.management.base import HuobanCommand


class Command(HuobanCommand):
    help = "append the entries the recorded events earn and the ledger lacks"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chunk", type=int, default=5000, help="projects per transaction")
        # Long form only: -v is Django's --verbosity (`huoban ledger rebuild -v` maps to it).
        parser.add_argument("--verbose", action="store_true", help="print each chunk")

    def run(self, **options: Any) -> int:
        def show(report: RebuildReport) -> None:
            if options["verbose"]:
                self.say(f"  {report.line()}")

        report = rebuild_ledger(chunk_size=options["chunk"], progress=show)
        self.say(report.line())
        return 0
