"""The console's action forms call the same services as the API: verdict (R-LEAD-3), match
decision (R-ATT-2), second-review signatures (R-LEAD-4)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings

from huoban.leads.models import Lead
from huoban.leads.services import appeal
from tests.leads.helpers import INVALID, judge, submit
from tests.portal.helpers import client_for

pytestmark = pytest.mark.django_db


def test_a_valid_verdict_is_recorded(actors):
    lead = submit(actors.alice)
    response = client_for(actors.officer).post(
        f"/console/leads/{lead.pk}/verdict/",
        {
            "verdict": "valid",
            "feasibility": "需求明确",
            "quote_min": "200000",
            "quote_max": "300000",
            "reason_code": "fake",  # ignored for a valid verdict
            "explanation": "",
        },
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == "valid"
    assert lead.verdict_by == actors.officer
    assert (lead.quote_min, lead.quote_max) == (Decimal("200000"), Decimal("300000"))
    assert lead.reason_code == ""


def test_an_invalid_verdict_is_recorded_by_presales(actors):
    lead = submit(actors.alice)
    client_for(actors.presales).post(
        f"/console/leads/{lead.pk}/verdict/",
        {"verdict": "invalid", "reason_code": "price_probing", "explanation": "同行询价"},
    )
    lead.refresh_from_db()
    assert (lead.status, lead.reason_code) == ("invalid", "price_probing")


def test_a_verdict_missing_its_quote_shows_the_errors_in_place(actors):
    lead = submit(actors.alice)
    client = client_for(actors.officer)
    response = client.post(
        f"/console/leads/{lead.pk}/verdict/",
        {"verdict": "valid", "feasibility": "可行", "quote_min": "", "quote_max": ""},
    )
    assert response.status_code == 422
    errors = response.context["verdict_form"].errors
    assert errors["quote_min"] == ["有效结论需附报价区间"]
    assert 'value="可行"' in response.content.decode() or "可行</textarea>" in (
        response.content.decode()
    )
    lead.refresh_from_db()
    assert lead.status == "pending"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.post(f"/console/leads/{lead.pk}/verdict/", {"verdict": "invalid"})
    assert english.context["verdict_form"].errors["reason_code"] == [
        "An invalid verdict needs a reason code."
    ]


def test_a_pm_may_read_but_not_judge(actors):
    lead = submit(actors.alice)
    response = client_for(actors.pm).post(
        f"/console/leads/{lead.pk}/verdict/",
        {"verdict": "invalid", "reason_code": "fake", "explanation": "x"},
        follow=True,
    )
    assert response.status_code == 200
    assert "无权执行此操作" in response.content.decode()
    lead.refresh_from_db()
    assert lead.status == "pending"


def test_a_judged_lead_cannot_be_judged_again(actors):
    lead = judge(actors.officer, submit(actors.alice), INVALID)
    response = client_for(actors.officer).post(
        f"/console/leads/{lead.pk}/verdict/",
        {"verdict": "invalid", "reason_code": "fake", "explanation": "x"},
        follow=True,
    )
    assert "不能评估" in response.content.decode()
    lead.refresh_from_db()
    assert lead.reason_code == "no_intent"


def test_the_officer_decides_a_possible_match(actors):
    judge(actors.officer, submit(actors.alice, "北京星河数字科技有限公司"))
    lead = submit(actors.bob, "北京星河数码科技有限公司")
    assert lead.status == "needs_review"
    client = client_for(actors.officer)
    html = client.get(f"/console/leads/{lead.pk}/").content.decode()
    assert "确认客户匹配" in html
    response = client.post(f"/console/leads/{lead.pk}/match/", {"decision": "candidate"})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == "duplicate"
    assert lead.customer_id == lead.candidate_customer_id


def test_a_new_customer_decision_queues_the_lead(actors):
    judge(actors.officer, submit(actors.alice, "北京星河数字科技有限公司"))
    lead = submit(actors.bob, "北京星河数码科技有限公司")
    client_for(actors.officer).post(f"/console/leads/{lead.pk}/match/", {"decision": "new"})
    lead.refresh_from_db()
    assert lead.status == "pending"
    assert lead.customer_id != lead.candidate_customer_id


def test_two_signatures_settle_an_appeal(actors):
    lead = judge(actors.officer, submit(actors.alice), INVALID)
    appeal(lead.pk, "客户已立项", actor=actors.alice)
    body = {
        "verdict": "valid",
        "explanation": "补充材料证明已立项",
        "feasibility": "可行",
        "quote_min": "100000",
        "quote_max": "150000",
    }
    first = client_for(actors.officer).post(f"/console/leads/{lead.pk}/second-review/", body)
    assert first.status_code == 302
    assert Lead.objects.get(pk=lead.pk).status == "appealed"
    page = client_for(actors.presales).get(f"/console/leads/{lead.pk}/").content.decode()
    assert "补充材料证明已立项" in page
    client_for(actors.presales).post(f"/console/leads/{lead.pk}/second-review/", body)
    lead.refresh_from_db()
    assert lead.status == "valid"
    assert lead.quote_min == Decimal("100000")


def test_a_signature_without_explanation_is_refused_in_place(actors):
    lead = judge(actors.officer, submit(actors.alice), INVALID)
    appeal(lead.pk, "客户已立项", actor=actors.alice)
    response = client_for(actors.officer).post(
        f"/console/leads/{lead.pk}/second-review/", {"verdict": "valid", "explanation": ""}
    )
    assert response.status_code == 422
    assert "explanation" in response.context["signature_form"].errors
    assert not lead.signatures.exists()


def test_staff_see_owned_customers_contacts_masked(actors):
    lead = judge(actors.officer, submit(actors.alice))
    html = client_for(actors.presales).get(f"/console/leads/{lead.pk}/").content.decode()
    assert "13812345678" not in html
    assert "138****5678" in html or "****" in html
