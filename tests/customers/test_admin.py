"""The customers admin: every model registered, contacts masked (R-VIS-3)."""

from __future__ import annotations

from django.contrib import admin
from django.test import Client

from huoban.customers import models as m
from huoban.customers.registry import add_contact

from .helpers import owned_customer


def test_it_registers_every_customers_model():
    for model in (
        m.Customer,
        m.CustomerName,
        m.CustomerLink,
        m.Attribution,
        m.AttributionTransfer,
        m.Contact,
        m.ContactConsent,
        m.InboundContact,
    ):
        assert admin.site.is_registered(model), model


def test_it_masks_contact_phones_in_the_admin(actors):
    customer = owned_customer(actors.alpha)
    contact = add_contact(customer, name="张三", phone="13812345678")
    client = Client()
    client.force_login(actors.admin)
    listing = client.get("/admin/customers/contact/").content.decode()
    detail = client.get(f"/admin/customers/contact/{contact.pk}/change/").content.decode()
    for page in (listing, detail):
        assert "138****5678" in page
        assert "13812345678" not in page


def test_it_shows_the_customer_and_attribution_pages(actors):
    customer = owned_customer(actors.alpha)
    client = Client()
    client.force_login(actors.admin)
    for url in (
        "/admin/customers/customer/",
        f"/admin/customers/customer/{customer.pk}/change/",
        "/admin/customers/attribution/",
        "/admin/customers/inboundcontact/",
        "/admin/customers/contactconsent/",
    ):
        assert client.get(url).status_code == 200, url
