"""Bad input on every write endpoint answers 422 with bilingual field messages and changes no
row anywhere (issue #2: "bad input … answered 400/422 with field messages and no row changed")."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps

from .test_authorization_matrix import ROWS, V1, _fill, build_world

# (method, template) → (who acts, a bad body, the fields the answer must name)
BAD: dict[tuple[str, str], tuple[str, dict[str, Any], set[str]]] = {
    ("POST", f"{V1}/auth/token"): (
        "alice",
        {"username": "", "password": 5},
        {"username", "password"},
    ),
    ("POST", f"{V1}/partners"): ("officer", {"name": "x", "kind": "company"}, {"kind"}),
    ("POST", f"{V1}/partners/{{code}}/users"): (
        "officer",
        {"username": "neo", "password": "short"},
        {"password"},
    ),
    ("POST", f"{V1}/partners/{{code}}/referrer"): (
        "officer",
        {"referrer_code": "{alpha}"},
        {"referrer_code"},  # self-recruitment
    ),
    ("POST", f"{V1}/leads"): (
        "alice",
        {
            "customer": {"name": "某公司", "uscc": "91310000631696382D"},
            "contact": {"name": "王"},
            "category": "ai",
            "need": "x",
        },
        {"customer.uscc"},
    ),
    ("POST", f"{V1}/leads/{{lead_id}}/verdict"): (
        "officer",
        {"verdict": "valid", "quote_min": "100", "quote_max": "99"},
        {"feasibility", "quote_max"},
    ),
    ("POST", f"{V1}/leads/{{lead_id}}/match"): ("officer", {"customer_id": "abc"}, {"customer_id"}),
    ("POST", f"{V1}/leads/{{lead_id}}/appeal"): ("alice", {"reason": ""}, {"reason"}),
    ("POST", f"{V1}/leads/{{lead_id}}/second-review"): (
        "officer",
        {"verdict": "maybe", "explanation": ""},
        {"verdict", "explanation"},
    ),
    ("POST", f"{V1}/customers/inbound"): ("officer", {"name": "全新来访公司"}, {"referral_answer"}),
    ("POST", f"{V1}/customers/{{customer_id}}/links"): (
        "officer",
        {"related_id": 999999, "kind": "subsidiary"},
        {"related_id"},
    ),
    ("POST", f"{V1}/customers/{{customer_id}}/aliases"): (
        "officer",
        {"name": "x", "kind": "nickname"},
        {"kind"},
    ),
    ("POST", f"{V1}/customers/{{customer_id}}/transfer"): (
        "admin",
        {"to_partner_code": "{beta}", "reason": ""},
        {"reason"},
    ),
    ("POST", f"{V1}/partners/{{code}}/tier-applications"): (
        "alice",
        {"resources": "", "plan": ""},
        {"resources", "plan"},
    ),
    ("POST", f"{V1}/partners/{{code}}/tier-applications/{{application_id}}/decision"): (
        "officer",
        {"approve": "perhaps", "note": ""},
        {"approve"},
    ),
    ("POST", f"{V1}/partners/{{code}}/violations"): (
        "officer",
        {"kind": "spam", "occurred_on": "2026-13-01", "description": ""},
        {"kind", "occurred_on", "description"},
    ),
    ("POST", f"{V1}/partners/{{code}}/company-violations"): (
        "alice",
        {"project_id": 999999, "kind": "bypass", "description": "绕开伙伴"},
        {"project_id"},
    ),
    ("POST", f"{V1}/company-violations/{{violation_id}}/decision"): (
        "admin",
        {"confirm": "maybe", "note": ""},
        {"confirm", "note"},
    ),
    ("POST", f"{V1}/partners/{{code}}/exit"): (
        "officer",
        {"kind": "leave", "on": "tomorrow"},
        {"kind", "on"},
    ),
    ("POST", f"{V1}/customers/{{customer_id}}/consents"): (
        "alice",
        {"grantee_role": "pm", "expires_at": "2020-01-01T00:00:00+08:00"},
        {"expires_at"},
    ),
    # 2100 passes the schema's range but is not a finished year.
    ("POST", f"{V1}/settlements/annual"): ("finance", {"year": 2100}, {"year"}),
}


def row_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(BAD), ids=lambda k: f"{k[0]} {k[1]}")
def test_bad_input_names_the_fields_and_changes_nothing(actors, api_client, key):
    who, body, fields = BAD[key]
    world = build_world(actors)
    client = api_client.as_(getattr(actors, who))
    before = row_counts()
    status, answer = client.request("POST", _fill(ROWS[key].path, world), _fill(body, world))
    assert status in (400, 422), answer
    assert fields <= set(answer["detail"]), answer
    for field in fields:
        assert " / " in answer["detail"][field], answer  # 中文 / English
    assert row_counts() == before
