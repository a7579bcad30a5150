"""Basic facts with 待补充 and key contacts by layer (SPEC §10.1, R-PRF-1; issue #15)."""

from __future__ import annotations

import pytest

from huoban.audit.models import AuditEvent
from huoban.profiles.models import FACTS, KeyContact, PartnerProfile

pytestmark = pytest.mark.django_db


def test_facts_to_complete_and_contacts_by_layer(actors, api_client):
    url = f"/api/v1/partners/{actors.alpha.code}"
    status, answer = api_client.as_(actors.finance).get(f"{url}/profile")
    assert (status, answer["to_complete"]) == (200, list(FACTS))  # all 待补充 at first
    officer = api_client.as_(actors.officer)
    status, answer = officer.put(
        f"{url}/profile",
        {"complementarity": "technology", "full_name": "阿尔法咨询有限公司",
         "core_technology": "工业数据分析", "team_size": 35},
    )  # fmt: skip
    assert status == 200, answer
    assert answer["to_complete"] == [
        "founded_on", "registered_capital", "main_business", "address", "website",
    ]  # fmt: skip
    status, answer = officer.post(
        f"{url}/contacts",
        {"name": "王博士", "layer": "technical", "title": "CTO", "email": "wang@example.com"},
    )
    assert (status, answer["layer"]) == (201, "technical")
    status, answer = api_client.as_(actors.alice).get(f"{url}/profile")
    assert status == 200 and answer["contacts"][0]["name"] == "王博士"
    assert api_client.as_(actors.bob).get(f"{url}/profile")[0] == 404


@pytest.mark.parametrize(
    ("path", "method", "body", "field"),
    [
        ("profile", "put", {"website": "not a url"}, "website"),
        ("profile", "put", {"complementarity": "friendship"}, "complementarity"),
        ("contacts", "post", {"name": "李四", "layer": "business", "email": "nope"}, "email"),
    ],
)
def test_bad_input_changes_nothing(actors, api_client, path, method, body, field):
    officer = api_client.as_(actors.officer)
    officer.get("/api/v1/agreements")  # the token's first use is audited: before counting
    before = (
        PartnerProfile.objects.count(),
        KeyContact.objects.count(),
        AuditEvent.objects.count(),
    )
    url = f"/api/v1/partners/{actors.alpha.code}/{path}"
    status, answer = getattr(officer, method)(url, body)
    assert status == 422 and field in answer["detail"], answer
    after = (PartnerProfile.objects.count(), KeyContact.objects.count(), AuditEvent.objects.count())
    assert after == before


def test_only_officers_keep_the_facts(actors, api_client):
    url = f"/api/v1/partners/{actors.alpha.code}/profile"
    for who in (actors.pm, actors.finance, actors.alice):
        assert api_client.as_(who).put(url, {"full_name": "x"})[0] == 403
