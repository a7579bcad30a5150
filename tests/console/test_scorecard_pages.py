"""Scorecards in the console (R-KPI-1/2/4, R-UI-1; issue #16): the officer records seed 002's
month as lines, the page shows the scores, the trend and the explanation, the next month's form
is prefilled with the KPIs (the actuals blank); the ranking lists the latest totals."""

from __future__ import annotations

import datetime as dt

from huoban import clock
from huoban.performance.models import Scorecard
from tests.portal.helpers import client_for

DECEMBER = dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)
LINES = "\n".join(
    [
        "签约量，越高，500，580，1，单，主要",
        "转化率，越高，18，19.2，1，%",
        "NPS，越高，70，74",
        "投诉率，越低，5，3.2，1，%，投诉率",
        "报价时效，越低，24，16，1，h",
        "故障率，越低，1，0.3，1，%",
    ]
)


def test_the_officer_records_seed_002s_month(actors):
    url = f"/console/partners/{actors.alpha.code}/scorecards/"
    officer = client_for(actors.officer)
    with clock.frozen(DECEMBER):
        page = officer.get(url).content.decode()
        assert 'value="2026-11"' in page  # the month before, by default
        bad = officer.post(url, {"period": "2026-11", "lines": "签约量，越高，0，580"})
        assert bad.status_code == 422 and "第 1 行：目标值须大于 0" in bad.content.decode()
        assert not Scorecard.objects.exists()
        response = officer.post(url, {"period": "2026-11", "lines": LINES})
        assert response.status_code == 302
        card = Scorecard.objects.get()
        assert (str(card.total), card.band) == ("129.7", "excellent")
        html = officer.get(url).content.decode()
        assert "129.7" in html and "优秀" in html and "156.3 封顶 150" in html
        # the next month's form: the same KPIs, the actuals left blank
        assert "签约量，越高，500，，1，单，主要" in html
        ranking = client_for(actors.gm).get("/console/scorecards/").content.decode()
        assert actors.alpha.name in ranking and "129.7" in ranking
        partner_page = officer.get(f"/console/partners/{actors.alpha.code}/").content.decode()
        assert 'id="scorecard"' in partner_page and "129.7" in partner_page
        # pm and finance read, they do not record
        assert client_for(actors.pm).get(url).status_code == 200
        assert 'id="scorecard-form"' not in client_for(actors.pm).get(url).content.decode()
        assert (
            client_for(actors.pm).post(url, {"period": "2026-10", "lines": LINES}).status_code
            == 403
        )
    assert Scorecard.objects.count() == 1
