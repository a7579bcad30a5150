"""``huoban import KIND FILE [--dry-run] [--as USERNAME]`` (ARCHITECTURE §5, R-IMP-6): check or
import a spreadsheet. Prints ``row R, column C: message`` for each bad row and exits 1 (nothing
written); otherwise ``created N, unchanged M, failed 0``. The rows are recorded as USERNAME —
by default the first active administrator (D-IMP-1) — and progress goes to standard error on
large files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from huoban.accounts.models import Role, User
from huoban.core.management.base import HuobanCommand
from huoban.errors import Forbidden, ValidationFailed
from huoban.imports.kinds import KINDS
from huoban.imports.services import run_import


class Command(HuobanCommand):
    help = "import partners, customers, projects, payments or KPI actuals from .xlsx or .csv"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help=f"one of {', '.join(KINDS)}")
        parser.add_argument("file", help="the .xlsx or .csv file")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--as", dest="username", help="record as this user (default: an admin)")

    def run(self, **options: Any) -> int:
        path = Path(options["file"])
        if not path.is_file():
            self.complain(f"no such file: {path}")
            return 2
        actor = self._actor(options.get("username"))
        if actor is None:
            return 2
        progress = sys.stderr.isatty()

        def show(rows: int) -> None:
            if progress:
                sys.stderr.write(f"\r  {rows:,} rows …")
                sys.stderr.flush()

        try:
            result = run_import(
                options["kind"],
                file_name=path.name,
                data=path.read_bytes(),
                actor=actor,
                dry_run=options["dry_run"],
                progress=show,
            )
        except (ValidationFailed, Forbidden) as exc:
            self.complain(str(exc))
            return 2
        if progress and result.rows >= 1000:
            sys.stderr.write("\n")
        for error in result.errors:
            self.say(error.line())
        if options["dry_run"] and not result.errors:
            self.say("dry run: every row is good; nothing written")
        self.say(result.summary())
        return 1 if result.errors else 0

    def _actor(self, username: str | None) -> User | None:
        users = User.objects.filter(is_active=True)
        if username:
            actor = users.filter(username=username).first()
            if actor is None:
                self.complain(f"no active user {username}")
            return actor
        actor = users.filter(role=Role.ADMIN).order_by("pk").first()
        if actor is None:
            self.complain("no active administrator: name a user with --as")
        return actor
