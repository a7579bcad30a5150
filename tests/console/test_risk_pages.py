"""The risk register in the console (R-RISK-1, R-UI-1; issue #16): the officer raises seed 001's
high risk, reviews it down to medium; the partner page and the overview count the live risks."""

from __future__ import annotations

import datetime as dt

from huoban import clock
from huoban.performance.models import Risk
from tests.portal.helpers import client_for

MONDAY = dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)


def test_raise_and_review_a_risk(actors):
    url = f"/console/partners/{actors.alpha.code}/risks/"
    officer = client_for(actors.officer)
    body = {"title": "分成比例未定", "category": "revenue_share", "level": "high",
            "description": "影响合作积极性", "response": "本周内完成协商"}  # fmt: skip
    with clock.frozen(MONDAY):
        bad = officer.post(url, {**body, "title": ""})
        assert bad.status_code == 422 and not Risk.objects.exists()
        assert officer.post(url, body).status_code == 302
        risk = Risk.objects.get()
        assert risk.next_review == dt.date(2026, 12, 14)  # 5 business days
        html = officer.get(url).content.decode()
        assert "分成比例未定" in html and "2026-12-14" in html
        review = {"note": "三方协议已明确分成", "level": "medium", "status": "mitigating"}
        assert officer.post(f"{url}{risk.pk}/review/", review).status_code == 302
        risk.refresh_from_db()
        assert (risk.level, risk.status, risk.next_review) == (
            "medium", "mitigating", dt.date(2027, 1, 7),
        )  # fmt: skip
        partner_page = officer.get(f"/console/partners/{actors.alpha.code}/").content.decode()
        assert "风险台账：1 项未关闭" in partner_page
        overview = client_for(actors.gm).get("/console/overview/").content.decode()
        assert f'href="{url}">1</a>' in overview
        assert client_for(actors.pm).post(url, body).status_code == 403
        assert client_for(actors.alice).get(url).status_code == 404
