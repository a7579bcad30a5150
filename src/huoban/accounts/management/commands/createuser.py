"""``huoban createuser NAME --password P --role ROLE [--partner CODE]`` (ARCHITECTURE §5)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from huoban.accounts.models import Role
from huoban.accounts.services import create_user
from huoban.core.management.base import HuobanCommand
from huoban.errors import ValidationFailed
from huoban.partners.models import Partner

ROLES = [r.value for r in Role]  # incl. gm and legal, the two roles of SPEC §10


class Command(HuobanCommand):
    help = "create a user"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--password", required=True)
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument("--partner", help="partner code (for role partner)")
        parser.add_argument("--display-name")

    def run(self, **options: Any) -> int:
        partner = None
        if options["partner"]:
            partner = Partner.objects.filter(code=options["partner"]).first()
            if partner is None:
                self.complain(f"partner: 伙伴不存在 / no partner {options['partner']}")
                return 2
        try:
            user = create_user(
                options["name"],
                options["password"],
                options["role"],
                partner=partner,
                display_name=options["display_name"] or "",
            )
        except ValidationFailed as exc:
            for field, message in exc.errors.items():
                self.complain(f"{field}: {message}")
            return 2
        self.say(f"created {user.username} ({user.role})")
        return 0
