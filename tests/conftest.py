"""Shared fixtures: named actors for every role and two partners (STYLE §11)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import Actors, make_actors


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests use a fast hasher (production's is asserted apart)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
