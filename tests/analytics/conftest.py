"""Analytics tests run on the projects' tests' fixed today (2026-06-30)."""

from __future__ import annotations

import pytest

from huoban import clock
from tests.projects.helpers import TODAY


@pytest.fixture(autouse=True)
def _today(request):
    with clock.frozen(TODAY):
        yield
