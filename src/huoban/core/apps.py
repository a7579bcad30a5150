from __future__ import annotations

import os
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def owner_only_sqlite(sender: Any, connection: Any, **kwargs: Any) -> None:
    """The SQLite database holds contacts, ledgers and password hashes: readable by its owner
    only (0600), like the secret key and the backups (issue #10 finding 14). SQLite creates the
    -wal and -shm files with the database file's mode; existing ones are fixed here too."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for path in (name, f"{name}-wal", f"{name}-shm", f"{name}-journal"):
        try:
            if os.stat(path).st_mode & 0o077:
                os.chmod(path, 0o600)
        except OSError:  # not there (yet), or not ours: nothing to tighten
            continue


class CoreConfig(AppConfig):
    name = "huoban.core"
    label = "core"
    verbose_name = _("基础设置")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        connection_created.connect(owner_only_sqlite, dispatch_uid="huoban-owner-only-sqlite")
