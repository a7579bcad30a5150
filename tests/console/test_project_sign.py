"""Signing a project in the console (issue #12, R-PROJ-1, R-PROJ-2): the preview shows the terms
it would lock and writes nothing; 签约 saves them; bad input and refused roles change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from huoban import clock
from huoban.audit.models import AuditEvent
from huoban.projects.models import Project
from tests.customers.helpers import owned_customer
from tests.projects.helpers import ensure_policy_v1

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 10)


@pytest.fixture(autouse=True)
def _today(db):
    ensure_policy_v1()
    with clock.frozen(TODAY):
        yield


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _counts() -> tuple[int, int]:
    return Project.objects.count(), AuditEvent.objects.count()


FIELDS = {
    "title": "生产数据平台",
    "kind": "new",
    "contract_amount": "300000.00",
    "signed_on": "2026-06-01",
}


def test_the_preview_shows_the_terms_and_writes_nothing_then_sign_locks_them(actors):
    customer = owned_customer(actors.alpha)  # alpha's, light tier
    client = _client(actors.pm)
    url = f"/console/customers/{customer.pk}/sign/"
    assert "预览佣金" in client.get(url).content.decode()
    before = _counts()
    preview = client.post(url, {**FIELDS, "action": "preview"})
    page = preview.content.decode()
    # Policy v1, 300,000 new at light: r = 22%, T = 22% × 300,000 = 66,000; C = 8% = 24,000.
    assert preview.status_code == 200 and _counts() == before
    assert "22%" in page and "66,000.00" in page and "24,000.00" in page and "v1" in page
    assert "确认签约" in page
    signed = client.post(url, {**FIELDS, "action": "sign"})
    project = Project.objects.get(customer=customer)
    assert signed.status_code == 302 and signed["Location"] == f"/console/projects/{project.pk}/"
    assert (str(project.rate), str(project.commission_total)) == ("0.2200", "66000.00")
    assert project.partner == actors.alpha
    assert AuditEvent.objects.filter(action="project.create", actor=actors.pm).count() == 1


def test_bad_input_is_answered_field_by_field_and_changes_nothing(actors):
    customer = owned_customer(actors.alpha)
    client = _client(actors.officer)
    before = _counts()
    response = client.post(
        f"/console/customers/{customer.pk}/sign/",
        {
            **FIELDS,
            "action": "sign",
            "contract_amount": "0",
            "high_margin": "on",
            "signed_on": "2026-07-01",
        },
    )
    page = response.content.decode()
    assert response.status_code == 422 and _counts() == before
    assert "高毛利项目须选择类别" in page and "生产数据平台" in page  # what was typed stays


@pytest.mark.parametrize("who", ["presales", "finance"])
def test_roles_that_do_not_sign_get_no_form_and_change_nothing(actors, who):
    customer = owned_customer(actors.alpha)
    client = _client(getattr(actors, who))
    assert "签约项目" not in client.get(f"/console/customers/{customer.pk}/").content.decode()
    before = _counts()
    response = client.post(f"/console/customers/{customer.pk}/sign/", {**FIELDS, "action": "sign"})
    assert response.status_code == 403 and _counts() == before
