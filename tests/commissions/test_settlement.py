"""The annual settlement (R-LED-6): one bonus entry per partner and year, on the whole P, due
31 January of the next year, idempotent. Figures computed by hand in each test."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huoban import clock
from huoban.access import Forbidden
from huoban.audit.models import AuditEvent
from huoban.cli import main as huoban
from huoban.commissions import ledger
from huoban.commissions.models import LedgerEntry
from huoban.commissions.settlement import settle_year
from huoban.errors import ValidationFailed
from huoban.projects import services
from tests.factories import make_partner
from tests.projects.helpers import ensure_policy_v1, sign

D = dt.date
SIGNING_DAY = D(2026, 12, 31)  # the projects are signed while 2026 runs
SETTLING_DAY = D(2027, 1, 5)  # and settled once it is over


@pytest.fixture
def world(actors):
    """gamma 499,999.99; delta 500,000.00 (two projects); alpha 3,000,000.00 in 2026, plus a
    cancelled 400,000.00 project and a 2025 one of 800,000.00 that must not count."""
    ensure_policy_v1()
    with clock.frozen(SIGNING_DAY):
        gamma = make_partner("伽马信息技术有限公司")
        delta = make_partner("德尔塔软件有限公司")
        sign(actors.officer, gamma, "499999.99", name="伽马客户一", signed_on=D(2026, 3, 1))
        sign(actors.officer, delta, "300000.00", name="德尔塔客户一", signed_on=D(2026, 1, 2))
        sign(actors.officer, delta, "200000.00", name="德尔塔客户二", signed_on=D(2026, 12, 31))
        sign(
            actors.officer, actors.alpha, "2000000.00", name="阿尔法客户一", signed_on=D(2026, 2, 1)
        )
        sign(
            actors.officer, actors.alpha, "1000000.00", name="阿尔法客户二", signed_on=D(2026, 9, 9)
        )
        cancelled = sign(
            actors.officer, actors.alpha, "400000.00", name="阿尔法客户三", signed_on=D(2026, 5, 5)
        )
        services.cancel_project(
            cancelled.pk, actor=actors.officer, cancelled_on=D(2026, 6, 1), reason="客户撤单"
        )
        sign(
            actors.officer,
            actors.alpha,
            "800000.00",
            name="阿尔法客户四",
            signed_on=D(2025, 12, 31),
        )
    return {"alpha": actors.alpha, "beta": actors.beta, "gamma": gamma, "delta": delta}


def _settle(actor, year=2026):
    with clock.frozen(SETTLING_DAY):
        return {r.partner_code: r for r in settle_year(year, actor=actor)}


def test_it_pays_the_bonus_on_the_whole_performance(actors, world):
    results = _settle(actors.finance)

    alpha = results[world["alpha"].code]
    # 2,000,000 + 1,000,000 = 3,000,000 (the cancelled 400,000 and the 2025 800,000 excluded)
    # ≥ 3,000,000 → 4%; 4% × 3,000,000.00 = 120,000.00 (SPEC §7's worked example).
    assert (alpha.performance, alpha.rate, alpha.amount) == (
        Decimal("3000000.00"),
        Decimal("0.04"),
        Decimal("120000.00"),
    )
    delta = results[world["delta"].code]
    # 300,000 + 200,000 (signed on 31 December) = 500,000.00 ≥ 500,000 → 2% = 10,000.00.
    assert (delta.performance, delta.amount) == (Decimal("500000.00"), Decimal("10000.00"))
    gamma = results[world["gamma"].code]
    # 499,999.99 < 500,000 → nothing, listed with 0.00.
    assert (gamma.performance, gamma.amount, gamma.entry) == (
        Decimal("499999.99"),
        Decimal("0.00"),
        None,
    )
    beta = results[world["beta"].code]
    assert (beta.performance, beta.amount, beta.entry) == (Decimal("0.00"), Decimal("0.00"), None)

    entries = LedgerEntry.objects.filter(kind="annual_bonus").order_by("amount")
    assert [(e.partner.code, e.amount) for e in entries] == [
        (world["delta"].code, Decimal("10000.00")),
        (world["alpha"].code, Decimal("120000.00")),
    ]
    entry = entries.get(partner=world["alpha"])
    assert entry.earned_on == D(2026, 12, 31)
    assert entry.due_on == D(2027, 1, 31)
    assert entry.event_key == "annual:2026"
    assert (entry.basis, entry.rate, entry.project_id) == (
        Decimal("3000000.00"),
        Decimal("0.0400"),
        None,
    )
    assert entry.policy_version.version == 1
    assert "2026 年签约且未取消的项目 2 个" in entry.explanation
    assert "年度签约业绩 P = 3,000,000.00 ≥ 3,000,000.00 → 费率 4%" in entry.explanation
    assert "4% × 3,000,000.00 = 120,000.00" in entry.explanation
    assert "到期日 = 次年 1 月 31 日 = 2027-01-31" in entry.explanation
    assert AuditEvent.objects.filter(action="ledger.annual_bonus").count() == 2
    assert all(v.result.ok for v in ledger.verify_ledger())


def test_running_it_twice_creates_nothing(actors, world):
    first = _settle(actors.finance)
    count = LedgerEntry.objects.count()
    audit = AuditEvent.objects.count()

    second = _settle(actors.admin)

    assert LedgerEntry.objects.count() == count
    assert AuditEvent.objects.count() == audit
    assert not any(r.created for r in second.values())
    assert {c: r.amount for c, r in second.items()} == {c: r.amount for c, r in first.items()}
    assert second[world["alpha"].code].entry == first[world["alpha"].code].entry


def test_only_a_finished_year_is_settled(actors, world):
    with clock.frozen(SETTLING_DAY), pytest.raises(ValidationFailed) as caught:
        settle_year(2027, actor=actors.finance)
    assert set(caught.value.errors) == {"year"}
    assert not LedgerEntry.objects.filter(kind="annual_bonus").exists()


@pytest.mark.parametrize("who", ["officer", "pm", "presales", "alice"])
def test_only_finance_and_admin_settle(actors, world, who):
    with clock.frozen(SETTLING_DAY), pytest.raises(Forbidden):
        settle_year(2026, actor=getattr(actors, who))


def test_the_performance_is_summed_in_one_query_whatever_the_partner_count(actors, world):
    with clock.frozen(SIGNING_DAY):
        for i in range(5):
            make_partner(f"空白伙伴{i}有限公司")
    _settle(actors.finance)  # the bonuses are written; what follows is a re-run
    with CaptureQueriesContext(connection) as few:
        _settle(actors.finance)
    with clock.frozen(SIGNING_DAY):
        for i in range(5):
            make_partner(f"又一空白伙伴{i}有限公司")
    with CaptureQueriesContext(connection) as more:
        _settle(actors.finance)
    # Partners with P = 0 cost no query: one aggregate query, plus one read per settled bonus.
    assert len(more.captured_queries) == len(few.captured_queries)
    assert sum("SUM(" in q["sql"].upper() for q in few.captured_queries) == 1


def test_the_api_answers_strings(actors, world, api_client):
    with clock.frozen(SETTLING_DAY):
        status, body = api_client.as_(actors.finance).post("settlements/annual", {"year": 2026})
    assert status == 200, body
    items = {i["partner_code"]: i for i in body["items"]}
    assert items[world["alpha"].code] | {"created": None, "entry_id": None} == {
        "partner_code": world["alpha"].code,
        "performance": "3000000.00",
        "rate": "0.04",
        "amount": "120000.00",
        "created": None,
        "entry_id": None,
    }
    assert items[world["delta"].code]["amount"] == "10000.00"
    assert items[world["delta"].code]["rate"] == "0.02"
    assert items[world["gamma"].code] | {"created": None, "entry_id": None} == {
        "partner_code": world["gamma"].code,
        "performance": "499999.99",
        "rate": "0.00",
        "amount": "0.00",
        "created": None,
        "entry_id": None,
    }


def test_the_api_refuses_the_current_year_with_a_field_message(actors, world, api_client):
    with clock.frozen(SETTLING_DAY):
        status, body = api_client.as_(actors.finance).post("settlements/annual", {"year": 2027})
        assert status == 422, body
        assert " / " in body["detail"]["year"]
        status, body = api_client.as_(actors.alice).post("settlements/annual", {"year": 2026})
        assert status == 403, body
    assert not LedgerEntry.objects.filter(kind="annual_bonus").exists()


def test_tick_settles_the_previous_year_once(actors, world, capsys):
    assert huoban(["tick", "--date", "2027-01-01"]) == 0
    out = capsys.readouterr().out
    assert "annual settlement 2026: 2 bonus entries created, 0 already settled" in out
    assert huoban(["tick", "--date", "2027-01-02"]) == 0
    out = capsys.readouterr().out
    assert "annual settlement 2026: 0 bonus entries created, 2 already settled" in out
    assert LedgerEntry.objects.filter(kind="annual_bonus").count() == 2
