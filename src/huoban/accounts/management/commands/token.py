"""``huoban token NAME``: print a new API token for an active user (ARCHITECTURE §5)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from huoban.accounts.models import User
from huoban.accounts.services import issue_token
from huoban.core.management.base import HuobanCommand


class Command(HuobanCommand):
    help = "print a new API token for a user"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")

    def run(self, **options: Any) -> int:
        user = User.objects.filter(username=options["name"], is_active=True).first()
        if user is None:
            self.complain(f"no active user {options['name']}")
            return 2
        self.say(issue_token(user, "cli"))
        return 0
