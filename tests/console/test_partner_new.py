"""Registering a partner in the console (issue #12, R-UI-1): officers and admins, field errors in
the user's language, and a refusal changes nothing."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from huoban.audit.models import AuditEvent
from huoban.partners.models import Partner
from huoban.partners.services import register_partner

pytestmark = pytest.mark.django_db

URL = "/console/partners/new/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _counts() -> tuple[int, int]:
    return Partner.objects.count(), AuditEvent.objects.count()


def test_an_officer_registers_an_organisation_with_its_recruiter(actors):
    client = _client(actors.officer)
    assert "伙伴类型" in client.get(URL).content.decode()
    response = client.post(
        URL,
        {
            "name": " 伽马科技有限公司 ",
            "kind": "organization",
            "types": ["channel", "technology"],
            "region": "太原",
            "uscc": "91110000710926094P",
            "referrer_code": actors.alpha.code.lower(),
            "contact_name": "王经理",
            "contact_phone": "13800001111",
        },
    )
    partner = Partner.objects.get(name="伽马科技有限公司")
    assert (
        response.status_code == 302 and response["Location"] == f"/console/partners/{partner.code}/"
    )
    assert (partner.kind, partner.tier, partner.region) == ("organization", "light", "太原")
    assert partner.types == ["channel", "technology"] and partner.referrer == actors.alpha
    event = AuditEvent.objects.get(action="partner.register", object_id=str(partner.pk))
    assert event.actor == actors.officer
    page = client.get(response["Location"]).content.decode()
    assert "已登记伙伴 伽马科技有限公司" in page


def test_bad_input_answers_field_by_field_keeps_what_was_typed_and_changes_nothing(actors):
    client = _client(actors.officer)
    before = _counts()
    response = client.post(
        URL,
        {
            "name": "伽马科技有限公司",
            "kind": "organization",
            "uscc": "91110000710926094Q",
            "referrer_code": "P99999",
            "contact_name": "王经理",
        },
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "推荐伙伴不存在" in body and 'value="王经理"' in body
    assert _counts() == before
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.post(
        URL, {"name": "伽马科技有限公司", "kind": "organization", "referrer_code": "P99999"}
    )
    assert english.status_code == 422
    assert "No partner P99999" in english.content.decode()
    assert _counts() == before


def test_an_individual_has_no_uscc(actors):
    client = _client(actors.officer)
    before = _counts()
    response = client.post(
        URL, {"name": "张三", "kind": "individual", "uscc": "91110000710926094P"}
    )
    assert (
        response.status_code == 422 and "个人伙伴没有统一社会信用代码" in response.content.decode()
    )
    assert _counts() == before


@pytest.mark.parametrize("who", ["presales", "pm", "finance"])
def test_other_staff_see_no_form_and_cannot_register(actors, who):
    client = _client(getattr(actors, who))
    page = client.get(URL)
    assert page.status_code == 403 and '<form method="post" novalidate' not in page.content.decode()
    assert "登记伙伴" not in client.get("/console/partners/").content.decode()
    before = _counts()
    refused = client.post(URL, {"name": "伽马科技有限公司", "kind": "organization"})
    assert refused.status_code == 403 and _counts() == before


def test_the_uscc_is_checked_as_it_is_typed(actors):
    client = Client()
    client.force_login(actors.officer)
    url = "/console/partners/new/uscc-check/"
    page = client.get(url, {"uscc": "91110000710926094q"}, HTTP_HX_REQUEST="true").content.decode()
    assert "校验位" in page and "text-danger" in page
    page = client.get(url, {"uscc": " 91110000710926094P "}).content.decode()
    assert "信用代码校验通过" in page
    register_partner(
        name="伽马科技有限公司", kind="organization", uscc="91110000710926094P", actor=None
    )
    page = client.get(url, {"uscc": "91110000710926094P"}).content.decode()
    assert "已登记为伙伴" in page and "伽马科技有限公司" in page
    assert client.get(url, {"uscc": ""}).content.decode().strip() == ""
    assert (
        'hx-get="/console/partners/new/uscc-check/"'
        in client.get("/console/partners/new/").content.decode()
    )


def test_other_staff_cannot_probe_usccs(actors):
    client = Client()
    client.force_login(actors.pm)
    response = client.get("/console/partners/new/uscc-check/", {"uscc": "91110000710926094P"})
    assert response.status_code == 403
