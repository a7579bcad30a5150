"""One channel month by month (R-ANL-1; issue #16): alpha's last 12 months from the quarter of
test_channels_api — leads, projects, revenue, cost and ROI by hand — over the API and on its
console page, in five queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huoban import clock
from huoban.analytics.services import channel_months, month_starts
from tests.portal.helpers import client_for

from .test_channels_api import quarter  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_month_starts_run_back_over_the_year_end():
    starts = month_starts(clock.today().replace(month=2, day=10), 3)
    assert [f"{d:%Y-%m}" for d in starts] == ["2025-12", "2026-01", "2026-02"]


def test_a_partners_twelve_months(actors, api_client, quarter):  # noqa: F811
    api_client.as_(actors.finance).post(
        f"/api/v1/partners/{actors.alpha.code}/costs",
        {"amount": "20000.00", "spent_on": "2026-05-20", "category": "event"},
    )
    status, body = api_client.as_(actors.gm).get(
        f"/api/v1/analytics/channels/{actors.alpha.code}/months"
    )
    assert status == 200, body
    months = {m["month"]: m for m in body["months"]}
    assert [m["month"] for m in body["months"][::11]] == ["2025-07", "2026-06"]
    assert months["2025-10"]["projects"] == 2  # the two 2025 customers signed on 10-01
    assert months["2026-03"]["revenue"] == "50000.00"  # the retained customer paid again
    # May: 3 signed, nothing received, the 20,000.00 salon → ROI (0 − 20,000) ÷ 20,000 = −100%
    may = months["2026-05"]
    assert (may["projects"], may["revenue"], may["cost"], may["roi"]) == (
        3, "0.00", "20000.00", "-1.0000",
    )  # fmt: skip
    # June: 10 leads, 6 valid; 900,000.00 received; 3 × 24,000.00 earned →
    # ROI (900,000.00 − 72,000.00) ÷ 72,000.00 = 11.5
    june = months["2026-06"]
    assert (june["leads"], june["valid_leads"], june["revenue"], june["cost"], june["roi"]) == (
        10, 6, "900000.00", "72000.00", "11.5000",
    )  # fmt: skip
    assert months["2026-04"]["roi"] is None  # no cost, no ratio
    direct = api_client.as_(actors.officer).get("/api/v1/analytics/channels/direct/months")[1]
    assert len(direct["months"]) == 12 and all(m["leads"] == 0 for m in direct["months"])
    assert (
        api_client.as_(actors.pm).get(f"/api/v1/analytics/channels/{actors.alpha.code}/months")[0]
        == 403
    )
    assert api_client.as_(actors.gm).get("/api/v1/analytics/channels/NOPE/months")[0] == 404
    bad = api_client.as_(actors.gm).get(
        f"/api/v1/analytics/channels/{actors.alpha.code}/months?months=0"
    )
    assert bad[0] == 422
    page = client_for(actors.finance).get(f"/console/analytics/channels/{actors.alpha.code}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'id="channel-chart"' in html and "1150.0%" in html


def test_the_trend_is_five_queries_for_a_partner(actors, quarter):  # noqa: F811
    with CaptureQueriesContext(connection) as queries:
        channel_months(actors.alpha.pk, clock.today())
    assert len(queries) == 5
