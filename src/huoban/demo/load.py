"""Demo data (filled in by the demo work)."""

from __future__ import annotations


def load_demo() -> list[tuple[str, str, str]]:
    return []
