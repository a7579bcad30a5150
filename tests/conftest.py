"""Shared fixtures: named actors for every role and two partners (STYLE §11)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import Actors, make_actors


@pytest.fixture
def actors(db) -> Actors:
    """alpha and beta (two partners, each with a user), and one staff user per role."""
    return make_actors()


@pytest.fixture
def frozen_now():
    """Freeze the clock; use as ``with frozen_now(dt.datetime(...)):``."""
    from huoban import clock

    return clock.frozen


@pytest.fixture
def api_client():
    from tests.factories import ApiClient

    return ApiClient()


__all__ = ["dt"]
