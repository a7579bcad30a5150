"""``huoban statement CODE YYYY-MM [--format json|pdf|xlsx] [-o FILE]``: a partner's monthly
statement (R-LED-9)."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from huoban.commissions import statements
from huoban.core.management.base import HuobanCommand
from huoban.errors import ValidationFailed
from huoban.partners.models import Partner


class Command(HuobanCommand):
    help = "a partner's monthly statement (JSON, PDF or Excel)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="partner code")
        parser.add_argument("month", help="YYYY-MM")
        parser.add_argument("--format", choices=["json", "pdf", "xlsx"], default="json")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def run(self, **options: Any) -> int:
        partner = Partner.objects.filter(code=options["code"]).first()
        if partner is None:
            self.complain(f"no partner {options['code']}")
            return 2
        try:
            year, month = statements.parse_month(options["month"])
        except ValidationFailed as exc:
            for field, message in exc.errors.items():
                self.complain(f"{field}: {message}")
            return 2
        statement = statements.build_statement(partner, year, month)
        kind, output = options["format"], options["output"]
        if kind == "pdf":
            data = statements.render_pdf(statement)
        elif kind == "xlsx":
            data = statements.render_xlsx(statement)
        else:
            text = json.dumps(
                statements.render_json(statement),
                cls=DjangoJSONEncoder,
                ensure_ascii=False,
                indent=2,
            )
            data = (text + "\n").encode()
        if output and output != "-":
            with open(output, "wb") as handle:
                handle.write(data)
            self.say(f"wrote {output} (chain head {statement.chain_head})")
        elif kind == "json":
            self.stdout.write(data.decode(), ending="")
        else:
            # A PDF or a workbook is bytes: straight to the process's standard output.
            self.stdout.flush()
            sys.stdout.buffer.write(data)
        return 0
