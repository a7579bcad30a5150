"""Console page tests run on the project tests' fixed today (2026-06-30)."""

from __future__ import annotations

import pytest

from huoban import clock
from tests.projects.helpers import TODAY


@pytest.fixture
def today():
    with clock.frozen(TODAY):
        yield TODAY
