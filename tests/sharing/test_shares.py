"""Co-delivery partners and their revenue share (SPEC §10.5, R-RS-1/2/3; issue #15), through
the API of ARCHITECTURE §6: the seed's worked figures, the referring partner's commission
unchanged and unseen, bad input refused on its field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from huoban import clock
from huoban.audit.models import AuditEvent
from huoban.commissions.models import LedgerEntry
from huoban.sharing.models import ProjectShare
from tests.projects.helpers import pay, sign

pytestmark = pytest.mark.django_db

OCTOBER = dt.datetime(2026, 10, 15, 10, tzinfo=dt.UTC)


def _share(api_client, user, project, partner_code, share, **kw):
    return api_client.as_(user).post(
        f"/api/v1/projects/{project.pk}/shares",
        {"partner_code": partner_code, "share": share, **kw},
    )


def test_the_seed_example(actors, api_client):
    # R-RS-3: contract 1,000,000.00; 极峰 (beta here) s = 40%, d = 5; payment 300,000.00 on
    # Thu 2026-09-24 → 120,000.00 due Fri 2026-10-09 (09-25..27 Mid-Autumn, 10-01..07 National
    # Day); a refund of 50,000.00 → −20,000.00.
    with clock.frozen(OCTOBER):
        project = sign(actors.officer, actors.alpha, "1000000.00", signed_on=dt.date(2026, 9, 1))
        status, answer = _share(
            api_client, actors.officer, project, actors.beta.code, "0.40", role="方案A：技术开发"
        )
        assert (status, answer["share"], answer["settle_days"]) == (201, "0.40", 5)
        payment = pay(actors.finance, project, "300000.00", dt.date(2026, 9, 24), "HK-1")[0]
        [entry] = LedgerEntry.objects.filter(partner=actors.beta, kind="revenue_share")
        assert (entry.amount, entry.due_on, entry.basis, entry.rate) == (
            Decimal("120000.00"),
            dt.date(2026, 10, 9),
            Decimal("300000.00"),
            Decimal("0.4000"),
        )
        assert entry.payment_id == payment.pk and entry.project_id == project.pk
        assert "300,000.00 × share 40% = 120,000.00" in entry.explanation
        assert "due 2026-10-09" in entry.explanation
        pay(actors.finance, project, "300000.00", dt.date(2026, 9, 24), "HK-1")  # replayed
        assert LedgerEntry.objects.filter(partner=actors.beta).count() == 1
        pay(
            actors.finance, project, "50000.00", dt.date(2026, 10, 12), "TK-1",
            kind="refund", refund_of="HK-1",
        )  # fmt: skip
        refund = LedgerEntry.objects.get(partner=actors.beta, event_key__contains="refund")
        assert refund.amount == Decimal("-20000.00")


def test_a_make_up_saturday_is_a_due_date(actors):
    # R-RS-3: d = 3, 200,000.00 received Wed 2026-09-30 → 80,000.00 due Sat 2026-10-10.
    from huoban.sharing.services import add_share

    with clock.frozen(OCTOBER):
        project = sign(actors.officer, actors.alpha, "1000000.00", signed_on=dt.date(2026, 9, 1))
        add_share(
            project.pk, partner_code=actors.beta.code, share="0.40", settle_days=3,
            actor=actors.pm,
        )  # fmt: skip
        pay(actors.finance, project, "200000.00", dt.date(2026, 9, 30), "HK-2")
    entry = LedgerEntry.objects.get(partner=actors.beta)
    assert (entry.amount, entry.due_on) == (Decimal("80000.00"), dt.date(2026, 10, 10))


def test_a_share_added_later_books_the_cash_already_received(actors):
    from huoban.sharing.services import add_share

    with clock.frozen(OCTOBER):
        project = sign(actors.officer, actors.alpha, "1000000.00", signed_on=dt.date(2026, 9, 1))
        pay(actors.finance, project, "300000.00", dt.date(2026, 9, 24), "HK-1")
        add_share(project.pk, partner_code=actors.beta.code, share="0.30", actor=actors.officer)
    assert LedgerEntry.objects.get(partner=actors.beta).amount == Decimal("90000.00")


def test_the_referring_partners_commission_is_unchanged_and_it_sees_none_of_it(actors, api_client):
    # Two identical projects of alpha's, one co-delivered by beta: alpha earns the same on both.
    with clock.frozen(OCTOBER):
        plain = sign(
            actors.officer, actors.alpha, "1000000.00", name="甲公司", signed_on=dt.date(2026, 9, 1)
        )
        shared = sign(
            actors.officer, actors.alpha, "1000000.00", name="乙公司", signed_on=dt.date(2026, 9, 1)
        )
        _share(api_client, actors.officer, shared, actors.beta.code, "0.40")
        pay(actors.finance, plain, "300000.00", dt.date(2026, 9, 24), "HK-A")
        pay(actors.finance, shared, "300000.00", dt.date(2026, 9, 24), "HK-B")

    def alpha_on(project):
        return [e.amount for e in LedgerEntry.objects.filter(partner=actors.alpha, project=project)]

    assert alpha_on(plain) == alpha_on(shared) != []
    # R-VIS-2: the referring partner sees no share, in its ledger or on the project
    status, ledger = api_client.as_(actors.alice).get(
        f"/api/v1/partners/{actors.alpha.code}/ledger"
    )
    assert status == 200 and {i["kind"] for i in ledger["items"]} <= {"confirmation", "settlement"}
    assert api_client.as_(actors.alice).get(f"/api/v1/projects/{shared.pk}/shares")[0] == 403
    # the co-delivery partner sees its entry with the due date; officers not the ratio
    status, ledger = api_client.as_(actors.bob).get(f"/api/v1/partners/{actors.beta.code}/ledger")
    [item] = ledger["items"]
    assert (item["kind"], item["amount"], item["due_on"]) == (
        "revenue_share",
        "120000.00",
        "2026-10-09",
    )
    status, answer = api_client.as_(actors.officer).get(f"/api/v1/projects/{shared.pk}/shares")
    assert status == 200 and answer["items"][0]["share"] is None
    status, answer = api_client.as_(actors.finance).get(f"/api/v1/projects/{shared.pk}/shares")
    assert answer["items"][0]["share"] == "0.40"


@pytest.mark.parametrize(
    ("share", "partner", "field"),
    [
        ("0", "beta", "share"),
        ("1", "beta", "share"),
        ("1.2", "beta", "share"),
        ("abc", "beta", "share"),
        ("0.12345", "beta", "share"),
        ("0.40", "alpha", "partner_code"),  # the referring partner owns the customer
        ("0.40", "P99999", "partner_code"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_changes_nothing(
    actors, api_client, share, partner, field
):
    with clock.frozen(OCTOBER):
        project = sign(actors.officer, actors.alpha, "1000000.00", signed_on=dt.date(2026, 9, 1))
    code = {"alpha": actors.alpha.code, "beta": actors.beta.code}.get(partner, partner)
    officer = api_client.as_(actors.officer)
    officer.get("/api/v1/agreements")  # the token's first use is audited: before counting
    before = (ProjectShare.objects.count(), AuditEvent.objects.count())
    status, answer = _share(api_client, actors.officer, project, code, share)
    assert status == 422 and field in answer["detail"], answer
    assert (ProjectShare.objects.count(), AuditEvent.objects.count()) == before


def test_shares_summing_to_one_or_more_are_refused(actors, api_client):
    from huoban.partners.services import register_partner

    third = register_partner(name="丙科技有限公司", kind="organization", actor=actors.officer)
    with clock.frozen(OCTOBER):
        project = sign(actors.officer, actors.alpha, "1000000.00", signed_on=dt.date(2026, 9, 1))
    assert _share(api_client, actors.officer, project, actors.beta.code, "0.60")[0] == 201
    status, answer = _share(api_client, actors.officer, project, third.code, "0.40")
    assert status == 422 and "sum to less than 1" in answer["detail"]["share"]
    assert _share(api_client, actors.officer, project, third.code, "0.39")[0] == 201
    assert _share(api_client, actors.officer, project, actors.beta.code, "0.0001")[0] == 409
    assert _share(api_client, actors.finance, project, third.code, "0.0001")[0] == 403
