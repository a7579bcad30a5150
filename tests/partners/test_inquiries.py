"""Public applications (seed 000's 咨询对接回执, issue #12, R-UI-1): the public page, the API,
the officers' queue with its 2-business-day contact date, decline and conversion."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from huoban import clock
from huoban.audit.models import AuditEvent
from huoban.errors import Conflict, Forbidden, ValidationFailed
from huoban.partners.inquiries import (
    PER_ADDRESS_PER_HOUR,
    convert_inquiry,
    decline_inquiry,
    mark_inquiry_contacted,
    submit_inquiry,
)
from huoban.partners.models import InquiryStatus, Partner, PartnerInquiry

pytestmark = pytest.mark.django_db
# A Friday: 2 business days later is Tuesday 2026-06-09 (no holiday in the table that week).
FRIDAY = dt.datetime(2026, 6, 5, 10, tzinfo=dt.UTC)
FORM = {
    "name": "晋城云启信息技术有限公司",
    "contact": "赵云",
    "phone": "138 0000 1234",
    "intended_tier": "deep",
    "resources": "山西煤矿集团的信息化部门",
    "note": "希望先了解深度协同",
}


def _counts():
    return PartnerInquiry.objects.count(), AuditEvent.objects.count()


def _submit(**over):
    with clock.frozen(FRIDAY):
        return submit_inquiry(**{k: v for k, v in FORM.items() if k != "website"} | over)


def test_an_application_is_due_for_contact_two_business_days_later(db):
    inquiry = _submit()
    assert (inquiry.status, inquiry.contact_due_on) == ("new", dt.date(2026, 6, 9))
    event = AuditEvent.objects.get(action="partner.inquiry.submit")
    assert event.actor_id is None


def test_bad_fields_are_named_and_nothing_is_kept(db):
    before = _counts()
    with pytest.raises(ValidationFailed) as e:
        _submit(name=" ", contact="", phone="call me", intended_tier="gold")
    assert set(e.value.errors) == {"name", "contact", "phone", "intended_tier"}
    assert _counts() == before


def test_the_public_page_sends_and_shows_the_receipt_once(db):
    client = Client()
    assert "咨询对接回执" in client.get("/apply/").content.decode()
    with clock.frozen(FRIDAY):
        response = client.post("/apply/", FORM)
    assert response.status_code == 302 and response["Location"] == "/apply/thanks/"
    inquiry = PartnerInquiry.objects.get()
    page = client.get("/apply/thanks/").content.decode()
    assert f"回执编号 {inquiry.pk}" in page and "2026-06-09" in page
    assert f"回执编号 {inquiry.pk}" not in client.get("/apply/thanks/").content.decode()


def test_the_page_keeps_the_input_and_explains_in_english(db):
    client = Client()
    client.cookies["django_language"] = "en"
    before = _counts()
    response = client.post("/apply/", {**FORM, "phone": "abc"})
    page = response.content.decode()
    assert response.status_code == 422 and _counts() == before
    assert "not a phone number" in page and "晋城云启信息技术有限公司" in page


def test_a_filled_honeypot_looks_accepted_but_keeps_nothing(db):
    client = Client()
    before = _counts()
    response = client.post("/apply/", {**FORM, "website": "http://spam.example"})
    assert response.status_code == 302 and _counts() == before


def test_one_address_sends_at_most_five_an_hour(db):
    client = Client()
    with clock.frozen(FRIDAY):
        for _ in range(PER_ADDRESS_PER_HOUR):
            assert client.post("/apply/", FORM).status_code == 302
        response = client.post("/apply/", FORM)
        assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
        status = client.post(
            "/api/v1/applications", FORM, content_type="application/json"
        ).status_code
        assert status == 429
    assert PartnerInquiry.objects.count() == PER_ADDRESS_PER_HOUR
    with clock.frozen(FRIDAY + dt.timedelta(hours=1)):
        assert client.post("/apply/", FORM).status_code == 302


def test_the_api_does_the_same(db):
    client = Client()
    with clock.frozen(FRIDAY):
        response = client.post("/api/v1/applications", FORM, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["contact_due_on"]) == ("new", "2026-06-09")
    response = client.post(
        "/api/v1/applications", {**FORM, "intended_tier": "gold"}, content_type="application/json"
    )
    assert response.status_code == 422 and PartnerInquiry.objects.count() == 1


def test_contact_then_decline_with_a_reason(actors):
    inquiry = _submit()
    with pytest.raises(ValidationFailed):
        decline_inquiry(inquiry.pk, actor=actors.officer, reason=" ")
    mark_inquiry_contacted(inquiry.pk, actor=actors.officer, note="电话沟通，暂无资源")
    with pytest.raises(Conflict):
        mark_inquiry_contacted(inquiry.pk, actor=actors.officer)
    inquiry = decline_inquiry(inquiry.pk, actor=actors.officer, reason="资源与方向不匹配")
    assert (inquiry.status, inquiry.handling_note) == ("rejected", "资源与方向不匹配")
    with pytest.raises(Conflict):
        convert_inquiry(inquiry.pk, actor=actors.officer, name="x", kind="individual")


def test_conversion_registers_the_partner_and_closes_the_application(actors):
    inquiry = _submit()
    partner = convert_inquiry(
        inquiry.pk,
        actor=actors.officer,
        name=FORM["name"],
        kind="organization",
        uscc="91110000710926094P",
        contact_name="赵云",
    )
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.partner, partner.tier) == ("converted", partner, "light")
    assert AuditEvent.objects.filter(action="partner.inquiry.convert").count() == 1


def test_a_refused_conversion_leaves_the_application_open(actors):
    inquiry = _submit()
    before = Partner.objects.count()
    with pytest.raises(ValidationFailed):
        convert_inquiry(
            inquiry.pk,
            actor=actors.officer,
            name=FORM["name"],
            kind="organization",
            uscc="91110000710926094Q",
        )
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.NEW and Partner.objects.count() == before


@pytest.mark.parametrize("who", ["presales", "pm", "finance", "alice"])
def test_only_officers_and_admins_handle_applications(actors, who):
    inquiry = _submit()
    with pytest.raises(Forbidden):
        mark_inquiry_contacted(inquiry.pk, actor=getattr(actors, who))
    inquiry.refresh_from_db()
    assert inquiry.status == "new"
