"""Shared fixtures: named actors for every role and two partners (STYLE §11)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.factories import Actors, make_actors


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests use a fast hasher (production's is asserted apart)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def _files_root(tmp_path_factory):
    return tmp_path_factory.mktemp("files")


@pytest.fixture(autouse=True)
def _files_apart(settings, _files_root):
    """Each test writes `huoban tick`'s reports (R-PRF-3) and its uploads (consents, agreement
    and candidate files) into its own folder, made when first written, never into the data
    directory."""
    own = _files_root / uuid.uuid4().hex
    settings.REPORTS_DIR = own / "reports"
    settings.MEDIA_ROOT = own / "uploads"


@pytest.fixture(autouse=True)
def _matching_caches_forgotten():
    """Matching keeps what it read of a large registry per process (weights, common trigrams'
    names); each test starts with its own registry."""
    from huoban.customers.matching import clear_common_trigram_cache

    clear_common_trigram_cache()


_lifted = {"sqlite": False}


@pytest.fixture(autouse=True)
def _guards_lifted_for_the_flush(request, django_db_blocker):
    """Let a transactional test's flush empty the append-only tables on SQLite.

    Their triggers refuse every DELETE (huoban.audit.guards, customers.0004), and Django flushes
    SQLite with DELETE; PostgreSQL's flush is a TRUNCATE, which row triggers do not see. Torn
    down before the flush, the triggers are lifted; the next test puts them back."""
    from django.db import connection

    from tests.tampering import lift_all, put_back_all

    if _lifted["sqlite"]:
        with django_db_blocker.unblock():
            put_back_all(connection)
        _lifted["sqlite"] = False
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    if connection.vendor == "sqlite":
        lift_all(connection)
        _lifted["sqlite"] = True


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
