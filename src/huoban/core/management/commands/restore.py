"""``huoban restore FILE [--yes]``: refuse a damaged file, a newer schema or (without --yes) a
database that is not empty; then migrate forward and verify the ledger (exit 1 if bad)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from huoban.backup import BackupError, RestoreRefused, describe_target, restore
from huoban.core.management.base import HuobanCommand


class Command(HuobanCommand):
    help = "restore a backup into the configured database"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the backup file (its manifest <file>.json beside it)")
        parser.add_argument(
            "--yes", action="store_true", help="overwrite a database that is not empty"
        )

    def run(self, **options: Any) -> int:
        path = options["path"]
        try:
            result = restore(Path(path), overwrite=options["yes"])
        except RestoreRefused as exc:
            self.complain(f"拒绝恢复 / restore refused: {exc}")
            for line in exc.details:
                self.complain(f"  {line}")
            if exc.hint:
                self.complain(exc.hint)
            return 2
        except BackupError as exc:
            self.complain(str(exc))
            return 2
        manifest = result.manifest
        self.say(f"已恢复 / restored: {path} → {describe_target()}")
        self.say(f"  备份时间 / taken at: {manifest.get('created_at')}")
        for name in result.migrated:
            self.say(f"  已迁移 / migrated: {name}")
        if not result.counts_match:
            self.say(f"  行数与清单不符 / row counts differ from the manifest: {result.counts}")
        for item in result.ledger:
            r = item.result
            if r.ok:
                self.say(f"ok   {item.partner_code}: {r.checked} entries, head {r.head}")
            else:
                where = f"entry #{r.first_bad}" if r.first_bad is not None else "chain head"
                self.complain(f"BAD  {item.partner_code}: ledger {where}: {r.reason}")
        if not result.heads_match:
            self.complain("BAD  台账链头与清单不符 / chain heads differ from the manifest")
        self.say(("ok" if result.ok else "BAD") + f"   combined head {result.combined_head}")
        return 0 if result.ok else 1
