"""The partner overview (合作伙伴总览, SPEC §10.1 R-PRF-3; issue #15): counts by type, depth, region
and complementarity; per partner its cooperation amount this year, open projects, grade and
next review; filters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from huoban import clock
from huoban.agreements.services import approve_agreement, draft_agreement, review_agreement
from huoban.profiles.overview import build, next_review
from huoban.profiles.services import assess_criticality, confirm_depth, update_profile
from huoban.sharing.services import add_share
from tests.portal.helpers import client_for
from tests.projects.helpers import sign

TODAY = dt.date(2026, 12, 7)


def test_the_next_review_is_the_next_anniversary_before_the_end():
    # seed 001's three-party agreement: the next anniversary 2027-09-20 falls after its end
    assert next_review(dt.date(2025, 9, 20), dt.date(2027, 9, 19), TODAY) is None
    assert next_review(dt.date(2025, 3, 1), dt.date(2028, 2, 29), TODAY) == dt.date(2027, 3, 1)
    assert next_review(dt.date(2026, 1, 1), dt.date(2026, 12, 31), TODAY) is None  # ends first
    assert next_review(dt.date(2027, 1, 1), dt.date(2029, 12, 31), TODAY) == dt.date(2028, 1, 1)


def test_the_overview_figures(actors):
    # alpha refers two 2026 projects (300,000 + 200,000; one still open); beta co-delivers the
    # second: its amount is that project's 200,000 (R-PRF-3 counts co-delivered projects too).
    with clock.frozen(dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)):
        sign(actors.officer, actors.alpha, "300000.00", name="甲公司")
        second = sign(actors.officer, actors.alpha, "200000.00", name="乙公司")
        add_share(second.pk, partner_code=actors.beta.code, share="0.30", actor=actors.officer)
        assess_criticality(actors.alpha.code, strategic_value=5, substitutability="normal",
                           actor=actors.officer)  # fmt: skip
        confirm_depth(actors.alpha.code, depth="important", actor=actors.officer)
        update_profile(actors.beta.code, complementarity="technology", actor=actors.officer)
        a = draft_agreement(actors.alpha.code, kind="referral", starts_on=dt.date(2025, 3, 1),
                            ends_on=dt.date(2028, 2, 29), actor=actors.officer)  # fmt: skip
        review_agreement(a.pk, note="", actor=actors.legal)
        approve_agreement(a.pk, actor=actors.gm)
        data = build(actors.officer, TODAY)
    rows = {r.partner.code: r for r in data.rows}
    alpha, beta = rows[actors.alpha.code], rows[actors.beta.code]
    assert (alpha.amount, alpha.open_projects, alpha.grade, alpha.depth) == (
        Decimal("500000.00"), 2, "S", "important",
    )  # fmt: skip
    assert alpha.next_review == dt.date(2027, 3, 1)
    assert (beta.amount, beta.open_projects, beta.complementarity) == (
        Decimal("200000.00"), 0, "technology",
    )  # fmt: skip
    assert data.total_amount == Decimal("700000.00")
    assert data.by_depth == {"important": 1, "unconfirmed": 1}
    assert data.by_complementarity == {"technology": 1, "pending": 1}
    assert data.by_region == {"北京": 1, "山西": 1}
    # the filters
    assert [r.partner.code for r in build(actors.officer, TODAY, depth="important").rows] == [
        actors.alpha.code
    ]
    assert [r.partner.code for r in build(actors.officer, TODAY, region="山西").rows] == [
        actors.beta.code
    ]


def test_the_page_for_staff_and_not_for_partners(actors):
    html = client_for(actors.pm).get("/console/overview/").content.decode()
    assert 'id="overview"' in html and actors.alpha.name in html
    assert client_for(actors.alice).get("/console/overview/").status_code == 404
