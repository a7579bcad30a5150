"""``huoban backup [-o FILE]``: a consistent copy of the database with its manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from huoban.backup import BackupError, backup
from huoban.core.management.base import HuobanCommand


class Command(HuobanCommand):
    help = "back up the database (with a manifest) to a file"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="file to write (default: DATA_DIR/backups/…)")

    def run(self, **options: Any) -> int:
        try:
            result = backup(Path(options["output"]) if options["output"] else None)
        except BackupError as exc:
            self.complain(str(exc))
            return 2
        ledger = result.manifest["ledger"]
        self.say(f"备份完成 / backup written: {result.path}")
        self.say(f"  大小 / size:      {result.size} bytes")
        self.say(f"  SHA-256:          {result.sha256}")
        self.say(f"  清单 / manifest:  {result.manifest_path}")
        state = "ok" if ledger["ok"] else "BAD"
        self.say(
            f"  台账 / ledger:    {state}, {ledger['chains']} chains, {ledger['entries']} "
            f"entries, head {ledger['combined_head']}"
        )
        return 0
