"""Reversing adjustments in the console (issue #12, R-LED-2): a preview of what will be booked,
then finance and admin each approve once.

The full example (a 300,000.00 light project, policy v1) books 24,000.00 + 31,000.00 +
11,000.00 = 66,000.00; reversing the 24,000.00 confirmation books −24,000.00, and once both
approve the partner has earned 66,000.00 − 24,000.00 = 42,000.00.
"""

from __future__ import annotations

import pytest
from django.test import Client

from huoban.audit.models import AuditEvent
from huoban.commissions import ledger
from huoban.commissions.models import EntryKind, LedgerEntry
from tests.projects.helpers import full_example

pytestmark = pytest.mark.django_db
URL = "/console/finance/adjustments/"


def _client(user, language: str | None = None) -> Client:
    client = Client()
    client.force_login(user)
    if language:
        client.cookies["django_language"] = language
    return client


def _counts():
    return LedgerEntry.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def confirmation(actors, today):
    full_example(actors)
    return LedgerEntry.objects.get(kind=EntryKind.CONFIRMATION)


def _reversal(code: str, entry_id: int, **extra) -> dict:
    return {"partner": code, "reverses": entry_id, "amount": "", "reason": "重复计提冲销", **extra}


def test_preview_then_confirm_then_two_approvals(actors, confirmation):
    finance = _client(actors.finance)
    code = actors.alpha.code
    before = _counts()
    response = finance.post(URL, _reversal(code.lower(), confirmation.pk))
    page = response.content.decode()
    assert response.status_code == 200 and _counts() == before  # the preview books nothing
    assert "确认后将记入" in page and "¥-24,000.00" in page
    assert f"冲销条目 #{confirmation.pk}" in page and "确认提交" in page

    response = finance.post(URL, _reversal(code, confirmation.pk, confirm="True"))
    assert response.status_code == 302 and response["Location"] == URL
    adjustment = LedgerEntry.objects.get(kind=EntryKind.ADJUSTMENT)
    assert (adjustment.amount, adjustment.effective) == (-confirmation.amount, False)
    assert adjustment.reverses_id == confirmation.pk

    # Finance approves its half; the button is gone for finance, shown to the admin.
    approve = f"{URL}{adjustment.pk}/approve/"
    assert approve in finance.get(URL).content.decode()
    assert finance.post(approve).status_code == 302
    assert approve not in finance.get(URL).content.decode()
    admin = _client(actors.admin)
    assert approve in admin.get(URL).content.decode()
    assert admin.post(approve).status_code == 302
    adjustment.refresh_from_db()
    assert adjustment.effective
    totals = ledger.totals(LedgerEntry.objects.filter(partner=actors.alpha))
    assert str(totals["earned"]) == "42000.00"
    page = admin.get(URL).content.decode()
    assert "已生效" in page and actors.finance.username in page


def test_bad_input_is_refused_field_by_field_and_books_nothing(actors, confirmation):
    finance = _client(actors.finance, "en")
    before = _counts()
    response = finance.post(URL, {"partner": "P99999", "amount": "10.00", "reason": "x"})
    assert response.status_code == 422 and "No such partner" in response.content.decode()
    response = finance.post(
        URL, {"partner": actors.beta.code, "reverses": confirmation.pk, "reason": "typo"}
    )
    assert response.status_code == 422 and "No such entry for this partner" in (
        response.content.decode()
    )
    response = finance.post(
        URL, {"partner": actors.alpha.code, "amount": "10.001", "reason": "", "confirm": "True"}
    )
    page = response.content.decode()
    assert response.status_code == 422 and _counts() == before
    assert "This field is required" in page


def test_the_same_person_cannot_give_both_approvals(actors, confirmation):
    # An admin proposes and approves as admin; a second approval by the same admin is refused.
    entry = ledger.propose_adjustment(
        actors.alpha, actor=actors.admin, reason="更正", reverses_id=confirmation.pk
    )
    admin = _client(actors.admin)
    approve = f"{URL}{entry.pk}/approve/"
    assert admin.post(approve).status_code == 302
    before = _counts()
    assert approve not in admin.get(URL).content.decode()
    entry.refresh_from_db()
    assert not entry.effective and _counts() == before


@pytest.mark.parametrize("who", ["officer", "presales", "pm"])
def test_other_staff_get_403_and_book_nothing(actors, confirmation, who):
    client = _client(getattr(actors, who))
    before = _counts()
    assert client.get(URL).status_code == 403
    response = client.post(URL, _reversal(actors.alpha.code, confirmation.pk, confirm="True"))
    assert response.status_code == 403 and _counts() == before
