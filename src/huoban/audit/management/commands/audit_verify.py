"""``huoban audit verify``: the audit log's hash chain and its stored head; exit 1 if bad."""

from __future__ import annotations

from typing import Any

from huoban.audit.services import verify_audit_log
from huoban.core.management.base import HuobanCommand


class Command(HuobanCommand):
    help = "verify the audit chain and its head; exit 1 if bad"

    def run(self, **options: Any) -> int:
        r = verify_audit_log()
        if r.ok:
            self.say(f"ok   audit log: {r.checked} events, head {r.head}")
            return 0
        where = f"event #{r.first_bad}" if r.first_bad is not None else "chain head"
        self.complain(f"BAD  audit log {where}: {r.reason}")
        return 1
