"""What the portal pages show: counts, lists with filters and pages, a lead's verdict."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from huoban.leads.models import Lead
from tests.leads.helpers import INVALID, VALID, judge, submit
from tests.portal.helpers import client_for

pytestmark = pytest.mark.django_db


def test_home_counts_leads_by_status_and_lists_the_latest(actors):
    submit(actors.alice, "东义集团")
    judge(actors.officer, submit(actors.alice, "晋南钢铁集团"), INVALID)
    response = client_for(actors.alice).get("/portal/")
    counts = {code: n for code, _label, n in response.context["counts"]}
    assert counts["pending"] == 1
    assert counts["invalid"] == 1
    assert response.context["total"] == 2
    html = response.content.decode()
    assert "东义集团" in html and "晋南钢铁集团" in html
    assert "轻协同" in html  # the tier badge


def test_lead_list_filters_by_status(actors):
    submit(actors.alice, "东义集团")
    judge(actors.officer, submit(actors.alice, "晋南钢铁集团"), INVALID)
    html = client_for(actors.alice).get("/portal/leads/?status=invalid").content.decode()
    assert "晋南钢铁集团" in html
    assert "东义集团" not in html


def test_lead_list_is_paginated(actors):
    for i in range(23):
        submit(actors.alice, f"测试客户{i:02d}号科技有限公司")
    client = client_for(actors.alice)
    first = client.get("/portal/leads/")
    assert len(first.context["page"].object_list) == 20
    assert "1 / 2" in first.content.decode()
    second = client.get("/portal/leads/?page=2")
    assert len(second.context["page"].object_list) == 3
    assert client.get("/portal/leads/?page=abc").status_code == 200


def test_a_valid_lead_shows_its_quote_range(actors):
    lead = judge(actors.officer, submit(actors.alice), VALID)
    html = client_for(actors.alice).get(f"/portal/leads/{lead.pk}/").content.decode()
    assert "200000.00" in html and "300000.00" in html
    assert "需求明确，具备落地条件" in html


def test_a_pending_lead_shows_the_sla_countdown(actors):
    lead = submit(actors.alice)
    html = client_for(actors.alice).get(f"/portal/leads/{lead.pk}/").content.decode()
    assert "评估截止" in html and "还剩" in html


def test_an_invalid_lead_shows_the_reason_and_the_appeal_form(actors):
    lead = judge(actors.officer, submit(actors.alice), INVALID)
    html = client_for(actors.alice).get(f"/portal/leads/{lead.pk}/").content.decode()
    assert "纯咨询无落地意向" in html
    assert "客户仅咨询价格，无立项计划" in html
    assert f"/portal/leads/{lead.pk}/appeal/" in html


def test_the_appeal_form_is_gone_after_30_days(actors):
    lead = judge(actors.officer, submit(actors.alice), INVALID)
    days = settings.HUOBAN["APPEAL_WINDOW_DAYS"] + 1
    Lead.objects.filter(pk=lead.pk).update(verdict_at=lead.verdict_at - dt.timedelta(days=days))
    html = client_for(actors.alice).get(f"/portal/leads/{lead.pk}/").content.decode()
    assert f"/portal/leads/{lead.pk}/appeal/" not in html


def test_appealing_through_the_portal(actors):
    lead = judge(actors.officer, submit(actors.alice), INVALID)
    client = client_for(actors.alice)
    response = client.post(f"/portal/leads/{lead.pk}/appeal/", {"reason": "客户已立项"})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == "appealed"
    assert lead.appeal_reason == "客户已立项"
    # A second appeal is refused with a message, not an error page.
    again = client.post(f"/portal/leads/{lead.pk}/appeal/", {"reason": "再次申诉"}, follow=True)
    assert "申诉" in again.content.decode()
    lead.refresh_from_db()
    assert lead.appeal_reason == "客户已立项"


def test_an_empty_appeal_shows_the_error_in_place(actors):
    lead = judge(actors.officer, submit(actors.alice), INVALID)
    response = client_for(actors.alice).post(f"/portal/leads/{lead.pk}/appeal/", {"reason": ""})
    assert response.status_code == 422
    assert "is-invalid" in response.content.decode()
    lead.refresh_from_db()
    assert lead.status == "invalid"


def test_pages_are_english_with_the_language_cookie(actors):
    client = client_for(actors.alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/portal/").content.decode()
    assert '<html lang="en">' in html
    assert "Submit a lead" in html
    assert "报备线索" not in html
