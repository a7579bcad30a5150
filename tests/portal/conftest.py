"""The portal's money pages run on "today" = 2026-06-30 with policy v1, like the ledger tests."""

from __future__ import annotations

import pytest

from huoban import clock
from tests.projects.helpers import TODAY, ensure_policy_v1


@pytest.fixture
def today(db):
    ensure_policy_v1()
    with clock.frozen(TODAY):
        yield TODAY
