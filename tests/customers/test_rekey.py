"""Migration 0009 (issue #13): stored keys that lost a place now keep it."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from huoban.customers.models import Customer, CustomerName

renormalize = importlib.import_module(
    "huoban.customers.migrations.0009_renormalize_places_kept"
).renormalize


@pytest.mark.django_db
def test_it_gives_a_place_and_an_industry_word_their_own_key():
    # given 太原化工 stored under the old key 化工 (the place was removed)
    customer = Customer.objects.create(
        legal_name="太原化工股份有限公司", normalized_name="化工", created_at=timezone.now()
    )
    CustomerName.objects.create(
        customer=customer,
        name="太原化工股份有限公司",
        normalized="化工",
        head2="化工",
        kind="legal",
    )
    # when the migration runs
    renormalize(apps, None)
    # then the key keeps the place, and its head too
    customer.refresh_from_db()
    assert customer.normalized_name == "太原化工"
    assert list(customer.names.values_list("normalized", "head2")) == [("太原化工", "太原")]
