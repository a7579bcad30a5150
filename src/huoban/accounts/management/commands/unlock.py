"""``huoban unlock NAME``: lift a username's sign-in lockouts, audited."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from huoban.accounts.throttle import unlock
from huoban.core.management.base import HuobanCommand


class Command(HuobanCommand):
    help = "lift a username's sign-in lockouts (audited)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="username")

    def run(self, **options: Any) -> int:
        lifted = unlock(options["name"], actor=None)
        self.say(f"ok   {options['name']}: {lifted} lockout(s) lifted")
        return 0
