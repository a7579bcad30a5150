"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's live
server (issue 4). One browser for the session, one context per actor, as two people on two
devices: a partner on a phone (390×844), staff at a desk (1440×900).

The browser is the system's ``/usr/bin/chromium`` (``make test`` installs Debian's ``chromium``
when it is missing and it may); Playwright never downloads one. Without it the tests skip with
the reason, unless ``HUOBAN_REQUIRE_BROWSER=1`` (CI) makes that a failure.

On failure every page of the test is saved to ``test-results/<test>-<n>.png``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("HUOBAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # root in a container has no user namespace for the sandbox
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RESULTS = Path(__file__).resolve().parents[2] / "test-results"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESK = {"viewport": {"width": 1440, "height": 900}}
TIMEOUT_MS = 10_000  # a missing element fails in 10 s, not Playwright's default 30 s


def _unavailable(reason: str) -> None:
    if os.environ.get("HUOBAN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests are required (HUOBAN_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(f"browser tests skipped: {reason} (run `make test` as root to install it)")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the item, so a fixture's teardown knows the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    """Playwright's sync API for the session, or a skip (a failure in CI) saying what is missing."""
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"{CHROMIUM} is missing (Debian package `chromium`)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the `playwright` package is not installed (pip install -e '.[dev]')")
    # Playwright's sync API keeps an event loop in this thread; Django refuses ORM calls
    # from a thread with a running loop unless told it is safe (it is: nothing here is async).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    driver = sync_playwright().start()
    try:
        yield driver
    finally:
        driver.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright: Any) -> Iterator[Any]:
    """Debian's Chromium, launched once for the session."""
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def open_as(
    browser: Any, live_server: Any, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Any]]:
    """``open_as("alice", phone=True)``: a new browser context (its own cookies) signed in
    through the login form as that user; returns its page, on the page the login lands on."""
    contexts: list[Any] = []

    def sign_in(username: str, *, phone: bool = False) -> Any:
        from tests.factories import PASSWORD

        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", **(PHONE if phone else DESK)
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.goto("/login/", wait_until="domcontentloaded")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation(wait_until="domcontentloaded"):
            page.click("form[action='/login/'] button[type=submit]")
        if "/login/" in page.url:
            raise AssertionError(f"{username} could not sign in: {page.inner_text('main')}")
        return page

    yield sign_in

    call = getattr(request.node, "report_call", None)
    if call is not None and call.failed:
        RESULTS.mkdir(exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "_", request.node.name)
        shot = 0
        for context in contexts:
            for page in context.pages:
                shot += 1
                page.screenshot(path=str(RESULTS / f"{stem}-{shot}.png"), full_page=True)
    for context in contexts:
        context.close()
