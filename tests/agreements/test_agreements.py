"""Agreements (SPEC §10.4, R-AGR-1/2/4; issue #15): draft, legal review, gm approval, amendment
and the exit terms, through the services and the API of ARCHITECTURE §6."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from huoban.agreements.models import Agreement
from huoban.agreements.services import draft_agreement, exit_quote
from huoban.audit.models import AuditEvent
from huoban.commissions.models import LedgerEntry
from huoban.explain import explanation_text
from tests.projects.helpers import full_example

from .test_rules import SEED_002

pytestmark = pytest.mark.django_db


def body(actors, **kw):
    return {
        "partner_code": actors.alpha.code,
        "kind": "co_delivery",
        "starts_on": "2026-01-01",
        "ends_on": "2027-12-31",
        **kw,
    }


def test_draft_review_approve(actors, api_client):
    status, answer = api_client.as_(actors.officer).post(
        "/api/v1/agreements", body(actors, scheme=SEED_002, our_duties="项目管理与销售")
    )
    assert (status, answer["status"], answer["version"]) == (201, "draft", 1)
    agreement_id = answer["id"]
    url = f"/api/v1/agreements/{agreement_id}"
    # R-AGR-2: the gm approves only what legal has reviewed.
    status, answer = api_client.as_(actors.gm).post(f"{url}/approve", {})
    assert status == 409 and "法务" in answer["detail"]
    status, answer = api_client.as_(actors.legal).post(f"{url}/review", {"note": "条款无异议"})
    assert (status, answer["status"]) == (200, "reviewed")
    status, answer = api_client.as_(actors.legal).post(f"{url}/review", {"note": "again"})
    assert status == 409  # reviewed once
    status, answer = api_client.as_(actors.gm).post(f"{url}/approve", {})
    assert (status, answer["status"]) == (200, "approved")
    agreement = Agreement.objects.get(pk=agreement_id)
    assert agreement.reviewed_by == actors.legal and agreement.approved_by == actors.gm
    assert agreement.number.startswith("HZ") and agreement.customer_owner == "us"
    assert agreement.ip == {"project": "pending", "platform": "pending", "customisation": "pending"}
    actions = list(
        AuditEvent.objects.filter(
            object_id=str(agreement_id), action__startswith="agreement."
        ).values_list("action", flat=True)
    )
    assert sorted(actions) == ["agreement.approve", "agreement.draft", "agreement.review"]


def test_a_referral_agreement_leaves_the_customer_with_the_partner(actors):
    # R-AGR-1: the customer relationship is ours, except in a referral agreement.
    referral = draft_agreement(
        actors.alpha.code,
        kind="referral",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        actor=actors.officer,
    )
    assert referral.customer_owner == "partner"


def test_a_major_agreement_needs_the_boards_approval(actors, api_client):
    agreement = draft_agreement(
        actors.alpha.code,
        kind="strategic",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2028, 12, 31),
        major=True,
        actor=actors.officer,
    )
    url = f"/api/v1/agreements/{agreement.pk}"
    api_client.as_(actors.legal).post(f"{url}/review", {"note": ""})
    status, answer = api_client.as_(actors.gm).post(f"{url}/approve", {})
    assert status == 422
    assert set(answer["detail"]) >= {"board_approved_on", "board_minute"}
    assert Agreement.objects.get(pk=agreement.pk).status == "reviewed"  # nothing changed
    status, answer = api_client.as_(actors.gm).post(
        f"{url}/approve", {"board_approved_on": "2026-01-20", "board_minute": "董决〔2026〕3号"}
    )
    assert (status, answer["status"]) == (200, "approved")
    agreement.refresh_from_db()
    assert (agreement.board_approved_on, agreement.board_minute) == (
        dt.date(2026, 1, 20),
        "董决〔2026〕3号",
    )


def test_an_amendment_is_a_new_version_with_its_own_approvals(actors, api_client):
    status, answer = api_client.as_(actors.officer).post(
        "/api/v1/agreements", body(actors, scheme=SEED_002)
    )
    first = answer["id"]
    api_client.as_(actors.legal).post(f"/api/v1/agreements/{first}/review", {"note": ""})
    api_client.as_(actors.gm).post(f"/api/v1/agreements/{first}/approve", {})
    # Seed 002's yearly adjustment: the 2027 scheme.
    new_scheme = {**SEED_002, "year": 2027, "base_target": 6000}
    status, answer = api_client.as_(actors.officer).post(
        f"/api/v1/agreements/{first}/amend", {"scheme": new_scheme}
    )
    assert (status, answer["status"], answer["version"]) == (201, "draft", 2)
    second = answer["id"]
    old = Agreement.objects.get(pk=first)
    assert old.status == "approved" and old.scheme["base_target"] == 5000  # never changes
    status, _ = api_client.as_(actors.officer).post(f"/api/v1/agreements/{first}/amend", {})
    assert status == 409  # one amendment at a time
    api_client.as_(actors.legal).post(f"/api/v1/agreements/{second}/review", {"note": ""})
    api_client.as_(actors.gm).post(f"/api/v1/agreements/{second}/approve", {})
    old.refresh_from_db()
    new = Agreement.objects.get(pk=second)
    assert (old.status, new.status, new.number, new.scheme["base_target"]) == (
        "superseded",
        "approved",
        old.number,
        6000,
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_on": "2025-12-31"}, "ends_on"),
        ({"partner_code": "P99999"}, "partner_code"),
        ({"ip": {"project": "everyone"}}, "ip"),
        ({"penalty_rate": "1.5"}, "penalty_rate"),
        (
            {"scheme": {**SEED_002, "brackets": [{"up_to": 5000, "rate": "250"},
                                                  {"from": 5101, "up_to": None, "rate": "280"}]}},
            "scheme.brackets[1]",
        ),
    ],
)  # fmt: skip
def test_bad_input_is_refused_on_its_field_and_changes_nothing(actors, api_client, change, field):
    officer = api_client.as_(actors.officer)  # issuing its token is audited: before counting
    before = (Agreement.objects.count(), AuditEvent.objects.count())
    status, answer = officer.post("/api/v1/agreements", body(actors, **change))
    assert status == 422, answer
    assert field in answer["detail"] and " / " in answer["detail"][field]
    assert (Agreement.objects.count(), AuditEvent.objects.count()) == before


def test_the_wrong_role_changes_nothing(actors, api_client):
    agreement = draft_agreement(
        actors.alpha.code,
        kind="supply",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        actor=actors.officer,
    )
    url = f"/api/v1/agreements/{agreement.pk}"
    for who in (actors.officer, actors.gm, actors.finance, actors.alice):
        assert api_client.as_(who).post(f"{url}/review", {"note": "x"})[0] == 403
    assert api_client.as_(actors.bob).post(f"{url}/review", {"note": "x"})[0] == 404
    api_client.as_(actors.legal).post(f"{url}/review", {"note": ""})
    for who in (actors.officer, actors.legal, actors.finance, actors.alice):
        assert api_client.as_(who).post(f"{url}/approve", {})[0] == 403
    assert Agreement.objects.get(pk=agreement.pk).status == "reviewed"


def test_the_terms_are_for_finance_gm_legal_admin_and_the_partner(actors, api_client):
    # R-PRF-3 (extends R-VIS-2): officers follow the agreement's record, not its text.
    agreement = draft_agreement(
        actors.alpha.code,
        kind="co_delivery",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        their_duties="负责开发",
        actor=actors.officer,
    )
    url = f"/api/v1/agreements/{agreement.pk}"
    for who in (actors.finance, actors.gm, actors.legal, actors.admin, actors.alice):
        status, answer = api_client.as_(who).get(url)
        assert status == 200 and answer["terms"]["their_duties"] == "负责开发"
    for who in (actors.officer, actors.presales, actors.pm):
        status, answer = api_client.as_(who).get(url)
        assert status == 200 and answer["terms"] is None
    assert api_client.as_(actors.bob).get(url)[0] == 404
    status, answer = api_client.as_(actors.bob).get("/api/v1/agreements")
    assert answer["count"] == 0


def test_the_exit_penalty_from_the_ledger(actors, api_client):
    # R-AGR-4 on a real ledger: alpha's 300,000 project earns 24,000 + 31,000 + 11,000 = 66,000
    # (tests/projects/helpers.full_example: 24,000 at the first payment, 31,000 at acceptance on
    # 04-10, 11,000 with the last payment). The agreement began 2025-03-01, so on a notice of
    # 2026-05-31 its year began 2026-03-01.
    full_example(actors)
    agreement = draft_agreement(
        actors.alpha.code,
        kind="referral",
        starts_on=dt.date(2025, 3, 1),
        ends_on=dt.date(2028, 2, 29),
        actor=actors.officer,
    )
    entries = LedgerEntry.objects.filter(partner=actors.alpha, effective=True)
    by_day = {str(e.earned_on): str(e.amount) for e in entries}
    assert by_day == {"2026-01-15": "24000.00", "2026-04-10": "31000.00", "2026-05-11": "11000.00"}
    quote = exit_quote(agreement, dt.date(2026, 5, 31))
    # Since 2026-03-01: 31,000 + 11,000 = 42,000; × 20% = 8,400.00; end ≥ 2026-11-30.
    assert quote.year_start == dt.date(2026, 3, 1)
    assert quote.commission == Decimal("42000.00")
    assert quote.terms.penalty == Decimal("8400.00")
    assert quote.terms.earliest_end == dt.date(2026, 11, 30)
    assert "42,000.00 × penalty rate 20% = 8,400.00" in explanation_text(quote.explanation)
    status, answer = api_client.as_(actors.legal).get(
        f"/api/v1/agreements/{agreement.pk}/exit?notice_on=2026-05-31"
    )
    assert (status, answer["penalty"], answer["earliest_end"]) == (200, "8400.00", "2026-11-30")
    assert (
        api_client.as_(actors.officer).get(
            f"/api/v1/agreements/{agreement.pk}/exit?notice_on=2026-05-31"
        )[0]
        == 403
    )


def test_a_draft_waiting_more_than_ten_business_days_is_flagged(actors):
    # R-AGR-3 with R-CAL-3: drafted Friday 2026-02-13; the business days after it are 02-14
    # (make-up), 02-24..02-28 (02-28 a make-up Saturday), 03-02..03-05 → the 10th is 03-05.
    from huoban import clock
    from huoban.agreements.services import review_agreement, waits_too_long

    with clock.frozen(dt.datetime(2026, 2, 13, 10, tzinfo=dt.UTC)):
        agreement = draft_agreement(
            actors.alpha.code,
            kind="supply",
            starts_on=dt.date(2026, 3, 1),
            ends_on=dt.date(2027, 2, 28),
            actor=actors.officer,
        )
    assert not waits_too_long(agreement, dt.date(2026, 3, 5))
    assert waits_too_long(agreement, dt.date(2026, 3, 6))
    # reviewed on 03-06: it now waits for the gm from that day
    with clock.frozen(dt.datetime(2026, 3, 6, 10, tzinfo=dt.UTC)):
        review_agreement(agreement.pk, note="", actor=actors.legal)
    agreement.refresh_from_db()
    assert not waits_too_long(agreement, dt.date(2026, 3, 20))  # the 10th after 03-06
    assert waits_too_long(agreement, dt.date(2026, 3, 21))


def test_legal_and_the_gm_find_their_queue_on_the_home_page(actors):
    from tests.portal.helpers import client_for

    draft_agreement(
        actors.alpha.code,
        kind="supply",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        actor=actors.officer,
    )
    html = client_for(actors.legal).get("/console/home/").content.decode()
    assert "待审核的协议" in html and "status=draft" in html
    html = client_for(actors.gm).get("/console/home/").content.decode()
    assert "待审批的协议" in html and "status=reviewed" in html
