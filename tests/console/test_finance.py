"""Finance pages: approve entries, pay them, the annual settlement, ledger verification
(R-LED-2, R-LED-3, R-LED-6, R-LED-8)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from huoban.commissions.models import LedgerEntry, Payout
from tests.console.helpers import project_for
from tests.portal.helpers import client_for
from tests.projects.helpers import pay

pytestmark = pytest.mark.django_db


def _confirmation(actors, today):
    """alpha's 24,000.00 confirmation entry (300,000 project, first payment 100,000)."""
    project = project_for(actors)
    pay(actors.finance, project, "100000.00", dt.date(2026, 3, 2), "HK-1")
    return LedgerEntry.objects.get(partner=actors.alpha)


def test_finance_approves_then_pays_an_entry(actors, today):
    entry = _confirmation(actors, today)
    client = client_for(actors.finance)
    # the pending entry is listed with its amount
    assert "¥24,000.00" in client.get("/console/finance/").content.decode()
    # when approved
    response = client.post("/console/finance/approve/", {"entry_ids": [entry.pk]})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "approved"
    # then it waits under alpha on the payouts page
    page = client.get(f"/console/finance/payouts/?partner={actors.alpha.code}").content.decode()
    assert f'value="{entry.pk}"' in page
    # when paid under a bank reference
    data = {"bank_reference": "BANK-0001", "paid_on": "2026-06-30", "entry_ids": [entry.pk]}
    response = client.post(f"/console/finance/payouts/{actors.alpha.code}/", data)
    page = response.content.decode()
    # Asked first: 8% × 300,000.00 = 24,000.00 in one entry, nothing paid yet.
    assert response.status_code == 200 and "合计 ¥24,000.00" in page and "BANK-0001" in page
    entry.refresh_from_db()
    assert entry.status == "approved" and not Payout.objects.exists()
    response = client.post(
        f"/console/finance/payouts/{actors.alpha.code}/", {**data, "confirmed": "yes"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "paid"
    payout = Payout.objects.get()
    assert payout.total == Decimal("24000.00")  # no fee deducted
    assert "BANK-0001" in client.get("/console/finance/payouts/").content.decode()


def test_a_payout_without_a_bank_reference_is_refused_in_place(actors, today):
    entry = _confirmation(actors, today)
    client = client_for(actors.finance)
    client.post("/console/finance/approve/", {"entry_ids": [entry.pk]})
    response = client.post(
        f"/console/finance/payouts/{actors.alpha.code}/",
        {"bank_reference": "", "paid_on": "2026-06-30", "entry_ids": [entry.pk]},
    )
    assert response.status_code == 422
    assert "invalid-feedback" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == "approved"
    assert not Payout.objects.exists()


def test_other_staff_cannot_approve(actors, today):
    entry = _confirmation(actors, today)
    response = client_for(actors.officer).post(
        "/console/finance/approve/", {"entry_ids": [entry.pk]}
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.status == "pending"


def test_annual_settlement_for_2025_through_the_page(actors, today):
    # given alpha signed 3,000,000 in 2025: the annual bonus is 4% × 3,000,000 = 120,000.00
    project_for(actors, "3000000.00", signed_on=dt.date(2025, 5, 6))
    client = client_for(actors.finance)
    response = client.post("/console/finance/settlement/", {"year": "2025"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "¥3,000,000.00" in page
    assert "¥120,000.00" in page
    bonus = LedgerEntry.objects.get(kind="annual_bonus")
    assert bonus.partner == actors.alpha
    assert bonus.amount == Decimal("120000.00")
    # running it again creates nothing new
    again = client.post("/console/finance/settlement/", {"year": "2025"})
    assert "已结算" in again.content.decode()
    assert LedgerEntry.objects.filter(kind="annual_bonus").count() == 1


def test_the_current_year_cannot_be_settled(actors, today):
    response = client_for(actors.finance).post("/console/finance/settlement/", {"year": "2026"})
    assert response.status_code == 422
    assert "只能结算已结束的年度" in response.content.decode()
    assert not LedgerEntry.objects.filter(kind="annual_bonus").exists()


def test_ledger_verification_reports_every_partner(actors, today):
    _confirmation(actors, today)
    response = client_for(actors.admin).post("/console/finance/verify/")
    assert response.status_code == 200
    page = response.content.decode()
    assert actors.alpha.code in page
    assert "全部通过校验" in page


def test_audit_log_verification_says_ok_then_names_the_changed_event(actors, today):
    from huoban.audit.models import AuditEvent
    from tests.tampering import tampering

    _confirmation(actors, today)
    response = client_for(actors.finance).post("/console/finance/verify/", {"check": "audit"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"审计日志 {AuditEvent.objects.count()} 条事件全部通过校验" in page
    event = AuditEvent.objects.order_by("id")[1]
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor_name = 'x' WHERE id = %s", [event.pk])
    page = client_for(actors.admin).post("/console/finance/verify/", {"check": "audit"})
    text = page.content.decode()
    assert "审计日志校验失败" in text and f"首个异常事件 #{event.pk}" in text


def test_audit_log_verification_is_for_finance_and_admin(actors, today):
    for user in (actors.officer, actors.pm):
        response = client_for(user).post("/console/finance/verify/", {"check": "audit"})
        assert response.status_code == 403


def test_every_partner_with_approved_entries_is_listed_page_by_page(actors, today, monkeypatch):
    """Issue #11: the list was cut at 50 partners without a word."""
    from huoban.commissions import ledger
    from huoban.console import finance
    from tests.projects.helpers import sign

    for partner, name in ((actors.alpha, "甲一有限公司"), (actors.beta, "乙二有限公司")):
        project = sign(actors.officer, partner, name=name)
        pay(actors.finance, project, "100000.00", dt.date(2026, 3, 2), f"HK-{partner.code}")
        ledger.approve_entry(LedgerEntry.objects.get(partner=partner).pk, actor=actors.finance)
    monkeypatch.setattr(finance, "PARTNERS_PER_PAGE", 1)
    client = client_for(actors.finance)
    first = client.get("/console/finance/payouts/").content.decode()
    second = client.get("/console/finance/payouts/?ppage=2").content.decode()
    assert f"?partner={actors.alpha.code}" in first and f"?partner={actors.beta.code}" not in first
    assert f"?partner={actors.beta.code}" in second
    assert "ppage=2" in first and "1 / 2" in first
