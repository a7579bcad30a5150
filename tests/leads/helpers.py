"""Small builders for lead tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from huoban.leads.services import LeadInput, VerdictInput, record_verdict, submit_lead


def lead_input(name: str = "东义集团", **overrides: Any) -> LeadInput:
    fields: dict[str, Any] = {
        "customer_name": name,
        "category": "ai",
        "item": "industry_ai_model",
        "need": "煤化工生产数据分析与 AI 预测平台",
        "contact_name": "李明",
        "contact_title": "信息中心主任",
        "contact_phone": "13812345678",
        "contact_is_decision_maker": True,
        "customer_region": "山西",
    }
    fields.update(overrides)
    return LeadInput(**fields)


def submit(user: Any, name: str = "东义集团", **overrides: Any):
    return submit_lead(lead_input(name, **overrides), actor=user)


VALID = VerdictInput(
    verdict="valid",
    feasibility="需求明确，具备落地条件",
    quote_min=Decimal("200000.00"),
    quote_max=Decimal("300000.00"),
    explanation="",
)
INVALID = VerdictInput(
    verdict="invalid", reason_code="no_intent", explanation="客户仅咨询价格，无立项计划"
)


def judge(user: Any, lead: Any, verdict: VerdictInput = VALID):
    return record_verdict(lead.pk, verdict, actor=user)


def api_lead_body(name: str = "东义集团", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "customer": {"name": name, "region": "山西", "industry": "煤化工"},
        "contact": {
            "name": "李明",
            "title": "信息中心主任",
            "phone": "13812345678",
            "is_decision_maker": True,
        },
        "category": "ai",
        "item": "industry_ai_model",
        "need": "煤化工生产数据分析与 AI 预测平台",
        "budget_min": "200000.00",
        "budget_max": "500000.00",
    }
    body.update(overrides)
    return body
