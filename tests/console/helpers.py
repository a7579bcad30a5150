"""Builders for the console page tests: a fixed today and a signed project."""

from __future__ import annotations

from typing import Any

from huoban.projects.models import Project
from tests.projects.helpers import TODAY, sign

__all__ = ["TODAY", "project_for"]


def project_for(actors: Any, amount: str = "300000.00", **kw: Any) -> Project:
    """A 300,000 `new` project of alpha (light tier), signed 2026-01-05 by officer."""
    return sign(actors.officer, actors.alpha, amount, **kw)
