"""``huoban ledger verify [--partner CODE]``: the hash chains (R-LED-3); exit 1 naming the first
bad entry."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from huoban.commissions.ledger import verify_ledger
from huoban.core.management.base import HuobanCommand
from huoban.partners.models import Partner


class Command(HuobanCommand):
    help = "verify the hash chains; exit 1 on any break"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partner", help="partner code (default: every partner)")

    def run(self, **options: Any) -> int:
        partner = None
        if options["partner"]:
            partner = Partner.objects.filter(code=options["partner"]).first()
            if partner is None:
                self.complain(f"no partner {options['partner']}")
                return 2
        results = verify_ledger(partner)
        failed = False
        for item in results:
            r = item.result
            if r.ok:
                self.say(f"ok   {item.partner_code}: {r.checked} entries, head {r.head}")
                continue
            where = f"entry #{r.first_bad}" if r.first_bad is not None else "chain head"
            self.complain(f"BAD  {item.partner_code}: ledger {where}: {r.reason}")
            failed = True
        if not results:
            self.say("ok   no ledger entries")
        return 1 if failed else 0
