"""Project tests run on a fixed "today" (2026-06-30) with policy v1 present."""

from __future__ import annotations

import pytest

from huoban import clock

from .helpers import TODAY, ensure_policy_v1


@pytest.fixture(autouse=True)
def _today(request):
    with clock.frozen(TODAY):
        yield


@pytest.fixture
def policy_v1(db):
    return ensure_policy_v1()
