"""Security baseline: `check --deploy` is clean with production settings, the demo stays plain
HTTP, and every answer carries the Content-Security-Policy that forbids inline code."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

import huoban
from huoban.core.middleware import CONTENT_SECURITY_POLICY

SRC = Path(huoban.__file__).resolve().parent
# Variables of the developer's shell that would change what the settings decide.
_SETTINGS_ENV = (
    "DATABASE_URL",
    "DEBUG",
    "ALLOWED_HOSTS",
    "HUOBAN_PRODUCTION",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "SECURE_SSL_REDIRECT",
    "HUOBAN_TRUSTED_PROXIES",
)


def _run(tmp_path: Path, args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in _SETTINGS_ENV}
    clean.update(DJANGO_SETTINGS_MODULE="huoban.settings", HUOBAN_DATA_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, *args], env=clean, capture_output=True, text=True, timeout=120
    )


def _settings_of(tmp_path: Path, **env: str) -> str:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.PRODUCTION, s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.HUOBAN['TRUSTED_PROXIES'])"
    )
    result = _run(tmp_path, ["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = _run(
        tmp_path,
        ["-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="prm.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_production_is_switched_off(tmp_path):
    """The test above can fail: the same command on a plain-HTTP install reports the gaps."""
    result = _run(
        tmp_path,
        ["-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="prm.example.com",
        HUOBAN_PRODUCTION="false",
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W012" in result.stderr


def test_a_real_host_name_with_debug_off_is_production(tmp_path):
    assert _settings_of(tmp_path, ALLOWED_HOSTS="prm.example.cn") == "True True True 31536000 1"


def test_the_demo_on_the_loopback_stays_plain_http(tmp_path):
    """`huoban demo` runs with DEBUG off on http://127.0.0.1: no secure cookies, no redirect."""
    assert _settings_of(tmp_path) == "False False False 0 0"
    assert _settings_of(tmp_path, ALLOWED_HOSTS="127.0.0.1,localhost") == "False False False 0 0"
    assert _settings_of(tmp_path, ALLOWED_HOSTS="prm.example.cn", DEBUG="true").startswith("False")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/login/", "/api/v1/leads", "/api/v1/docs", "/admin/login/"])
def test_every_answer_carries_the_policy(client, path):
    response = client.get(path)
    assert response.status_code in (200, 401)
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_the_policy_forbids_inline_code_and_framing():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert directives["form-action"] == "'self'" and directives["base-uri"] == "'self'"


# What the policy would refuse in a page: a script element with code in it, a <style> element,
# a style attribute, an event-handler attribute. (application/json data blocks are not code.)
_INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>"),
    "style element": re.compile(r"<style[\s>]"),
    "style attribute": re.compile(r"\sstyle=[\"']"),
    "event handler": re.compile(r"\son[a-z]+=[\"']"),
}


# E-mails are read in a mail program, not served under the policy, and mail programs only keep
# inline styles: their templates (``…/templates/*/email/``) are the one place for style="…";
# never for code.
def _allowed(template: Path, what: str) -> bool:
    return "email" in template.relative_to(SRC).parts and what.startswith("style")


def test_no_template_carries_inline_script_or_style():
    found = []
    for template in sorted(SRC.glob("**/templates/**/*.html")):
        text = re.sub(
            r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", template.read_text(), flags=re.S
        )
        for what, pattern in _INLINE.items():
            if pattern.search(text) and not _allowed(template, what):
                found.append(f"{template.relative_to(SRC)}: {what}")
    assert found == []


# --- issue #10 finding 14: nothing signed-in is cached; the SQLite file is the owner's only ---


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("officer", "/console/"),
        ("alice", "/portal/"),
        ("officer", "/admin/"),
        (None, "/api/v1/leads"),
        ("finance", "/api/v1/partners/P001/statements/2026-01.xlsx"),
    ],
)
def test_signed_in_pages_api_answers_and_downloads_are_not_stored(actors, client, who, path):
    if who is not None:
        client.force_login(getattr(actors, who))
    response = client.get(path)
    assert "no-store" in response.headers.get("Cache-Control", ""), (path, response.status_code)


@pytest.mark.django_db
def test_an_anonymous_public_answer_is_left_alone(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_the_sqlite_file_and_its_wal_are_made_owner_only(tmp_path):
    from types import SimpleNamespace

    from huoban.core.apps import owner_only_sqlite

    db = tmp_path / "huoban.sqlite3"
    for path in (db, tmp_path / "huoban.sqlite3-wal", tmp_path / "huoban.sqlite3-shm"):
        path.write_bytes(b"")
        path.chmod(0o644)
    connection = SimpleNamespace(vendor="sqlite", settings_dict={"NAME": str(db)})
    owner_only_sqlite(sender=None, connection=connection)
    modes = {p.name: p.stat().st_mode & 0o777 for p in tmp_path.iterdir()}
    assert modes == {
        "huoban.sqlite3": 0o600,
        "huoban.sqlite3-wal": 0o600,
        "huoban.sqlite3-shm": 0o600,
    }


def test_a_new_sqlite_database_is_created_owner_only(tmp_path):
    """The demo's database, made by `huoban manage migrate` in a fresh data dir."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "HUOBAN_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    env.pop("DATABASE_URL")
    subprocess.run(
        [sys.executable, "-m", "huoban.cli", "manage", "check"],
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','huoban.settings');"
            "django.setup(); from django.db import connection; "
            "connection.cursor().execute('create table t (x int)')",
        ],
        env=env,
        check=True,
    )
    db = tmp_path / "huoban.sqlite3"
    assert db.stat().st_mode & 0o777 == 0o600
    wal = tmp_path / "huoban.sqlite3-wal"
    assert not wal.exists() or wal.stat().st_mode & 0o777 == 0o600
