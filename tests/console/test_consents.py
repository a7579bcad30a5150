"""Written consents on the console's customer page (R-ATT-7, issue #10 finding 3): an officer
records the owner's signed consent with its document; a grant to oneself or to a whole role
takes effect only when a second officer or admin approves it; nothing without the document."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huoban import clock
from huoban.audit.models import AuditEvent
from huoban.customers.consent import has_consent
from huoban.customers.models import ContactConsent
from huoban.customers.registry import add_contact
from tests.customers.helpers import owned_customer, row_counts
from tests.portal.helpers import client_for

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
PDF = b"%PDF-1.4\n% the customer's signed consent\n"


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with clock.frozen(T0):
        yield


@pytest.fixture
def customer(actors):
    c = owned_customer(actors.alpha)
    add_contact(c, name="张三", phone="13812345678")
    return c


def _grant(client, customer, document=True, **fields):
    body = {
        "grantee_role": "",
        "expires_at": "2026-03-31T18:00",
        "note": "王博士书面同意",
        **fields,
    }
    if document:
        body["document"] = SimpleUploadedFile("consent.pdf", PDF, content_type="application/pdf")
    return client.post(f"/console/customers/{customer.pk}/consents/", body)


def test_a_grant_to_a_named_colleague_with_the_document_is_in_force(actors, customer):
    response = _grant(client_for(actors.officer), customer, grantee_username="peter")
    assert response.status_code == 302
    consent = ContactConsent.objects.get()
    assert consent.approved_at is not None and len(consent.document_sha256) == 64
    assert has_consent(actors.presales, customer)
    page = client_for(actors.presales).post(f"/console/customers/{customer.pk}/reveal/")
    assert "13812345678" in page.content.decode()  # revealed, and audited
    assert AuditEvent.objects.filter(action="contact.reveal").count() == 1


def test_a_role_grant_waits_for_a_second_officer(actors, customer):
    officer = client_for(actors.officer)
    assert _grant(officer, customer, grantee_role="pm").status_code == 302
    consent = ContactConsent.objects.get()
    assert consent.approved_at is None and not has_consent(actors.pm, customer)
    page = officer.get(f"/console/customers/{customer.pk}/").content.decode()
    assert "待批准" in page and "角色：项目经理" in page
    # the grantor cannot approve it
    url = f"/console/customers/{customer.pk}/consents/{consent.pk}/approve/"
    assert officer.post(url).status_code == 403
    assert not has_consent(actors.pm, customer)
    # a second officer does
    assert client_for(actors.officer2).post(url).status_code == 302
    assert has_consent(actors.pm, customer)
    assert AuditEvent.objects.filter(action="consent.approve").count() == 1


def test_without_the_document_nothing_is_granted(actors, customer):
    before = row_counts()
    response = _grant(
        client_for(actors.officer), customer, document=False, grantee_username="peter"
    )
    assert response.status_code == 422
    assert "书面同意文件" in response.content.decode()
    assert row_counts() == before


def test_a_file_that_is_not_a_pdf_is_refused_on_its_field(actors, customer):
    body = {
        "grantee_username": "peter",
        "expires_at": "2026-03-31T18:00",
        "document": SimpleUploadedFile("consent.pdf", b"MZ not a pdf"),
    }
    before = row_counts()
    response = client_for(actors.officer).post(f"/console/customers/{customer.pk}/consents/", body)
    assert response.status_code == 422
    assert "文件内容与类型不符" in response.content.decode()
    assert row_counts() == before


def test_presales_cannot_record_a_consent(actors, customer):
    before = row_counts()
    response = _grant(client_for(actors.presales), customer, grantee_username="peter")
    assert response.status_code == 403
    assert row_counts() == before


def test_an_officer_revokes_a_consent(actors, customer):
    _grant(client_for(actors.officer), customer, grantee_username="peter")
    consent = ContactConsent.objects.get()
    url = f"/console/customers/{customer.pk}/consents/{consent.pk}/revoke/"
    assert client_for(actors.admin).post(url).status_code == 302
    assert not has_consent(actors.presales, customer)
