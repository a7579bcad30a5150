"""The base of Huoban's management commands (issue #11, D-FRAME-20).

Every command of the `huoban` command line (ARCHITECTURE §5) is a Django management command, so
``call_command("tick", date="2026-01-01")`` and ``huoban manage tick --date 2026-01-01`` do what
``huoban tick --date 2026-01-01`` does. A command's :meth:`run` returns the exit code the
command line promises (0 ok, 1 a verification failed, 2 bad input); it writes its lines to
``self.stdout`` and its complaints to ``self.stderr``.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand


class HuobanCommand(BaseCommand):
    #: The exit code of the last run (0 ok, 1 a check failed, 2 bad input).
    exit_code = 0

    def run(self, **options: Any) -> int:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        self.exit_code = int(self.run(**options) or 0)

    def say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def complain(self, line: str) -> None:
        self.stderr.write(line)

    def run_from_argv(self, argv: list[str]) -> None:
        super().run_from_argv(argv)
        if self.exit_code:
            sys.exit(self.exit_code)
