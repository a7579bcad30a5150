"""``huoban bench-data [--scale N] [--seed S]``: the synthetic scale data set (bench/README)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandParser

from huoban.core.management.base import HuobanCommand
from huoban.demo.benchdata import generate


class Command(HuobanCommand):
    help = "generate the synthetic scale data set (benchmarks)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1 = 10k partners, 1M customers"
        )
        parser.add_argument("--seed", type=int, default=2026)

    def run(self, **options: Any) -> int:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        try:
            report = generate(
                options["scale"], seed=options["seed"], progress=lambda m: self.say("  " + m)
            )
        except RuntimeError as exc:
            self.complain(str(exc))
            return 2
        for line in report.lines():
            self.say(line)
        return 0
