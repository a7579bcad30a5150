"""Issue #10 findings 3 and 11: a staff consent needs the written document, a self or role grant
needs a second person, the expiry is bounded (R-ATT-7, R-VIS-3); the grant's error messages
do not tell which usernames exist."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huoban import clock
from huoban.access import Forbidden
from huoban.audit.models import AuditEvent
from huoban.customers.consent import (
    CONSENT_MAX_DAYS,
    NO_SUCH_STAFF,
    approve_consent,
    contacts_for,
    grant_consent,
    has_consent,
)
from huoban.customers.models import ContactConsent
from huoban.customers.registry import add_contact
from huoban.errors import ValidationFailed

from .helpers import owned_customer

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
PDF = b"%PDF-1.4\n% written consent of the customer\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def customer(actors):
    with clock.frozen(T0):
        c = owned_customer(actors.alpha)
        add_contact(c, name="张三", phone="13812345678")
    return c


def _grant(customer, actors, *, actor, days=7, document=None, **grantee):
    return grant_consent(
        customer,
        partner=actors.alpha,
        expires_at=T0 + dt.timedelta(days=days),
        actor=actor,
        document=document,
        **grantee,
    )


def _pdf(name="consent.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_an_officer_cannot_grant_itself_without_the_written_document(actors, customer):
    with clock.frozen(T0):
        with pytest.raises(ValidationFailed) as err:
            _grant(customer, actors, actor=actors.officer, grantee_user=actors.officer)
        assert list(err.value.errors) == ["document"]
        assert " / " in err.value.errors["document"]
        assert ContactConsent.objects.count() == 0
        assert not AuditEvent.objects.filter(action="consent.grant").exists()
        # and the reveal stays masked
        assert contacts_for(actors.officer, customer, reveal=True)[0]["phone"] == "138****5678"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("consent.exe", PDF),  # not a pdf/jpg/png
        ("consent.pdf", b"MZ\x90\x00 not a pdf"),  # content does not match the type
        ("consent.png", PDF),
        ("consent.pdf", b""),
    ],
)
def test_it_refuses_a_document_of_the_wrong_kind(actors, customer, name, content):
    with clock.frozen(T0), pytest.raises(ValidationFailed) as err:
        _grant(
            customer,
            actors,
            actor=actors.officer,
            grantee_user=actors.presales,
            document=_pdf(name, content),
        )
    assert list(err.value.errors) == ["document"]
    assert ContactConsent.objects.count() == 0


def test_it_refuses_a_document_over_the_size_limit(actors, customer, monkeypatch):
    from huoban.customers import consent

    monkeypatch.setattr(consent, "DOCUMENT_MAX_BYTES", 100)
    with clock.frozen(T0), pytest.raises(ValidationFailed) as err:
        _grant(
            customer,
            actors,
            actor=actors.officer,
            grantee_user=actors.presales,
            document=_pdf(content=PDF + b"x" * 200),
        )
    assert list(err.value.errors) == ["document"]
    assert ContactConsent.objects.count() == 0


def test_an_officer_grant_to_another_user_with_the_document_is_in_force(actors, customer):
    with clock.frozen(T0):
        consent = _grant(
            customer, actors, actor=actors.officer, grantee_user=actors.presales, document=_pdf()
        )
        assert consent.document_sha256 == hashlib.sha256(PDF).hexdigest()
        assert consent.document.name.startswith("consents/2026/")
        consent.document.open("rb")
        assert consent.document.read() == PDF
        consent.document.close()
        assert consent.approved_at == clock.now()
        assert has_consent(actors.presales, customer)


def test_a_self_grant_waits_for_a_second_officer(actors, customer):
    with clock.frozen(T0):
        consent = _grant(
            customer, actors, actor=actors.officer, grantee_user=actors.officer, document=_pdf()
        )
        # pending: not in force, the reveal stays masked
        assert consent.approved_at is None
        assert not has_consent(actors.officer, customer)
        assert contacts_for(actors.officer, customer, reveal=True)[0]["phone"] == "138****5678"
        # the granter cannot approve its own grant
        with pytest.raises(Forbidden):
            approve_consent(consent, actor=actors.officer)
        # nor can presales (not an officer)
        with pytest.raises(Forbidden):
            approve_consent(consent, actor=actors.presales)
        assert not AuditEvent.objects.filter(action="consent.approve").exists()
        # another person (admin) approves: in force, one audit event
        approve_consent(consent, actor=actors.admin)
        consent.refresh_from_db()
        assert consent.approved_by == actors.admin
        assert has_consent(actors.officer, customer)
        assert AuditEvent.objects.filter(action="consent.approve").count() == 1
        assert contacts_for(actors.officer, customer, reveal=True)[0]["phone"] == "13812345678"


def test_a_role_grant_by_staff_waits_for_a_second_person(actors, customer):
    with clock.frozen(T0):
        consent = _grant(
            customer, actors, actor=actors.officer, grantee_role="admin", document=_pdf()
        )
        assert not has_consent(actors.admin, customer)
        approve_consent(consent, actor=actors.admin)
        assert has_consent(actors.admin, customer)


def test_the_partner_path_needs_no_document_and_is_in_force(actors, customer):
    with clock.frozen(T0):
        consent = _grant(customer, actors, actor=actors.alice, grantee_role="pm")
        assert consent.approved_at is not None and consent.document_sha256 == ""
        assert has_consent(actors.pm, customer)


@pytest.mark.parametrize("actor_name", ["alice", "officer"])
def test_the_expiry_is_bounded_on_both_paths(actors, customer, actor_name):
    actor = getattr(actors, actor_name)
    with clock.frozen(T0):
        # 365 days is allowed, 366 (e.g. 9999-12-31) is not
        _grant(
            customer,
            actors,
            actor=actor,
            days=CONSENT_MAX_DAYS,
            grantee_user=actors.presales,
            document=_pdf(),
        )
        before = ContactConsent.objects.count()
        with pytest.raises(ValidationFailed) as err:
            _grant(
                customer,
                actors,
                actor=actor,
                days=CONSENT_MAX_DAYS + 1,
                grantee_user=actors.presales,
                document=_pdf(),
            )
        assert list(err.value.errors) == ["expires_at"]
        with pytest.raises(ValidationFailed):
            grant_consent(
                customer,
                partner=actors.alpha,
                grantee_role="admin",
                expires_at=dt.datetime(9999, 12, 31, tzinfo=dt.UTC),
                actor=actor,
                document=_pdf(),
            )
        assert ContactConsent.objects.count() == before


# --- finding 11: no username enumeration ---------------------------------------------------


def _api_error(api_client, actors, customer, username):
    status, body = api_client.as_(actors.alice).post(
        f"/api/v1/customers/{customer.pk}/consents",
        {
            "grantee_username": username,
            "expires_at": (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).isoformat(),
        },
    )
    return status, body


def test_the_api_answers_the_same_for_unknown_partner_and_disabled_users(
    actors, api_client, customer
):
    actors.finance.is_active = False
    actors.finance.save()
    answers = [
        _api_error(api_client, actors, customer, name)
        for name in ("nobody-at-all", actors.bob.username, actors.finance.username)
    ]
    assert answers == [(422, {"detail": {"grantee_username": NO_SUCH_STAFF}})] * 3
    assert ContactConsent.objects.count() == 0


def test_the_portal_answers_the_same_for_unknown_and_partner_users(actors, client, customer):
    client.force_login(actors.alice)
    pages = []
    for name in ("nobody-at-all", actors.bob.username):
        response = client.post(
            "/portal/consents/grant/",
            {
                "customer": customer.pk,
                "grantee_username": name,
                "grantee_role": "",
                "expires_at": (clock.now() + dt.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
            },
        )
        assert response.status_code == 422
        page = response.content.decode().replace(name, "NAME")
        pages.append(re.sub(r"[A-Za-z0-9]{64}", "TOKEN", page))  # CSRF tokens differ
    assert pages[0] == pages[1]
    assert "没有该员工用户" in pages[0]
    assert ContactConsent.objects.count() == 0
