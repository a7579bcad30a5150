"""Monthly unit reports (SPEC §10.6, R-UNIT-2/3/4; issue #15) through the API: seed 002's three
months into the insurer's ledger, owed by it (a receivable scheme); 409 without an approved
scheme and for a period again; field errors change nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from huoban.agreements.models import UnitReport
from huoban.agreements.services import approve_agreement, draft_agreement, review_agreement
from huoban.audit.models import AuditEvent
from huoban.commissions.models import LedgerEntry

from .test_rules import SEED_002

pytestmark = pytest.mark.django_db


def approved_scheme(actors, scheme=SEED_002):
    agreement = draft_agreement(
        actors.alpha.code,
        kind="channel",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        scheme=scheme,
        actor=actors.officer,
    )
    review_agreement(agreement.pk, note="", actor=actors.legal)
    return approve_agreement(agreement.pk, actor=actors.gm)


def post(api_client, user, code, **body):
    return api_client.as_(user).post(f"/api/v1/partners/{code}/unit-reports", body)


def test_seed_002_first_quarter(actors, api_client):
    approved_scheme(actors)
    code = actors.alpha.code
    status, jan = post(api_client, actors.finance, code, period="2026-01", units=3000,
                       complaint_rate="0.09", nps="70")  # fmt: skip
    assert (status, jan["amount"], jan["true_up"]) == (201, "540000.00", "0.00")
    status, feb = post(api_client, actors.officer, code, period="2026-02", units=2500,
                       complaint_rate="0.04", nps="60")  # fmt: skip
    assert (status, feb["amount"], feb["true_up"], feb["cumulative"]) == (
        201, "459000.00", "250000.00", 5500,
    )  # fmt: skip
    assert "2,000 × 200 + 500 × 280 = 540,000.00" in feb["explanation"]
    status, mar = post(api_client, actors.finance, code, period="2026-03", units=3000,
                       complaint_rate="0.03", nps="72")  # fmt: skip
    assert (status, mar["amount"], mar["true_up"]) == (201, "860000.00", "0.00")
    # The insurer pays us (receivable): the entries are owed by it, 2,109,000.00 in all.
    entries = LedgerEntry.objects.filter(partner=actors.alpha).order_by("pk")
    assert [(e.kind, e.amount) for e in entries] == [
        ("unit_commission", Decimal("-540000.00")),
        ("unit_commission", Decimal("-459000.00")),
        ("true_up", Decimal("-250000.00")),
        ("unit_commission", Decimal("-860000.00")),
    ]
    assert sum(e.amount for e in entries) == Decimal("-2109000.00")
    assert entries[0].earned_on == dt.date(2026, 1, 31)
    # the same period again, or an earlier one: 409, nothing written
    assert post(api_client, actors.finance, code, period="2026-02", units=1)[0] == 409
    assert UnitReport.objects.count() == 3


def test_a_payable_scheme_books_what_we_owe(actors, api_client):
    approved_scheme(actors, {**SEED_002, "direction": "payable"})
    status, jan = post(api_client, actors.finance, actors.alpha.code, period="2026-01", units=10)
    assert (status, jan["amount"]) == (201, "2000.00")
    assert LedgerEntry.objects.get(partner=actors.alpha).amount == Decimal("2000.00")


def test_no_approved_scheme_for_the_year_is_a_conflict(actors, api_client):
    code = actors.alpha.code
    draft_agreement(
        code, kind="channel", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31),
        scheme=SEED_002, actor=actors.officer,
    )  # fmt: skip
    status, answer = post(api_client, actors.finance, code, period="2026-01", units=3000)
    assert status == 409 and "per-unit scheme for 2026" in answer["detail"]
    approved_scheme(actors)
    assert post(api_client, actors.finance, code, period="2027-01", units=1)[0] == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"period": "2026-13", "units": 1}, "period"),
        ({"period": "2026-01", "units": 1, "complaint_rate": "9%"}, "complaint_rate"),
        ({"period": "2026-01", "units": 1, "complaint_rate": "1.5"}, "complaint_rate"),
        ({"period": "2026-01", "units": 1, "nps": "101"}, "nps"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_changes_nothing(actors, api_client, body, field):
    approved_scheme(actors)
    finance = api_client.as_(actors.finance)
    finance.get("/api/v1/agreements")  # the token's first use is audited: before counting
    before = (UnitReport.objects.count(), LedgerEntry.objects.count(), AuditEvent.objects.count())
    status, answer = finance.post(f"/api/v1/partners/{actors.alpha.code}/unit-reports", body)
    assert status == 422 and field in str(answer["detail"]), answer
    after = (UnitReport.objects.count(), LedgerEntry.objects.count(), AuditEvent.objects.count())
    assert after == before


def test_who_may_report_and_read(actors, api_client):
    approved_scheme(actors)
    code = actors.alpha.code
    for who in (actors.pm, actors.presales, actors.gm, actors.alice):
        assert post(api_client, who, code, period="2026-01", units=1)[0] == 403
    assert post(api_client, actors.bob, code, period="2026-01", units=1)[0] == 404
    post(api_client, actors.finance, code, period="2026-01", units=1)
    url = f"/api/v1/partners/{code}/unit-reports"
    assert api_client.as_(actors.alice).get(url)[1]["count"] == 1
    assert api_client.as_(actors.officer).get(url)[0] == 403
