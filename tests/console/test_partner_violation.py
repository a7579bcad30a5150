"""Recording a partner violation in the console (issue #12, R-VIOL-2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from huoban import clock
from huoban.audit.models import AuditEvent
from huoban.partners.models import PartnerViolation

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 10)


@pytest.fixture(autouse=True)
def _today(db):
    with clock.frozen(TODAY):
        yield


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _counts() -> tuple[int, int]:
    return PartnerViolation.objects.count(), AuditEvent.objects.count()


def test_an_officer_records_a_violation_from_the_partner_page(actors):
    client = _client(actors.officer)
    url = f"/console/partners/{actors.alpha.code}/"
    assert "记录伙伴违规" in client.get(url).content.decode()
    response = client.post(
        f"{url}violations/",
        {"kind": "confidentiality", "occurred_on": "2026-06-01", "description": "泄露报价"},
    )
    assert response.status_code == 302 and response["Location"] == url
    violation = PartnerViolation.objects.get(partner=actors.alpha)
    assert (violation.kind, violation.occurred_on) == ("confidentiality", dt.date(2026, 6, 1))
    assert "泄露报价" in client.get(url).content.decode()


def test_bad_input_changes_nothing_and_keeps_the_text(actors):
    client = _client(actors.officer)
    before = _counts()
    response = client.post(
        f"/console/partners/{actors.alpha.code}/violations/",
        {"kind": "spam", "occurred_on": "2026-07-01", "description": "一段说明"},
    )
    assert response.status_code == 422 and _counts() == before
    assert "一段说明" in response.content.decode()


@pytest.mark.parametrize("who", ["presales", "pm", "finance"])
def test_other_staff_see_no_form_and_cannot_record(actors, who):
    client = _client(getattr(actors, who))
    url = f"/console/partners/{actors.alpha.code}/"
    assert "记录伙伴违规" not in client.get(url).content.decode()
    before = _counts()
    response = client.post(
        f"{url}violations/", {"kind": "fake_lead", "occurred_on": "2026-06-01", "description": "x"}
    )
    assert response.status_code == 403 and _counts() == before


def test_an_officer_grants_white_label_to_a_strategic_partner_without_violations(actors):
    from tests.partners.tier_helpers import make_tier

    make_tier(actors.alpha, "strategic", dt.date(2026, 1, 5))
    client = _client(actors.officer)
    url = f"/console/partners/{actors.alpha.code}/"
    assert "授予贴牌输出" in client.get(url).content.decode()
    response = client.post(f"{url}white-label/")
    assert response.status_code == 302
    actors.alpha.refresh_from_db()
    assert actors.alpha.white_label is True
    assert f'action="{url}white-label/"' not in client.get(url).content.decode()  # no button


def test_white_label_is_refused_after_a_violation_and_nothing_changes(actors):
    from tests.partners.tier_helpers import make_tier

    make_tier(actors.alpha, "strategic", dt.date(2026, 1, 5))
    client = _client(actors.officer)
    url = f"/console/partners/{actors.alpha.code}/"
    client.post(
        f"{url}violations/",
        {"kind": "fake_lead", "occurred_on": "2026-05-01", "description": "虚构需求"},
    )
    before = AuditEvent.objects.count()
    response = client.post(f"{url}white-label/")
    assert response.status_code == 409 and "12 个月内有违规记录" in response.content.decode()
    actors.alpha.refresh_from_db()
    assert actors.alpha.white_label is False and AuditEvent.objects.count() == before


def test_the_admin_confirms_a_reported_company_violation(actors):
    from huoban.partners.models import CompanyViolation
    from huoban.standing.violations import report_company_violation
    from tests.projects.helpers import ensure_policy_v1, sign

    ensure_policy_v1()
    project = sign(actors.officer, actors.alpha)
    report = report_company_violation(
        actor=actors.alice, project_id=project.pk, kind="bypass", description="销售绕开伙伴"
    )
    url = f"/console/partners/{actors.alpha.code}/company-violations/{report.pk}/decide/"
    assert (
        "销售绕开伙伴"
        in _client(actors.admin).get(f"/console/partners/{actors.alpha.code}/").content.decode()
    )
    before = AuditEvent.objects.count()
    refused = _client(actors.officer).post(url, {"approve": "yes", "note": "属实"})
    assert refused.status_code == 403 and AuditEvent.objects.count() == before
    no_note = _client(actors.admin).post(url, {"approve": "yes", "note": ""})
    assert no_note.status_code == 422 and AuditEvent.objects.count() == before
    done = _client(actors.admin).post(url, {"approve": "yes", "note": "核实属实"})
    assert done.status_code == 302
    assert CompanyViolation.objects.get(pk=report.pk).status == "confirmed"


def test_white_label_is_revoked_with_a_reason(actors):
    from huoban.partners.models import Partner

    Partner.objects.filter(pk=actors.alpha.pk).update(tier="strategic", white_label=True)
    client = _client(actors.officer)
    url = f"/console/partners/{actors.alpha.code}/white-label/revoke/"
    assert "撤销贴牌输出" in client.get(f"/console/partners/{actors.alpha.code}/").content.decode()
    before = AuditEvent.objects.count()
    assert client.post(url, {"reason": ""}).status_code == 422
    assert AuditEvent.objects.count() == before
    assert Partner.objects.get(pk=actors.alpha.pk).white_label
    assert client.post(url, {"reason": "品牌使用不规范"}).status_code == 302
    assert not Partner.objects.get(pk=actors.alpha.pk).white_label
    event = AuditEvent.objects.get(action="partner.white_label_revoke")
    assert event.after["reason"] == "品牌使用不规范"
    assert _client(actors.pm).post(url, {"reason": "x"}).status_code == 403
