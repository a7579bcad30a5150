"""The daily snapshot of the channels' inputs (R-UI-3, D-ANL-3; issue #16): `huoban tick`
counts this year to date once, the analytics page, the API and the KPI board read it for the
rest of the day and say when it was counted; an analyst may count again; yesterday's is not
used."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from huoban import clock
from huoban.analytics.models import ChannelSnapshot
from huoban.analytics.services import (
    _decode,
    _encode,
    channel_inputs,
    inputs_for,
    report,
    take_snapshot,
)
from tests.portal.helpers import client_for

from .test_channels_api import quarter  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))


def _alpha(actors, rows):
    return next(r for r in rows if r.channel == actors.alpha.code)


def test_the_snapshot_keeps_every_input_exactly(actors, quarter):  # noqa: F811
    live = channel_inputs(*YEAR)
    assert _decode(_encode(live)) == live
    take_snapshot(*YEAR)
    kept, counted = inputs_for(*YEAR)
    assert kept == live and counted == clock.now()


def test_the_day_reads_the_snapshot_until_it_is_counted_again(actors, api_client, quarter):  # noqa: F811
    call_command("tick", date="2026-06-30", stdout=io.StringIO())
    assert ChannelSnapshot.objects.filter(start=YEAR[0], end=YEAR[1]).exists()
    cost = {"amount": "20000.00", "spent_on": "2026-05-20", "category": "event"}
    assert (
        api_client.as_(actors.finance).post(f"/api/v1/partners/{actors.alpha.code}/costs", cost)[0]
        == 201
    )
    # The snapshot was counted before the cost: the day's figures leave it out and say so.
    rows, _totals = report(*YEAR)
    assert _alpha(actors, rows).figures.cost == 72000  # 3 × 24,000.00 earned, no cost yet
    status, body = api_client.as_(actors.gm).get("/api/v1/analytics/channels")
    assert status == 200 and body["counted_at"] is not None
    page = client_for(actors.finance)
    html = page.get("/console/analytics/").content.decode()
    assert "数据统计于" in html
    # Counted again, the cost is in: 72,000.00 + 20,000.00.
    response = page.post("/console/analytics/refresh/", {"start": "2026-01-01",
                                                         "end": "2026-06-30"})  # fmt: skip
    assert response.status_code == 302
    rows, _totals = report(*YEAR)
    assert _alpha(actors, rows).figures.cost == 92000
    # A period nobody counted today is counted live.
    assert (
        api_client.as_(actors.gm).get("/api/v1/analytics/channels?from=2026-04-01&to=2026-06-30")[
            1
        ]["counted_at"]
        is None
    )


def test_yesterdays_snapshot_is_not_used(actors, quarter):  # noqa: F811
    with clock.frozen(dt.datetime(2026, 6, 29, 10, tzinfo=dt.UTC)):
        take_snapshot(*YEAR)
    ChannelSnapshot.objects.update(inputs={})  # were it read, every channel would be empty
    inputs, counted = inputs_for(*YEAR)
    assert counted is None and inputs == channel_inputs(*YEAR)


def test_only_analysts_count_again(actors, quarter):  # noqa: F811
    body = {"start": "2026-01-01", "end": "2026-06-30"}
    assert client_for(actors.pm).post("/console/analytics/refresh/", body).status_code == 403
    assert not ChannelSnapshot.objects.exists()
