"""Shared builders for the portal and console page tests."""

from __future__ import annotations

from typing import Any

from django.test import Client


def client_for(user: Any | None) -> Client:
    """A browser session signed in as `user` (None: anonymous)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def form_data(name: str = "东义集团", **overrides: Any) -> dict[str, str]:
    """The portal's lead form as a partner fills it in."""
    data = {
        "customer_name": name,
        "customer_uscc": "",
        "customer_region": "山西",
        "customer_industry": "煤化工",
        "contact_name": "李明",
        "contact_title": "信息中心主任",
        "contact_phone": "13812345678",
        "contact_is_decision_maker": "on",
        "category": "ai",
        "item": "industry_ai_model",
        "need": "煤化工生产数据分析与 AI 预测平台",
        "budget_min": "200000",
        "budget_max": "500000",
        "expected_start": "",
    }
    data.update(overrides)
    return data
