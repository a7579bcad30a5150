"""Agreements in the console (R-AGR-1/2/4, R-PRF-3, R-UI-1; issue #15): the officer drafts with a
per-unit scheme typed as lines, legal reviews, the gm approves, the officer amends; who reads
the terms; bad input changes nothing."""

from __future__ import annotations

import datetime as dt

from huoban.agreements.models import Agreement
from huoban.agreements.services import draft_agreement, review_agreement
from huoban.audit.models import AuditEvent
from tests.portal.helpers import client_for

FORM = {
    "kind": "channel",
    "title": "车险渠道合作协议",
    "starts_on": "2026-01-01",
    "ends_on": "2026-12-31",
    "our_duties": "提供客源与系统",
    "their_duties": "承保与理赔",
    "ip_project": "joint",
    "ip_platform": "ours",
    "ip_customisation": "pending",
    "customer_owner": "",
    "data_owner": "我方",
    "data_destroy_days": "30",
    "notice_months": "6",
    "penalty_rate": "0.20",
    "unit_direction": "receivable",
    "unit_year": "2026",
    "unit_base_target": "5000",
    "unit_below_target_rate": "200",
    "unit_brackets": "5000 250\n8000 280\n12000 320\n- 350",
}


def test_draft_review_approve_amend_in_the_console(actors):
    officer = client_for(actors.officer)
    response = officer.post("/console/agreements/new/", {**FORM, "partner_code": actors.alpha.code})
    assert response.status_code == 302, response.content.decode()[:2000]
    agreement = Agreement.objects.get()
    assert agreement.scheme["brackets"] == [
        {"up_to": 5000, "rate": "250"},
        {"up_to": 8000, "rate": "280"},
        {"up_to": 12000, "rate": "320"},
        {"up_to": None, "rate": "350"},
    ]
    assert agreement.ip == {"project": "joint", "platform": "ours", "customisation": "pending"}
    assert agreement.customer_owner == "us"  # a channel agreement: ours (R-AGR-1)
    page = f"/console/agreements/{agreement.pk}/"
    html = officer.get(page).content.decode()
    assert "承保与理赔" not in html and "仅财务、总经理、法务" in html  # R-PRF-3
    assert 'id="review-form"' not in html
    legal = client_for(actors.legal)
    html = legal.get(page).content.decode()
    assert "承保与理赔" in html and 'id="review-form"' in html
    assert legal.post(f"{page}review/", {"note": "数据条款已核"}).status_code == 302
    gm = client_for(actors.gm)
    assert 'id="approve-form"' in gm.get(page).content.decode()
    assert gm.post(f"{page}approve/", {}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == "approved" and agreement.approved_by == actors.gm
    # The yearly adjustment: 2027, base target 6,000.
    response = officer.post(
        f"{page}amend/",
        {
            "ends_on": "2027-12-31",
            "unit_direction": "receivable",
            "unit_year": "2027",
            "unit_base_target": "6000",
            "unit_below_target_rate": "200",
            "unit_brackets": "6000 250\n- 300",
        },
    )
    assert response.status_code == 302
    amendment = Agreement.objects.get(amends=agreement)
    assert (amendment.version, amendment.status, amendment.scheme["base_target"]) == (
        2,
        "draft",
        6000,
    )
    assert amendment.their_duties == "承保与理赔"  # the rest as in v1


def test_bad_input_is_shown_on_its_field_and_changes_nothing(actors):
    officer = client_for(actors.officer)
    before = (Agreement.objects.count(), AuditEvent.objects.count())
    for change, message in [
        ({"unit_brackets": "5000 250\n不知道"}, "第 2 行应为"),
        ({"unit_brackets": "5000 250\n4000 280\n- 300"}, "阶梯不得重叠"),
        ({"ends_on": "2025-01-01"}, "到期日应晚于生效日"),
        ({"partner_code": "P99999"}, "伙伴不存在"),
    ]:
        body = {**FORM, "partner_code": actors.alpha.code, **change}
        response = officer.post("/console/agreements/new/", body)
        assert response.status_code == 422, change
        assert message in response.content.decode(), change
    assert (Agreement.objects.count(), AuditEvent.objects.count()) == before


def test_a_major_agreement_waits_for_the_boards_minute(actors):
    agreement = draft_agreement(
        actors.alpha.code,
        kind="strategic",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2028, 12, 31),
        major=True,
        actor=actors.officer,
    )
    review_agreement(agreement.pk, note="", actor=actors.legal)
    gm = client_for(actors.gm)
    response = gm.post(f"/console/agreements/{agreement.pk}/approve/", {})
    assert response.status_code == 422
    assert "董事会决议编号" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == "reviewed"
    # the wrong role: 403, nothing changes
    assert (
        client_for(actors.officer)
        .post(f"/console/agreements/{agreement.pk}/approve/", {})
        .status_code
        == 403
    )


def test_the_exit_quote_on_the_page(actors):
    agreement = draft_agreement(
        actors.alpha.code,
        kind="referral",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2027, 12, 31),
        actor=actors.officer,
    )
    html = (
        client_for(actors.legal)
        .get(f"/console/agreements/{agreement.pk}/?notice_on=2026-07-01")
        .content.decode()
    )
    # no commission earned yet: the end is the notice plus 6 months, the penalty 0.00
    assert "2027-01-01" in html and "0.00 × 违约金比例 20% = 0.00" in html


def test_the_list_and_the_partner_card(actors):
    draft_agreement(
        actors.alpha.code,
        kind="supply",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        actor=actors.officer,
    )
    html = client_for(actors.legal).get("/console/agreements/?status=draft").content.decode()
    assert "HZ" in html and actors.alpha.name in html
    html = (
        client_for(actors.officer).get(f"/console/partners/{actors.alpha.code}/").content.decode()
    )
    assert 'id="agreements"' in html and "供应协议" in html and "起草协议" in html


def test_finance_enters_seed_002_january_on_the_agreement_page(actors):
    from decimal import Decimal

    from huoban.agreements.models import UnitReport
    from huoban.agreements.services import approve_agreement

    from ..agreements.test_rules import SEED_002

    agreement = draft_agreement(
        actors.alpha.code,
        kind="channel",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        scheme=SEED_002,
        actor=actors.officer,
    )
    review_agreement(agreement.pk, note="", actor=actors.legal)
    approve_agreement(agreement.pk, actor=actors.gm)
    finance = client_for(actors.finance)
    page = f"/console/agreements/{agreement.pk}/"
    assert 'id="unit-form"' in finance.get(page).content.decode()
    bad = finance.post(f"{page}unit-reports/", {"period": "2026-1", "units": "3000"})
    assert bad.status_code == 422 and "YYYY-MM" in bad.content.decode()
    assert not UnitReport.objects.exists()
    body = {"period": "2026-01", "units": "3000", "complaint_rate": "0.09", "nps": "70"}
    assert finance.post(f"{page}unit-reports/", body).status_code == 302
    assert UnitReport.objects.get().amount == Decimal("540000.00")
    html = finance.get(page).content.decode()
    assert "540,000.00" in html and "3,000 × 200 = 600,000.00" in html
    # the officer may enter units but reads no terms (R-PRF-3): the form, no figures
    officer = client_for(actors.officer)
    html = officer.get(page).content.decode()
    assert 'id="unit-form"' in html and "540,000.00" not in html
    february = {"period": "2026-02", "units": "2500", "complaint_rate": "0.04", "nps": "60"}
    html = officer.post(f"{page}unit-reports/", february, follow=True).content.decode()
    assert "月报已登记" in html and "459,000.00" not in html
