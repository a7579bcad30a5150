"""The Content-Security-Policy breaks nothing: the pages that run the most script (the portal's
earnings chart and live name check, the console dashboard's charts with their tooltips, the
Django admin's widgets, the Swagger UI) run in Chromium without one violation."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _watch(page: Any) -> list[str]:
    """Chromium reports each refused script or style as a console error naming the CSP."""
    violations: list[str] = []
    page.on(
        "console",
        lambda m: (
            violations.append(f"{page.url}: {m.text}")
            if "Content Security Policy" in m.text
            else None
        ),
    )
    return violations


def _hover_across(page: Any, selector: str) -> None:
    """Move the mouse over a chart so ECharts draws its tooltip."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    for x in (0.3, 0.5, 0.7):
        page.mouse.move(box["x"] + box["width"] * x, box["y"] + box["height"] * 0.6)
        page.wait_for_timeout(150)


def test_the_main_pages_run_without_a_csp_violation(actors, open_as):
    alice = open_as("alice", phone=True)
    violations = _watch(alice)
    alice.goto("/portal/")
    expect(alice.locator("#earnings-chart svg")).to_have_count(1)  # ECharts replaced the table
    _hover_across(alice, "#earnings-chart")
    alice.goto("/portal/leads/new/")
    alice.fill("#id_customer_name", "东义集团")
    alice.wait_for_load_state("networkidle")  # the HTMX name check has answered
    alice.get_by_role("button", name="账户").click()  # Bootstrap's dropdown
    expect(alice.locator(".dropdown-menu.show")).to_have_count(1)

    adam = open_as("adam")
    violations += _watch(adam)
    adam.goto("/console/dashboard/")
    expect(adam.locator("[data-chart] canvas").first).to_be_visible()
    _hover_across(adam, "[data-chart]:not(.d-none)")
    # The back office is read-only (no date widget to open): its list page with filters and
    # date drill-down, and a row's read-only page.
    adam.goto("/admin/partners/partner/")
    expect(adam.locator("#changelist")).to_be_visible()
    adam.locator("#changelist tbody a").first.click()
    expect(adam.locator("fieldset").first).to_be_visible()
    adam.goto("/api/v1/docs")
    expect(adam.locator(".swagger-ui .opblock").first).to_be_visible()

    assert violations == []
