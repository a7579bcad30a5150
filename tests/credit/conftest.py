"""Credit tests run on a fixed "today" (2026-06-30, the projects' tests' day) with policy v1."""

from __future__ import annotations

import pytest

from huoban import clock
from tests.projects.helpers import TODAY


@pytest.fixture(autouse=True)
def _today(request):
    with clock.frozen(TODAY):
        yield
