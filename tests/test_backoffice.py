"""Issue #10 findings 1, 4 and 8: the back office is read-only for everyone, shows no contact in
clear, lets no filter recover one, and shows commission figures to finance and admin only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory

from huoban import clock
from huoban.accounts.models import Role, User
from huoban.customers.registry import add_contact
from tests.customers.helpers import owned_customer
from tests.leads.helpers import submit
from tests.projects.helpers import ensure_policy_v1, sign

pytestmark = pytest.mark.django_db

STAFF = ("officer", "presales", "pm", "finance", "gm", "legal", "admin")


def _as(actors, who: str) -> Client:
    client = Client()
    client.force_login(getattr(actors, who))
    return client


@pytest.mark.parametrize("who", STAFF)
def test_a_leads_contact_phone_is_masked_on_its_admin_page(actors, who):
    lead = submit(actors.alice, contact_phone="13812345678")
    page = _as(actors, who).get(f"/admin/leads/lead/{lead.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "138****5678" in text
    assert "13812345678" not in text


@pytest.mark.parametrize(
    "query",
    [
        "/admin/customers/contact/?phone__startswith=138",
        "/admin/customers/contact/?phone=13812345678",
        "/admin/customers/contact/?email__startswith=z",
        "/admin/customers/contact/?wechat__contains=8",
        "/admin/leads/lead/?contact_phone__startswith=138",
        "/admin/customers/contact/?customer__contacts__phone__startswith=138",
    ],
)
@pytest.mark.parametrize("who", STAFF)
def test_no_filter_on_a_contact_column_is_accepted(actors, who, query):
    customer = owned_customer(actors.alpha)
    add_contact(customer, name="张三", phone="13812345678", email="zhang@example.com")
    submit(actors.alice, "东义集团", contact_phone="13812345678")
    response = _as(actors, who).get(query)
    assert response.status_code == 400, (query, response.status_code)
    assert b"1381" not in response.content


def test_a_declared_filter_still_works(actors):
    submit(actors.alice)
    assert _as(actors, "pm").get("/admin/leads/lead/?status__exact=pending").status_code == 200


@pytest.fixture
def money(actors):
    ensure_policy_v1()
    with clock.frozen(dt.date(2026, 3, 20)):
        return sign(actors.officer, actors.alpha, "300000.00", signed_on=dt.date(2026, 3, 10))


@pytest.mark.parametrize("who", ["officer", "presales", "pm"])
def test_commission_figures_are_hidden_from_other_staff(actors, money, who):
    client = _as(actors, who)
    for path in (
        "/admin/commissions/ledgerentry/",
        "/admin/commissions/payout/",
        "/admin/audit/auditevent/",
    ):
        assert client.get(path).status_code == 403, path
    page = client.get(f"/admin/projects/project/{money.pk}/change/").content.decode()
    assert "佣金费率" not in page and "佣金总额" not in page
    assert str(money.commission_total) not in page


@pytest.mark.parametrize("who", ["finance", "admin"])
def test_finance_and_admin_see_the_commission_figures(actors, money, who):
    client = _as(actors, who)
    assert client.get("/admin/commissions/ledgerentry/").status_code == 200
    page = client.get(f"/admin/projects/project/{money.pk}/change/").content.decode()
    assert "佣金费率" in page
    assert money.commission_total == Decimal("66000.00")  # 22% of 300,000 (light, new)


def test_no_model_admin_lets_even_the_admin_add_change_or_delete(actors):
    request = RequestFactory().get("/admin/")
    request.user = actors.admin
    writable = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_add_permission(request)
        or model_admin.has_change_permission(request)
        or model_admin.has_delete_permission(request)
    ]
    assert writable == []


def test_the_admin_cannot_change_a_role_in_the_back_office(actors):
    response = _as(actors, "admin").post(
        f"/admin/accounts/user/{actors.alice.pk}/change/",
        {"username": "alice", "role": Role.ADMIN, "is_active": "on"},
    )
    assert response.status_code == 403
    assert User.objects.get(pk=actors.alice.pk).role == Role.PARTNER


def test_every_huoban_app_in_the_back_office_is_readable_by_staff():
    """A new app whose models the admin lists must be in HUOBAN_APPS, or staff get a 404 for its
    pages while the matrix (which reads the same set) agrees (issue #11: the terms app)."""
    from huoban.accounts.backends import HUOBAN_APPS

    registered = {
        model._meta.app_label
        for model in admin.site._registry
        if model.__module__.startswith("huoban.")
    }
    assert registered <= HUOBAN_APPS, registered - HUOBAN_APPS
