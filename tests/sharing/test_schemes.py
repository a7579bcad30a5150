"""Revenue-share schemes side by side before approval (SPEC §10.5, R-RS-1; issue #15): seed
001's 方案A (40%, we manage and sell) and 方案B (30%, it only develops) on one contract; the
approved one is locked on the project and books the cash already received, the other is set
aside; bad input and the wrong role change nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huoban import clock
from huoban.audit.models import AuditEvent
from huoban.commissions.models import LedgerEntry
from huoban.sharing import rules
from huoban.sharing.models import ProjectShare, ShareScheme
from tests.projects.helpers import pay, sign

OCTOBER = dt.datetime(2026, 10, 15, 10, tzinfo=dt.UTC)


def test_the_seed_schemes_on_a_million():
    # 1,000,000.00 × 40% = 400,000.00, ours 600,000.00; × 30% = 300,000.00, ours 700,000.00
    a = rules.scheme_amounts(Decimal("1000000.00"), Decimal("0.40"))
    b = rules.scheme_amounts(Decimal("1000000.00"), Decimal("0.30"))
    assert (a.theirs, a.ours) == (Decimal("400000.00"), Decimal("600000.00"))
    assert (b.theirs, b.ours) == (Decimal("300000.00"), Decimal("700000.00"))
    assert "我方 = 1,000,000.00 − 300,000.00 = 700,000.00" in str(b.explanation[-1])
    # with 10% already locked for another partner: 880,000.00 × 30% = 264,000.00;
    # 88,000.00 locked; ours 880,000.00 − 352,000.00 = 528,000.00
    c = rules.scheme_amounts(Decimal("880000.00"), Decimal("0.30"), Decimal("0.10"))
    assert (c.theirs, c.ours) == (Decimal("264000.00"), Decimal("528000.00"))


@given(
    contract=st.decimals(min_value="0.01", max_value="99999999.99", places=2),
    share=st.decimals(min_value="0.0001", max_value="0.9999", places=4),
    locked=st.decimals(min_value="0", max_value="0.9999", places=4),
)
def test_the_parts_always_make_up_the_contract(contract, share, locked):
    if share + locked >= 1:
        return
    figures = rules.scheme_amounts(contract, share, locked)
    others = (contract * locked).quantize(Decimal("0.01"))
    assert abs(figures.theirs + figures.ours + others - contract) <= Decimal("0.01")
    assert figures.theirs >= 0 and figures.ours >= 0


def _propose(api_client, user, project, code, label, share, **kw):
    return api_client.as_(user).post(
        f"/api/v1/projects/{project.pk}/share-schemes",
        {"partner_code": code, "label": label, "share": share, **kw},
    )


@pytest.mark.django_db
def test_schemes_side_by_side_then_one_locked(actors, api_client):
    with clock.frozen(OCTOBER):
        project = sign(actors.officer, actors.alpha, "1000000.00", signed_on=dt.date(2026, 9, 1))
        pay(actors.finance, project, "300000.00", dt.date(2026, 9, 24), "HK-1")
        status, a = _propose(
            api_client, actors.gm, project, actors.beta.code, "方案A", "0.40",
            role="我方负责项目管理与销售",
        )  # fmt: skip
        assert status == 201
        assert (a["share"], a["partner_amount"], a["our_amount"], a["status"]) == (
            "0.40", "400000.00", "600000.00", "proposed",
        )  # fmt: skip
        status, b = _propose(
            api_client, actors.gm, project, actors.beta.code, "方案B", "0.30", settle_days=3
        )
        assert (b["partner_amount"], b["our_amount"]) == ("300000.00", "700000.00")
        # nothing is locked and nothing booked while the schemes are proposals
        assert not ProjectShare.objects.exists()
        assert not LedgerEntry.objects.filter(partner=actors.beta).exists()
        # finance and legal read the figures; an officer sees the schemes without the ratio
        url = f"/api/v1/projects/{project.pk}/share-schemes"
        listed = api_client.as_(actors.finance).get(url)[1]
        assert [(i["label"], i["share"]) for i in listed["items"]] == [
            ("方案A", "0.40"), ("方案B", "0.30"),
        ]  # fmt: skip
        hidden = api_client.as_(actors.officer).get(url)[1]["items"]
        assert {(i["share"], i["partner_amount"], i["our_amount"]) for i in hidden} == {
            (None, None, None)
        }
        assert api_client.as_(actors.alice).get(url)[0] == 403

        status, approved = api_client.as_(actors.gm).post(
            f"/api/v1/share-schemes/{b['id']}/approve", {}
        )
        assert (status, approved["status"]) == (200, "approved")
        share = ProjectShare.objects.get(project=project, partner=actors.beta)
        assert (share.share, share.settle_days) == (Decimal("0.3000"), 3)
        assert ShareScheme.objects.get(pk=a["id"]).status == "set_aside"
        # the cash already received is booked at once: 300,000.00 × 30% = 90,000.00
        [entry] = LedgerEntry.objects.filter(partner=actors.beta, kind="revenue_share")
        assert entry.amount == Decimal("90000.00")
        event = AuditEvent.objects.get(action="project.share_scheme_approved")
        assert event.after["set_aside"] == ["方案A"] and event.after["booked"] == 1
        # locked: no more schemes for that partner, no second approval
        status, _answer = _propose(
            api_client, actors.gm, project, actors.beta.code, "方案C", "0.20"
        )
        assert status == 409
        again = api_client.as_(actors.gm).post(f"/api/v1/share-schemes/{a['id']}/approve", {})
        assert again[0] == 409


@pytest.mark.django_db
def test_bad_schemes_and_the_wrong_role_change_nothing(actors, api_client):
    with clock.frozen(OCTOBER):
        project = sign(actors.officer, actors.alpha, "1000000.00", signed_on=dt.date(2026, 9, 1))
        api_client.as_(actors.gm).get("/api/v1/agreements")  # the token's first use is audited
        api_client.as_(actors.officer).get("/api/v1/agreements")
        before = AuditEvent.objects.count()
        cases = [
            ("方案A", actors.beta.code, "0", "share"),
            ("方案A", actors.beta.code, "1", "share"),
            ("", actors.beta.code, "0.4", "label"),
            ("方案A", actors.alpha.code, "0.4", "partner_code"),  # the referring partner
            ("方案A", "NOPE", "0.4", "partner_code"),
        ]
        for label, code, value, field in cases:
            status, answer = _propose(api_client, actors.gm, project, code, label, value)
            assert status == 422 and field in answer["detail"], (label, code, value, answer)
        status, _answer = _propose(
            api_client, actors.officer, project, actors.beta.code, "方案A", "0.4"
        )
        assert status == 403
        assert not ShareScheme.objects.exists() and AuditEvent.objects.count() == before
        status, a = _propose(api_client, actors.gm, project, actors.beta.code, "方案A", "0.4")
        assert status == 201
        status, _answer = _propose(api_client, actors.gm, project, actors.beta.code, "方案A", "0.3")
        assert status == 422  # the same name twice for one partner
        for who in (actors.officer, actors.finance, actors.legal):
            assert (
                api_client.as_(who).post(f"/api/v1/share-schemes/{a['id']}/approve", {})[0] == 403
            )
        assert ShareScheme.objects.get().status == "proposed" and not ProjectShare.objects.exists()
