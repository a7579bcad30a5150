"""The officers' queue of public applications (issue #12, R-UI-1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from huoban import clock
from huoban.partners.inquiries import submit_inquiry
from huoban.partners.models import Partner, PartnerInquiry

pytestmark = pytest.mark.django_db
MONDAY = dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def inquiry(db):
    with clock.frozen(MONDAY):
        return submit_inquiry(
            name="晋城云启信息技术有限公司",
            contact="赵云",
            phone="13800001234",
            intended_tier="strategic",
            resources="煤矿集团信息化",
        )


def test_the_queue_shows_the_due_date_and_flags_an_overdue_one(actors, inquiry):
    officer = _client(actors.officer)
    with clock.frozen(MONDAY):
        page = officer.get("/console/partners/inquiries/").content.decode()
    assert "晋城云启信息技术有限公司" in page and "2026-06-03" in page and "已超时" not in page
    with clock.frozen(MONDAY + dt.timedelta(days=3)):
        page = officer.get("/console/partners/inquiries/").content.decode()
    assert "已超时" in page
    assert "合作申请" in officer.get("/console/partners/").content.decode()


def test_contact_then_decline(actors, inquiry):
    officer = _client(actors.officer)
    url = f"/console/partners/inquiries/{inquiry.pk}/handle/"
    response = officer.post(url, {"action": "decline", "note": ""})
    assert response.status_code == 422 and "必须说明原因" in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.status == "new"
    assert officer.post(url, {"action": "contacted", "note": "已电话沟通"}).status_code == 302
    assert officer.post(url, {"action": "decline", "note": "方向不符"}).status_code == 302
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.handling_note) == ("rejected", "方向不符")


def test_convert_through_the_prefilled_registration_form(actors, inquiry):
    officer = _client(actors.officer)
    page = officer.get(f"/console/partners/new/?inquiry={inquiry.pk}").content.decode()
    assert 'value="晋城云启信息技术有限公司"' in page and 'value="13800001234"' in page
    response = officer.post(
        "/console/partners/new/",
        {
            "name": "晋城云启信息技术有限公司",
            "kind": "organization",
            "uscc": "91110000710926094P",
            "contact_name": "赵云",
            "contact_phone": "13800001234",
            "inquiry": inquiry.pk,
        },
    )
    partner = Partner.objects.get(name="晋城云启信息技术有限公司")
    assert (
        response.status_code == 302 and response["Location"] == f"/console/partners/{partner.code}/"
    )
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.partner_id) == ("converted", partner.pk)
    page = officer.get("/console/partners/inquiries/").content.decode()
    assert "没有待处理的申请" in page and partner.code in page


def test_a_refused_conversion_keeps_the_form_and_the_application(actors, inquiry):
    officer = _client(actors.officer)
    before = (Partner.objects.count(), PartnerInquiry.objects.filter(status="new").count())
    response = officer.post(
        "/console/partners/new/",
        {
            "name": "晋城云启信息技术有限公司",
            "kind": "organization",
            "uscc": "91110000710926094Q",
            "inquiry": inquiry.pk,
        },
    )
    page = response.content.decode()
    assert response.status_code == 422 and "由合作申请" in page
    assert (Partner.objects.count(), PartnerInquiry.objects.filter(status="new").count()) == before


@pytest.mark.parametrize("who", ["presales", "pm", "finance"])
def test_other_staff_read_the_queue_without_forms_and_cannot_handle(actors, inquiry, who):
    client = _client(getattr(actors, who))
    page = client.get("/console/partners/inquiries/").content.decode()
    assert "晋城云启信息技术有限公司" in page and "?inquiry=" not in page
    url = f"/console/partners/inquiries/{inquiry.pk}/handle/"
    assert client.post(url, {"action": "contacted", "note": "x"}).status_code == 403
    inquiry.refresh_from_db()
    assert inquiry.status == "new"


def test_partner_users_never_see_applications(actors, inquiry):
    assert _client(actors.alice).get("/console/partners/inquiries/").status_code == 404
    assert PartnerInquiry.objects.visible_to(actors.alice).count() == 0
