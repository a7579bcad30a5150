"""A partner reports a company violation and claims the liquidated damages in the portal
(issue #12, R-VIOL-1).

alpha's new 300,000.00 project under policy v1: once the admin confirms the violation, the
damages are round(30% × 300,000.00) = 90,000.00, booked once.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from huoban.audit.models import AuditEvent
from huoban.commissions.models import EntryKind, LedgerEntry
from huoban.partners.models import CompanyViolation
from huoban.standing.violations import decide_company_violation, exit_partner
from tests.projects.helpers import sign

pytestmark = pytest.mark.django_db
URL = "/portal/violations/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _counts():
    return CompanyViolation.objects.count(), LedgerEntry.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def project(actors, today):
    return sign(actors.officer, actors.alpha, "300000.00")


def _report(client, project, **over):
    data = {"project": project.pk, "kind": "bypass", "description": "售前绕开我方直接报价", **over}
    return client.post(f"{URL}report/", data)


def test_report_confirm_claim_90000(actors, project):
    alice = _client(actors.alice)
    assert "报告我方违约" in alice.get(URL).content.decode()
    response = _report(alice, project)
    assert response.status_code == 302 and response["Location"] == URL
    violation = CompanyViolation.objects.get()
    assert "待确认" in alice.get(URL).content.decode()
    assert f"{URL}{violation.pk}/claim/" not in alice.get(URL).content.decode()

    decide_company_violation(violation.pk, actor=actors.admin, confirm=True, note="核实属实")
    page = alice.get(URL).content.decode()
    assert "核实属实" in page and f"{URL}{violation.pk}/claim/" in page
    assert alice.post(f"{URL}{violation.pk}/claim/").status_code == 302
    entry = LedgerEntry.objects.get(kind=EntryKind.LIQUIDATED_DAMAGES)
    assert str(entry.amount) == "90000.00"
    assert "已记入违约金 ¥90,000.00" in alice.get(URL).content.decode()
    before = _counts()
    assert alice.post(f"{URL}{violation.pk}/claim/").status_code == 302  # once only
    assert _counts() == before


def test_an_unconfirmed_violation_cannot_be_claimed(actors, project):
    alice = _client(actors.alice)
    _report(alice, project)
    violation = CompanyViolation.objects.get()
    before = _counts()
    response = alice.post(f"{URL}{violation.pk}/claim/")
    assert response.status_code == 409 and "尚未经管理员确认" in response.content.decode()
    assert _counts() == before


def test_bad_input_keeps_the_text_and_changes_nothing(actors, project):
    alice = _client(actors.alice)
    alice.cookies["django_language"] = "en"
    before = _counts()
    response = _report(alice, project, kind="theft", description="")
    assert response.status_code == 422 and _counts() == before


def test_another_partner_neither_sees_nor_claims(actors, project):
    _report(_client(actors.alice), project)
    violation = CompanyViolation.objects.get()
    decide_company_violation(violation.pk, actor=actors.admin, confirm=True, note="属实")
    bob = _client(actors.bob)
    assert "售前绕开我方" not in bob.get(URL).content.decode()
    before = _counts()
    assert bob.post(f"{URL}{violation.pk}/claim/").status_code == 404
    response = _report(bob, project)  # alpha's project is not among bob's choices
    assert response.status_code == 422 and _counts() == before


def test_an_exited_partner_cannot_report_but_still_claims(actors, project):
    alice = _client(actors.alice)
    _report(alice, project)
    violation = CompanyViolation.objects.get()
    decide_company_violation(violation.pk, actor=actors.admin, confirm=True, note="属实")
    exit_partner(actors.alpha, kind="mutual", on_date=dt.date(2026, 6, 30), actor=actors.officer)
    page = alice.get(URL).content.decode()
    assert "报告我方违约" not in page
    before = _counts()
    assert _report(alice, project).status_code == 409 and _counts() == before
    assert alice.post(f"{URL}{violation.pk}/claim/").status_code == 302
    assert LedgerEntry.objects.filter(kind=EntryKind.LIQUIDATED_DAMAGES).count() == 1


def test_staff_have_no_portal_page(actors):
    assert _client(actors.officer).get(URL).status_code == 404
