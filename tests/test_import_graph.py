"""The frame stays straight (issue #11): no two apps import each other, and no function-local
import of ``huoban.*`` hides a dependency outside the named exceptions (bench/import_graph.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_cycle_between_apps_and_no_hidden_local_import():
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "import_graph.py")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "groups of apps whose domain modules import each other: 0" in out, out
    assert "of which outside the named exceptions (apps.py, cli.py, calendar.py): 0" in out, out
