"""Correcting a project's contract amount in the console before the first payment (issue #12,
R-PROJ-2): re-priced under the same policy version and the tier at signing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from huoban import clock
from huoban.audit.models import AuditEvent
from huoban.projects.models import Project
from tests.projects.helpers import TODAY, pay, sign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(db):
    with clock.frozen(TODAY):
        yield


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_pm_corrects_the_amount_and_the_terms_are_repriced(actors):
    project = sign(actors.officer, actors.alpha, "300000.00")  # light, v1: 22%, 66,000.00
    client = _client(actors.pm)
    url = f"/console/projects/{project.pk}/"
    assert "更正合同金额" in client.get(url).content.decode()
    response = client.post(f"{url}amend/", {"contract_amount": "600000.00", "reason": "补充协议"})
    assert response.status_code == 302
    project.refresh_from_db()
    # 600,000 new at light under v1: above 500,000 the ladder rate is 30% (the cap, 30%, holds),
    # T = 30% × 600,000.00 = 180,000.00.
    assert (project.contract_amount, project.rate, project.commission_total) == (
        Decimal("600000.00"),
        Decimal("0.3000"),
        Decimal("180000.00"),
    )
    assert AuditEvent.objects.filter(action="project.amend").count() == 1


def test_after_the_first_payment_the_form_is_gone_and_a_post_changes_nothing(actors):
    project = sign(actors.officer, actors.alpha, "300000.00")
    pay(actors.finance, project, "100000.00", dt.date(2026, 1, 15), "HK-1")
    client = _client(actors.officer)
    url = f"/console/projects/{project.pk}/"
    assert "更正合同金额" not in client.get(url).content.decode()
    before = AuditEvent.objects.count()
    response = client.post(f"{url}amend/", {"contract_amount": "600000.00", "reason": "补充协议"})
    assert response.status_code == 409 and AuditEvent.objects.count() == before
    assert Project.objects.get(pk=project.pk).contract_amount == Decimal("300000.00")


def test_finance_cannot_amend(actors):
    project = sign(actors.officer, actors.alpha, "300000.00")
    response = _client(actors.finance).post(
        f"/console/projects/{project.pk}/amend/", {"contract_amount": "1.00", "reason": "x"}
    )
    assert response.status_code == 403
    assert Project.objects.get(pk=project.pk).contract_amount == Decimal("300000.00")
