"""Correcting a partner's record in the console (issue #12, R-UI-1)."""

from __future__ import annotations

import pytest
from django.test import Client

from huoban.audit.models import AuditEvent
from huoban.partners.models import Partner
from huoban.partners.services import register_partner

pytestmark = pytest.mark.django_db


def _client(user, language: str | None = None) -> Client:
    client = Client()
    client.force_login(user)
    if language:
        client.cookies["django_language"] = language
    return client


def test_an_officer_corrects_name_contact_and_uscc(actors):
    officer = _client(actors.officer)
    url = f"/console/partners/{actors.alpha.code}/edit/"
    page = officer.get(url).content.decode()
    assert 'value="阿尔法咨询有限公司"' in page
    response = officer.post(
        url,
        {
            "name": "阿尔法数字咨询有限公司",
            "types": ["channel", "technology"],
            "region": "北京 海淀",
            "uscc": "91110000710926094p",
            "contact_name": "李青",
            "contact_phone": "13800009999",
        },
    )
    assert response.status_code == 302
    alpha = Partner.objects.get(pk=actors.alpha.pk)
    assert (alpha.name, alpha.uscc, alpha.contact_name) == (
        "阿尔法数字咨询有限公司",
        "91110000710926094P",
        "李青",
    )
    event = AuditEvent.objects.get(action="partner.update")
    assert event.before["name"] == "阿尔法咨询有限公司"
    assert event.after["name"] == "阿尔法数字咨询有限公司"


def test_another_partners_uscc_is_refused_and_nothing_changes(actors):
    register_partner(name="伽马", kind="organization", uscc="91110000710926094P", actor=None)
    officer = _client(actors.officer, "en")
    before = (Partner.objects.get(pk=actors.alpha.pk).name, AuditEvent.objects.count())
    response = officer.post(
        f"/console/partners/{actors.alpha.code}/edit/",
        {"name": "新名字", "uscc": "91110000710926094P"},
    )
    assert response.status_code == 422
    assert "A partner with this USCC exists" in response.content.decode()
    assert (Partner.objects.get(pk=actors.alpha.pk).name, AuditEvent.objects.count()) == before


@pytest.mark.parametrize("who", ["presales", "pm", "finance"])
def test_other_staff_get_the_403_page(actors, who):
    client = _client(getattr(actors, who))
    url = f"/console/partners/{actors.alpha.code}/edit/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "x"}).status_code == 403
    assert Partner.objects.get(pk=actors.alpha.pk).name == "阿尔法咨询有限公司"


def test_an_officer_changes_and_clears_the_recruiter(actors):
    officer = _client(actors.officer)
    url = f"/console/partners/{actors.alpha.code}/referrer/"
    assert officer.post(url, {"referrer_code": actors.beta.code.lower()}).status_code == 302
    assert Partner.objects.get(pk=actors.alpha.pk).referrer_id == actors.beta.pk
    before = AuditEvent.objects.count()
    # beta recruited by alpha would make a cycle: refused, nothing changes (R-LED-5).
    response = officer.post(
        f"/console/partners/{actors.beta.code}/referrer/", {"referrer_code": actors.alpha.code}
    )
    assert response.status_code == 422 and "推荐关系成环" in response.content.decode()
    assert AuditEvent.objects.count() == before
    assert officer.post(url, {"referrer_code": ""}).status_code == 302
    assert Partner.objects.get(pk=actors.alpha.pk).referrer_id is None
    assert _client(actors.pm).post(url, {"referrer_code": actors.beta.code}).status_code == 403
