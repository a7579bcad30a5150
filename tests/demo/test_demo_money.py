"""The demo's money (issue #3): every figure below is computed by hand from policy v1."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum

from huoban.commissions.ledger import verify_ledger
from huoban.commissions.models import LedgerEntry, Payout
from huoban.demo.load import load_demo
from huoban.partners.models import Partner
from huoban.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo()


def total(**filters) -> Decimal:
    return LedgerEntry.objects.filter(**filters).aggregate(s=Sum("amount"))["s"] or Decimal("0")


def test_projects_exist_in_every_state(demo):
    assert set(Project.objects.values_list("status", flat=True)) == {
        "signed",
        "accepted",
        "cancelled",
    }


def test_the_previous_year_was_settled(demo):
    bonus = LedgerEntry.objects.get(kind="annual_bonus", partner__code="CP001")
    # P(2025) = 1,200,000.00 ≥ 1,000,000 → 3% → 36,000.00, due 31 January 2026
    assert bonus.amount == Decimal("36000.00")
    assert bonus.due_on == dt.date(2026, 1, 31)


def test_dongyi_accepted_and_fully_paid_earns_exactly_its_total(demo):
    project = Project.objects.get(title__startswith="东义集团 AI")
    # 900,000.00 high-margin: 30% + 5% capped at 30% → T = 270,000.00
    assert project.rate == Decimal("0.3000") and project.commission_total == Decimal("270000.00")
    assert total(project=project, kind="confirmation") == Decimal("72000.00")  # 8% × 900,000
    assert total(project=project, partner__code="CP001") == Decimal("270000.00")


def test_a_refund_creates_no_negative_entry(demo):
    project = Project.objects.get(title__startswith="华泰煤化工")
    # the referring partner's commission; its co-delivery partner shares the refund (R-RS-2)
    mine = LedgerEntry.objects.filter(project=project, partner=project.partner)
    amounts = list(mine.values_list("amount", flat=True))
    assert amounts == [Decimal("38400.00")]  # 8% × 480,000 at the first payment, nothing after


def test_the_recruiter_earns_one_percent_override(demo):
    huice = Partner.objects.get(name="慧策管理咨询有限公司")
    # 1% × 45,000 = 450.00, then 1% × 150,000 − 450 = 1,050.00
    assert sorted(
        LedgerEntry.objects.filter(partner=huice, kind="override").values_list("amount", flat=True)
    ) == [Decimal("450.00"), Decimal("1050.00")]


def test_jifeng_is_strategic_and_was_paid(demo):
    jifeng = Partner.objects.get(code="CP001")
    assert jifeng.tier == "strategic"
    payout = Payout.objects.get(bank_reference="ICBC-20261009-0001")
    paid = LedgerEntry.objects.filter(payout=payout)
    assert paid.exists() and set(paid.values_list("status", flat=True)) == {"paid"}


def test_every_chain_verifies(demo):
    assert all(v.result.ok for v in verify_ledger())
