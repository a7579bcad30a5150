"""Monthly health on the partner page and the overview (R-HLTH-1, R-PRF-3; issue #16)."""

from __future__ import annotations

import datetime as dt

from huoban import clock
from huoban.performance.models import HealthAssessment
from tests.portal.helpers import client_for

DECEMBER = dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)


def test_the_officer_records_seed_001s_health(actors):
    page = f"/console/partners/{actors.alpha.code}/"
    officer = client_for(actors.officer)
    body = {"period": "2026-11", "trust": "good", "communication": "excellent",
            "benefit": "pending", "risk": "medium", "long_term": "excellent"}  # fmt: skip
    with clock.frozen(DECEMBER):
        assert 'id="health_period"' in officer.get(page).content.decode()
        bad = officer.post(f"{page}health/", {**body, "trust": "great"})
        assert bad.status_code == 422 and not HealthAssessment.objects.exists()
        assert officer.post(f"{page}health/", body).status_code == 302
        html = officer.get(page).content.decode()
        assert "4.3" in html and "良好" in html
        overview = client_for(actors.gm).get("/console/overview/").content.decode()
        assert "4.3 良好" in overview
        assert client_for(actors.pm).post(f"{page}health/", body).status_code == 403
